"""The cases that take a large share of the register or a long job: the calendar feed and the
CSV export of the party with ~5,000 commitments, parsing and importing minutes, the printed
documents and the reminder sweep. A few repetitions each."""

from __future__ import annotations

from actions.bench.registry import Context, case, get, needs_url


# -- calendar feed and CSV for the party with ~5,000 commitments ---------------------------------
@case(
    "ics_party_feed",
    available=needs_url(lambda ctx: f"/calendar/party/{ctx.party}.ics"),
    heavy=True,
)
def ics_party_feed(ctx: Context):
    return get(ctx.delegate, f"/calendar/party/{ctx.party}.ics", expect="BEGIN:VCALENDAR")


@case("csv_party_export", available=needs_url(lambda ctx: "/api/v1/commitments.csv"), heavy=True)
def csv_party_export(ctx: Context):
    return get(ctx.secretariat, f"/api/v1/commitments.csv?party={ctx.party}")


# -- minutes: parsing and importing the seed bundle ------------------------------------------
SEED_BUNDLE = "fixtures/source/hca9_wg12_bundle.txt"


def parser_available(ctx: Context) -> str | None:
    import importlib.util

    return None if importlib.util.find_spec("meetings.parsing") else "no minutes parser yet"


@case("parse_seed_bundle", available=parser_available, heavy=True)
def parse_seed_bundle(ctx: Context):
    """The plain-Python half of an import: the HCA-9/WG-12 bundle, text to typed structure."""
    from django.conf import settings

    from meetings.parsing import PartyRegister, parse_bundle

    text = (settings.BASE_DIR / SEED_BUNDLE).read_text(encoding="utf-8")
    return parse_bundle(text, register=PartyRegister.ots())


# -- printed documents --------------------------------------------------------------------------
def pdf_available(ctx: Context) -> str | None:
    import importlib.util

    return None if importlib.util.find_spec("meetings.pdf") else "no PDF rendering yet"


def render_pdf(ctx: Context, name: str, build) -> bytes:
    """Render, and keep WeasyPrint's share (layout + writing the PDF) beside the total."""
    from meetings.pdf.rendering import RenderTimings, render_document

    timings = RenderTimings()
    pdf = render_document(build(), timings=timings)
    share = ctx.extra.setdefault(name, {"weasyprint_ms": [], "pages": timings.pages})
    share["weasyprint_ms"].append((timings.layout + timings.write) * 1000)
    share["pages"] = timings.pages
    return pdf


@case("pdf_protocol_hca9", available=pdf_available, heavy=True)
def pdf_protocol_hca9(ctx: Context):
    from meetings.pdf import documents

    return render_pdf(
        ctx, "pdf_protocol_hca9", lambda: documents.protocol(documents.meeting_by_code("HCA-9"))
    )


@case("pdf_implementation_report", available=pdf_available, heavy=True, max_repeat=2)
def pdf_implementation_report(ctx: Context):
    """The implementation report of the data set's big meeting (1,000 commitments at scale)."""
    from meetings.pdf import documents

    return render_pdf(
        ctx,
        "pdf_implementation_report",
        lambda: documents.implementation_report(
            documents.meeting_by_code(ctx.big_meeting_code), today=ctx.today
        ),
    )


@case("pdf_implementation_matrix", available=pdf_available, heavy=True, max_repeat=2)
def pdf_implementation_matrix(ctx: Context):
    """The implementation matrix of the same big meeting: a row per commitment, a column per
    party with a share in them (what the worker renders above the threshold)."""
    from actions.matrix import matrix_filter
    from meetings.pdf.matrix import implementation_matrix

    return render_pdf(
        ctx,
        "pdf_implementation_matrix",
        lambda: implementation_matrix(
            matrix_filter({"meeting": ctx.big_meeting_code}), today=ctx.today
        ),
    )


# -- the reminder sweep ---------------------------------------------------------------------------
def sweep_available(ctx: Context) -> str | None:
    try:
        from actions import reminders
    except ImportError:
        return "no reminder sweep yet"
    return None if hasattr(reminders, "sweep") else "no reminder sweep yet"


@case("reminder_sweep", available=sweep_available, writes=True, heavy=True)
def reminder_sweep(ctx: Context):
    """The daily sweep over all commitments: plan what is due today and record it (delivery
    is the workers' job, queued after commit; here the transaction is rolled back)."""
    from actions import reminders

    result = reminders.sweep(today=ctx.today, queue=False)
    ctx.extra.setdefault("reminder_sweep", {"reminders": len(result.planned)})
    return result


def importer_available(ctx: Context) -> str | None:
    try:
        from meetings import importer
    except ImportError:
        return "no minutes importer yet"
    return None if hasattr(importer, "import_bundle") else "no minutes importer yet"


def without_seed_meetings(ctx: Context) -> None:
    """Untimed, rolled back: remove what the seed bundle creates (the fixtures' meetings and
    their commitments, the covering note), so that the import writes it all again."""
    from actions.models import Commitment
    from meetings.models import Document, Meeting

    seeded = Meeting.objects.filter(series__code__in=["HCA", "WG", "CHC"])
    Commitment.objects.filter(meeting__in=seeded).delete()
    Document.objects.filter(meeting__isnull=True).delete()
    seeded.delete()


@case(
    "import_seed_bundle",
    available=importer_available,
    writes=True,
    heavy=True,
    setup=without_seed_meetings,
)
def import_seed_bundle(ctx: Context):
    """Read, parse and write the HCA-9/WG-12 bundle into a register of this size, as
    `import_minutes` does (one transaction, rolled back after each run)."""
    from django.conf import settings

    from meetings.importer import import_bundle, parse_text

    path = settings.BASE_DIR / SEED_BUNDLE
    bundle = parse_text(path.read_text(encoding="utf-8"), path.name)
    return import_bundle(bundle, create_parties=True)
