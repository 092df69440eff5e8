import io

import pytest
from django.core.management import CommandError, call_command


def test_export_pdf_writes_every_document_of_a_meeting_party_and_series(seeded, tmp_path):
    out = io.StringIO()
    call_command(
        "export_pdf",
        "--meeting", "HCA-9", "--party", "TR", "--series", "HCA",
        "--out", str(tmp_path), "--today", "2024-03-15", stdout=out,
    )  # fmt: skip
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "HCA-9_agenda_2023-12-11.pdf",
        "HCA-9_implementation-report_2024-03-15.pdf",
        "HCA-9_minutes_2023-12-11.pdf",
        "HCA-9_participants_2023-12-10.pdf",
        "HCA-9_protocol_2023-12-11.pdf",
        "HCA_series-report_2024-03-15.pdf",
        "TR_obligations_2024-03-15.pdf",
    ]
    assert sorted(out.getvalue().split()) == sorted(str(tmp_path / n) for n in names)
    for path in tmp_path.iterdir():
        assert path.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--meeting", "HCA-99"], "--meeting: no meeting 'HCA-99'"),
        (["--party", "XX"], "--party: no party 'XX'"),
        (["--series", "ZZ"], "--series: no meeting series 'ZZ'"),
        (["--party", "TR", "--today", "soon"], "--today: 'soon' is not a date"),
        ([], "Say what to export"),
    ],
)
def test_export_pdf_names_the_bad_argument(seeded, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_pdf", *args, "--out", str(tmp_path))
