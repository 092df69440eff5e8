"""bench_pdf times the protocol, the implementation report and the matrix, and leaves nothing
behind."""

import io
import re

from django.core.management import call_command

from actions.models import Commitment, CommitmentParty
from meetings.models import Meeting


def test_bench_pdf_times_each_document_on_a_rolled_back_meeting(seeded):
    before = (Meeting.objects.count(), Commitment.objects.count(), CommitmentParty.objects.count())
    out = io.StringIO()
    call_command("bench_pdf", commitments=6, repeat=1, stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "HCA-9 protocol",
        "implementation report, 6 commitments",
        "implementation matrix, 6 commitments",
    ]
    for line in lines:
        assert re.search(r"total \d+\.\d{3} s \(CPU \d+\.\d{3} s\)", line), line
    after = (Meeting.objects.count(), Commitment.objects.count(), CommitmentParty.objects.count())
    assert after == before
