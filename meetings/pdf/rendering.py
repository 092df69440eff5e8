"""HTML → PDF with WeasyPrint, with the fonts shipped in static/fonts and one print stylesheet.

The fonts are declared with @font-face in ``static/pdf/print.css`` and loaded from files of
the project, never looked up on the machine, so a PDF made anywhere embeds the same DejaVu
faces (Latin Extended, Turkish İ/ı/Ş/Ğ, Cyrillic)."""

from __future__ import annotations

import logging
import time
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "pdf" / "print.css"
FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"

# What the archival parameter may ask for. PDF/A-3b is the archival form of the signed
# protocol and minutes; the others are accepted because WeasyPrint makes them equally well.
ARCHIVAL_VARIANTS = ("pdf/a-3b", "pdf/a-2b", "pdf/a-3u", "pdf/a-2u")
DEFAULT_ARCHIVAL_VARIANT = "pdf/a-3b"


@dataclass
class RenderTimings:
    """Seconds spent in each stage of one render (bench_pdf prints them)."""

    data: float = 0.0  # queries and building the context (documents.py)
    template: float = 0.0  # Django template → HTML string
    layout: float = 0.0  # WeasyPrint: parse HTML + CSS, fonts, layout of the pages
    write: float = 0.0  # WeasyPrint: serialise the laid-out pages to PDF
    pages: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.data + self.template + self.layout + self.write


def normalise(text: str) -> str:
    """NFC: 'Ü' typed as U+0055 U+0308 becomes U+00DC, so the glyph is the precomposed one
    and copied or searched text matches what the database and users type."""
    return unicodedata.normalize("NFC", text)


@cache
def _weasyprint():
    # Imported lazily: loading Pango costs ~0.3 s that pages which never print should not pay.
    # WeasyPrint logs every layout step at INFO; keep its warnings (missing glyphs, bad CSS).
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    return weasyprint, FontConfiguration


def render_html(template: str, context: dict) -> str:
    return normalise(render_to_string(template, context))


def html_to_pdf(
    html: str, *, variant: str | None = None, timings: RenderTimings | None = None
) -> bytes:
    """Lay out and write one PDF. Tagged (structure tree for screen readers and reflow)
    unless a variant that forbids nothing of it is asked; the language and title come from
    the template's <html lang> and <title>."""
    weasyprint, FontConfiguration = _weasyprint()
    timings = timings if timings is not None else RenderTimings()
    started = time.perf_counter()
    font_config = FontConfiguration()
    stylesheet = weasyprint.CSS(filename=str(PRINT_CSS), font_config=font_config)
    document = weasyprint.HTML(string=html, base_url=str(FONT_DIR) + "/").render(
        stylesheets=[stylesheet], font_config=font_config, pdf_tags=True
    )
    laid_out = time.perf_counter()
    options = {"pdf_tags": True}
    if variant:
        options["pdf_variant"] = variant
    pdf = document.write_pdf(**options)
    timings.layout += laid_out - started
    timings.write += time.perf_counter() - laid_out
    timings.pages = len(document.pages)
    return pdf


def render_document(
    document, *, variant: str | None = None, timings: RenderTimings | None = None
) -> bytes:
    """A ``documents.PrintDocument`` → PDF bytes."""
    timings = timings if timings is not None else RenderTimings()
    started = time.perf_counter()
    html = render_html(document.template, {"doc": document, **document.context})
    timings.template += time.perf_counter() - started
    return html_to_pdf(html, variant=variant, timings=timings)
