from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from meetings.models import Meeting


@login_required
def meeting_detail(request, code: str):
    try:
        meeting = Meeting.objects.select_related("series", "host", "chair").by_code(code)
    except (Meeting.DoesNotExist, ValueError) as exc:
        raise Http404(f"No meeting {code}") from exc
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})
