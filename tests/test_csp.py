"""Every page carries a Content Security Policy that allows nothing inline, and no page of
ours (nor Swagger UI's) needs anything inline."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def test_pages_carry_a_policy_without_anything_inline(client):
    for response in (client.get("/accounts/login/"), _signed_in(client).get("/")):
        assert response.status_code == 200
        csp = policy(response)
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def _signed_in(client):
    client.force_login(UserFactory(username="reader"))
    return client


class _Inline(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' refuses: script bodies, <style> elements,
    style and on* attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if tag == "script":
            src = dict(attrs).get("src")
            if src:
                self.scripts.append(src)
            elif dict(attrs).get("type") not in ("application/json", "application/ld+json"):
                self._in_script = True
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{tag}[{n}]" for n in names if n == "style" or n.startswith("on")]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")


def inline_parts(html: str) -> _Inline:
    parser = _Inline()
    parser.feed(html)
    return parser


def test_swagger_ui_loads_its_scripts_and_styles_from_files(client):
    response = _signed_in(client).get("/api/v1/docs/")
    assert response.status_code == 200
    page = inline_parts(response.content.decode())
    assert page.found == []
    # Swagger UI's bundle and preset (sidecar static files), then the start-up script.
    assert len(page.scripts) == 3
    start = page.scripts[-1]
    assert "script" in start
    script = client.get(start)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Printed documents are read by WeasyPrint, never served to a browser as pages.
NOT_PAGES = {"pdf"}


@pytest.mark.parametrize(
    "template",
    sorted(
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if p.relative_to(TEMPLATES).parts[0] not in NOT_PAGES or p.name.startswith(("job", "_job"))
    ),
)
def test_templates_keep_nothing_inline(template):
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    # Template tags could hide an attribute from the parser; a plain search backs it up.
    assert not re.search(r"\sstyle\s*=|\son[a-z]+\s*=|<style\b", source, re.IGNORECASE)
    assert inline_parts(source).found == []
