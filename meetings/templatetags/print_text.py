"""Text of the imported documents as print HTML: paragraphs, '- ' bullet lists and the
*emphasis* / **bold** marks the importer keeps from the source."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_EMPHASIS = re.compile(r"\*(.+?)\*", re.S)


def _inline(text: str) -> str:
    text = escape(text.strip())
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _EMPHASIS.sub(r"<em>\1</em>", text)


@register.filter
def paragraphs(text: str, number: str = "") -> str:
    """Blank lines or single newlines separate paragraphs; lines starting with '- ' are list
    items, kept together in one list. ``number`` ('3.') opens the first paragraph, in the
    line rather than floated beside it, so copied or extracted text reads '3. The Parties'."""
    html: list[str] = []
    if number:
        html.append(f'<span class="number">{escape(number)}</span>')
    items: list[str] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(("- ", "• ")) or line == "-":
            if line.strip("-• "):
                items.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if items:
            html.append("<ul>" + "".join(items) + "</ul>")
            items = []
        html.append(f"<p>{_inline(line)}</p>")
    if items:
        html.append("<ul>" + "".join(items) + "</ul>")
    if number:
        first = html[1] if len(html) > 1 else ""
        if first.startswith("<p>"):
            html[:2] = ["<p>" + html[0] + first[3:]]
        else:
            html[0] = "<p>" + html[0] + "</p>"
    return mark_safe("".join(html))


@register.filter
def inline(text: str) -> str:
    return mark_safe(_inline(text or ""))
