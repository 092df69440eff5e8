"""The download of a progress report's evidence: the only way out for an evidence file (no
URL serves MEDIA_ROOT). Sharing it is a follow-up action of the commitment page
(actions.views.report_share)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from actions import evidence_access
from actions.models import Commitment, StatusUpdate


@login_required
def report_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Signed in, and allowed to see that report's evidence: then always as a download."""
    update = get_object_or_404(StatusUpdate, pk=pk)
    if not update.attachment:
        raise Http404(_("This report has no attachment."))
    commitment = get_object_or_404(Commitment.objects.for_web_list(), pk=update.commitment_id)
    if not evidence_access.can_download(request.user, commitment, update):
        raise PermissionDenied(
            _(
                "This evidence is for the Secretariat and the delegations responsible for the "
                "commitment."
            )
        )
    return evidence_access.download_response(update)
