"""How long the free texts a user sends may be, stated once for the web forms, the API's
serializers, the models' form fields and the services that check again.

Without a limit a text field accepts whatever fits in the request body (megabytes), which
then has to be stored, mailed and printed. The numbers are generous for what people write.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A progress report's note, a status change's reason, a review's note, why a deadline moved.
NOTE_MAX = 10_000
# What a commitment says must be done.
ACTION_MAX = 10_000
# A decision's text, as agreed in the minutes.
DECISION_TEXT_MAX = 20_000
# An agenda item's title.
AGENDA_TITLE_MAX = 2_000


def check_length(field: str, value: str | None, limit: int) -> None:
    """The services' last guard: refuse a text longer than its limit, naming the field."""
    if value is not None and len(value) > limit:
        raise ValidationError(
            {
                field: _("At most %(limit)s characters (this text has %(length)s).")
                % {"limit": limit, "length": len(value)}
            },
            code="max_length",
        )
