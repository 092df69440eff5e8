"""Who may open a progress report's evidence, the one way it is served, and the Secretariat's
sharing of it with all delegations.

Evidence is never reachable at a media URL: a file is only ever sent by ``download_response``,
after ``can_download`` said yes, as a download (never shown inline by the browser).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from actions.evidence import mime_for_name
from actions.models import Commitment, StatusUpdate
from parties.permissions import can_see_evidence, require_secretariat


def can_download(user, commitment: Commitment, update: StatusUpdate) -> bool:
    """``commitment`` is the update's, read with its party links (``with_related`` or
    ``for_web_list``), so that a list of updates costs no query per row."""
    if not update.attachment:
        return False
    return can_see_evidence(
        user,
        responsible_party_ids=[party.pk for party in commitment.responsible],
        shared=update.shared,
    )


def download_name(update: StatusUpdate) -> str:
    """The name the file was sent with (files stored before it was kept: the stored one)."""
    return update.original_name or update.attachment.name.rsplit("/", 1)[-1]


def download_response(update: StatusUpdate) -> FileResponse:
    try:
        handle = update.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The attachment file is missing.")) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(update),
        # From what the file was found to be when stored, never from the name it was sent with.
        content_type=mime_for_name(update.attachment.name),
    )
    # Said here too, not only by SecurityMiddleware's setting: no browser may guess a type.
    response["X-Content-Type-Options"] = "nosniff"
    # Each download is judged per user; no shared cache may keep a copy for the next one.
    response["Cache-Control"] = "private, no-store"
    return response


@transaction.atomic
def evidence_share(*, update: StatusUpdate, user, shared: bool) -> StatusUpdate:
    """The Secretariat shares a report's evidence with all delegations (guests excepted),
    or takes it back to the Secretariat and the responsible parties."""
    require_secretariat(user, _("Only Secretariat staff may share evidence."))
    locked = StatusUpdate.objects.select_for_update().get(pk=update.pk)
    if not locked.attachment:
        raise ValidationError({"shared": _("This report has no attachment to share.")})
    locked.shared = shared
    locked.save(update_fields=["shared"])
    update.shared = shared
    return locked
