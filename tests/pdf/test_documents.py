"""The printed documents of HCA-9, read back with pypdf: text, pages, fonts, metadata."""

import datetime
import re
import unicodedata

import pytest

from tests.pdf.conftest import TODAY

# Marks the run as using the database, so pytest-django sets up the test database even when
# this module runs alone; the module-scoped `hca9` fixture then writes there, not elsewhere.
pytestmark = pytest.mark.django_db

DIACRITIC_NAMES = ["UÇARMAK", "ZÓLYOM", "KHAKİMOV", "ŞENEL", "Ágota KRISKÓ", "DAYIOĞLU", "Ömer KOÇ"]
ALL_KINDS = [
    "minutes",
    "protocol",
    "participants",
    "agenda",
    "implementation-report",
    "obligations-TR",
    "series-HCA",
    "protocol-pdfa",
    "minutes-pdfa",
]


def _words(text: str) -> str:
    """A decision's text as the PDF shows it: single spaces, no markup, no list dashes."""
    text = re.sub(r"[*]", "", text)
    text = re.sub(r"^\s*-\s*", "", text, flags=re.M)
    return re.sub(r"\s+", " ", text).strip()


def test_list_of_participants_names_everyone_with_diacritics_in_delegation_order(hca9):
    pdfs, facts = hca9
    pdf = pdfs["participants"]
    for name in DIACRITIC_NAMES:
        assert name in pdf.text
    assert len(facts["participants"]) == 26
    positions = []
    for _party, honorific, name, title in facts["participants"]:
        line = f"{honorific} {name} – {title}"
        assert line in pdf.text, line
        positions.append(pdf.text.index(line))
    # In the meeting's order: by delegation, then by rank within it.
    assert positions == sorted(positions)
    delegations = ["AZERBAIJAN", "KAZAKHSTAN", "KYRGYZSTAN", "TÜRKIYE", "UZBEKISTAN", "HUNGARY"]
    assert [pdf.text.index(d) for d in delegations] == sorted(
        pdf.text.index(d) for d in delegations
    )
    assert "Annex II" in pdf.text and "LIST OF PARTICIPANTS" in pdf.text


@pytest.mark.parametrize("kind", ["minutes", "protocol"])
def test_minutes_and_protocol_print_every_decision_with_its_number(hca9, kind):
    pdfs, facts = hca9
    pdf = pdfs[kind]
    assert len(facts["decisions"]) == 11
    last = -1
    for number, text in facts["decisions"]:
        opening = " ".join(_words(text).split()[:12])
        marker = f"{number}. {opening}"
        assert marker in pdf.text, marker
        assert pdf.text.index(marker) > last
        last = pdf.text.index(marker)


def test_minutes_end_with_certification_and_the_secretary_generals_signature(hca9):
    pdfs, facts = hca9
    text = pdfs["minutes"].text
    assert "It is hereby certified that this Minutes reflects the true content" in text
    (signatory,) = facts["minutes_signatories"]
    block = f"{signatory['honorific']} {signatory['name']} {signatory['title']}"
    assert block in text
    assert text.index("It is hereby certified") < text.index(block)
    # The speeches before the decisions are part of the minutes.
    assert "emphasizing the critical role of customs in trade promotion" in text


def test_protocol_has_one_signature_block_per_head_of_delegation(hca9):
    pdfs, facts = hca9
    text = pdfs["protocol"].text
    assert "Signed on 11 December 2023 in Tashkent" in text
    assert len(facts["protocol_signatories"]) == 6
    for s in facts["protocol_signatories"]:
        assert f"{s['honorific']} {s['name']} {s['title']}" in text, s["name"]
    for party in ["the Republic of Azerbaijan", "the Kyrgyz Republic", "the Republic of Türkiye"]:
        assert f"For {party}" in text
    assert "Annex III" in text


def test_agenda_prints_nested_items_in_order(hca9):
    pdfs, facts = hca9
    text = pdfs["agenda"].text
    last = -1
    for number, title in facts["agenda"]:
        marker = f"{number}. {_words(title)}"
        assert marker in text, marker
        assert text.index(marker) > last
        last = text.index(marker)
    assert "2.1. Completing internal procedures" in text


def test_implementation_report_lists_every_commitment_with_deadline_status_and_progress(hca9):
    pdfs, facts = hca9
    text = pdfs["implementation-report"].text
    assert len(facts["commitments"]) == 20
    for c in facts["commitments"]:
        assert c["reference"] in text
        if c["deadline_text"]:
            assert c["deadline_text"] in text
        if c["deadline"]:
            assert f"{c['deadline'].day} {c['deadline']:%b %Y}" in text
    assert "Draft concept circulated to the Parties on 20 February 2024" in text
    # Summary by share: open, in progress, submitted, done, waived, cancelled, superseded,
    # total, overdue. Azerbaijan's share of C14 is done; Türkiye's of C01 in progress.
    assert re.search(r"Azerbaijan 11 0 0 1 0 0 0 12 \d+", text), text[:2000]
    assert re.search(r"Türkiye 10 1 0 0 0 0 0 11 \d+", text)
    from meetings.pdf.implementation import SUMMARY_STATUSES

    by_status = [sum(c["status"] == s for c in facts["commitments"]) for s in SUMMARY_STATUSES]
    assert by_status[:4] == [18, 1, 0, 1]  # C01 in progress after its report, C14 done
    assert "All commitments " + " ".join(map(str, by_status)) + " 20" in text
    assert f"status as of {TODAY:%-d %B %Y}" in text
    # A joint commitment says how many of its parties are done; a partner is named as such.
    assert "AZ, KZ, KG, TR, UZ, HU until 1 April 2024 1 Apr 2024 Open 0 of 6 parties done" in text
    assert "TR with OTS by 1 March 2024" in text


def test_implementation_report_cells_are_single_text_runs(seeded):
    """No element inside a row's cells (no <br>, span or included markup): on a thousand rows
    every inline box is layout time."""
    from meetings.pdf import documents
    from meetings.pdf.rendering import render_html

    doc = documents.implementation_report(documents.meeting_by_code("HCA-9"), today=TODAY)
    html = render_html(doc.template, {"doc": doc, **doc.context})
    register = html[html.index('<table class="register lean">') :]
    cells = re.findall(r"<td>(.*?)</td>", register, flags=re.S)
    assert len(cells) == 20 * 5
    assert not [cell for cell in cells if "<" in cell]
    assert any("\nSource: Agreed minutes ¶3" in cell for cell in cells)


def test_party_obligations_are_grouped_by_urgency(hca9):
    pdfs, _facts = hca9
    text = pdfs["obligations-TR"].text
    overdue = text.index("Overdue (")
    due = text.index("Due in the next 30 days (by 14 April 2024)")
    later = text.index("Later or without a fixed date")
    done = text.index("Done or closed")
    assert overdue < due < later < done
    # C01 (by 1 March 2024) is overdue on 15 March 2024, C02 (until 1 April 2024) due soon,
    # C08 (February 2024) overdue too; C07 is Azerbaijan's, not Türkiye's.
    assert overdue < text.index("C01") < due
    assert overdue < text.index("C08") < due
    assert due < text.index("C02") < later
    assert "Host training programs on customs valuation" not in text
    assert "Draft concept circulated to the Parties" in text  # latest progress of C01
    assert "Source: Agreed minutes" in text


def test_series_report_groups_open_commitments_by_meeting(hca9):
    pdfs, _facts = hca9
    text = pdfs["series-HCA"].text
    assert "9th Meeting of the Heads of Customs Administrations (HCA-9" in text
    assert "C01" in text and "C11" in text
    # C14 was marked done: it is no longer open.
    assert "Host the 10th HCA meeting" not in text


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_page_is_numbered_and_carries_the_running_header(hca9, kind):
    pdf = hca9[0][kind]
    assert pdf.page_count >= 1
    for number, page in enumerate(pdf.pages, start=1):
        flat = re.sub(r"\s+", " ", page)
        assert f"Page {number} of {pdf.page_count}" in flat
        assert ("HCA-9 ·" in flat) or ("Türkiye · obligations" in flat) or ("(HCA)" in flat)


def test_page_counts_are_those_of_the_documents(hca9):
    pdfs, _ = hca9
    counts = {kind: pdfs[kind].page_count for kind in ALL_KINDS}
    assert counts["agenda"] == 1
    assert counts["participants"] == 2
    assert 3 <= counts["protocol"] <= 5
    assert 5 <= counts["minutes"] <= 7
    assert counts["protocol-pdfa"] == counts["protocol"]


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_fonts_are_the_projects_own_and_embedded(hca9, kind):
    fonts = hca9[0][kind].fonts()
    assert fonts
    for name, descriptor in fonts.items():
        # Subset prefix + the @font-face family of print.css: never a font of the machine.
        assert re.fullmatch(r"/[A-Z]{6}\+OTS-(Serif|Sans)[-A-Za-z]*", name), name
        assert "/FontFile2" in descriptor, name  # the TrueType program is in the file


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_metadata_title_language_author_and_tags(hca9, kind):
    pdf = hca9[0][kind]
    info = pdf.reader.metadata
    root = pdf.reader.trailer["/Root"]
    assert info.title and info.title in pdf.text.replace("\n", " ") or info.title
    assert info.author == "Secretariat of the Organization of Turkic States"
    assert info.subject
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root


def test_titles_say_what_the_document_is(hca9):
    pdfs, _ = hca9
    titles = {kind: pdfs[kind].reader.metadata.title for kind in pdfs}
    assert titles["protocol"].startswith("Protocol of the Ninth Meeting")
    assert titles["minutes"].startswith("Agreed Minutes of the Ninth Meeting")
    assert titles["obligations-TR"] == "Obligations of the Republic of Türkiye"
    assert pdfs["protocol"].filename == "HCA-9_protocol_2023-12-11.pdf"
    assert pdfs["participants"].filename == "HCA-9_participants_2023-12-10.pdf"
    assert pdfs["implementation-report"].filename == "HCA-9_implementation-report_2024-03-15.pdf"


@pytest.mark.parametrize("kind", ["protocol-pdfa", "minutes-pdfa"])
def test_archival_variant_identifies_itself_as_pdf_a_3b(hca9, kind):
    pdf = hca9[0][kind]
    xmp = pdf.reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")3", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")B", xmp)
    intents = pdf.reader.trailer["/Root"]["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert "UÇARMAK" not in pdf.text  # the protocol signs in mixed case…
    assert "Uçarmak" in pdf.text or "Omuraliev" in pdf.text


def test_plain_variant_is_not_pdf_a(hca9):
    root = hca9[0]["protocol"].reader.trailer["/Root"]
    assert "/OutputIntents" not in root


def test_text_is_unicode_nfc_before_rendering(settings):
    from meetings.pdf.rendering import normalise

    decomposed = "U\u0308C\u0327ARMAK T\u0308"
    assert normalise(decomposed) == unicodedata.normalize("NFC", decomposed)
    assert normalise("S\u0327ENEL") == "ŞENEL"


def test_implementation_report_prints_the_agreed_deadline_and_its_extension(seeded):
    from actions.models import Commitment
    from actions.services import extension_create
    from meetings.pdf import documents
    from tests.factories import staff

    c01 = Commitment.objects.get(meeting__number=9, meeting__series__code="HCA", reference="C01")
    extension_create(
        commitment=c01,
        user=staff(),
        deadline=datetime.date(2025, 6, 30),
        reason="awaiting the Parties' comments",
    )
    doc = documents.implementation_report(documents.meeting_by_code("HCA-9"), today=TODAY)
    (row,) = [row for row in doc.context["rows"] if row[0].startswith("C01")]
    assert row[3] == (
        "by 1 March 2024 — extended to 30 June 2025: awaiting the Parties' comments\n30 Jun 2025"
    )
    assert row[4] == "Open"  # no longer overdue on 15 March 2024
