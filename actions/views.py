from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from actions.models import Commitment


@login_required
def commitment_detail(request, pk: int):
    commitment = get_object_or_404(Commitment.objects.with_related(), pk=pk)
    return render(request, "actions/commitment_detail.html", {"commitment": commitment})
