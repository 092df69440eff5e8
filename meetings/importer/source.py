"""From an upload to a parsed bundle: the size limit, the register the parser resolves names
against, and the parse itself with the file's name in its messages."""

from __future__ import annotations

from django.conf import settings

from meetings.parsing import (
    InputError,
    MeetingChoice,
    ParsedBundle,
    PartyRegister,
    RegisteredParty,
    parse_bundle,
)
from parties.models import Party


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def register_from_db() -> PartyRegister:
    """The parties the parser may resolve names to, with every alias the register knows."""
    rows = []
    for party in Party.objects.prefetch_related("aliases").order_by("order", "code"):
        aliases = [a.name for a in party.aliases.all()]
        if party.official_name:
            aliases.append(party.official_name)
        rows.append(RegisteredParty(party.code, party.name, party.kind, tuple(aliases)))
    return PartyRegister(tuple(rows))


def parse_text(
    text: str,
    filename: str = "",
    *,
    meeting: MeetingChoice | None = None,
    require_meeting: bool = True,
) -> ParsedBundle:
    """``meeting``: the meeting chosen for documents that name none. ``require_meeting=False``
    lets minutes that name no meeting through (read under a provisional one), for a preview."""
    try:
        bundle = parse_bundle(
            text, register=register_from_db(), source_name=filename, meeting=meeting
        )
    except InputError as exc:
        name = filename or "The text"
        raise InputError(f"{name}: {exc.message}", exc.line) from exc
    except RecursionError as exc:  # a pathological nesting no minutes have
        raise InputError(f"{filename or 'The text'}: the text is nested too deeply.") from exc
    if require_meeting and not all(m.code for m in bundle.meetings):
        raise InputError(
            f"{filename or 'The text'}: no recognisable meeting; choose the meeting it records."
        )
    return bundle
