"""Write a parsed minutes bundle into the register: checked, shown as a diff, confirmed.

The parser (``meetings.parsing``) knows nothing of the database; this package only writes what
it found, in one transaction, idempotently:

- ``source``: from an upload to a parsed bundle;
- ``errors``: why an import is refused, and the length of every value checked before writing;
- ``plan``: a partial file refused, the diff of a re-import, and the confirmed write;
- ``matching``: which row of the register a parsed person or commitment restates;
- ``writer``, ``people``, ``commitments``: the writes, each recorded in the diff (``result``).
"""

from .errors import ImportRefused, NeedsReplace, field_errors
from .keys import commitment_keys, commitment_meeting, parsed_values
from .plan import ImportPlan, check, import_bundle, partial_problems, plan_import
from .result import Change, ImportResult
from .source import max_upload_bytes, parse_text, register_from_db

__all__ = [
    "Change",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "NeedsReplace",
    "check",
    "commitment_keys",
    "commitment_meeting",
    "field_errors",
    "import_bundle",
    "max_upload_bytes",
    "parse_text",
    "parsed_values",
    "partial_problems",
    "plan_import",
    "register_from_db",
]
