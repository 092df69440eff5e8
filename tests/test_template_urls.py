"""{% url %} is the project's cached tag (otscustoms.template_urls): it writes what Django's
own tag writes, and reverses each distinct URL once."""

from unittest import mock

import pytest
from django.template import Context, Engine, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, set_script_prefix
from django.utils import translation
from django.utils.translation import gettext_lazy

from otscustoms import template_urls, urls_many

CASES = [
    "{% url 'home' %}",
    "{% url 'meetings:detail' code %}",
    "{% url 'meetings:detail' code=code %}",
    "{% url 'meetings:part-edit' code 'participants' pk %}",
    "{% url 'meetings:detail' code as link %}[{{ link }}]",
    "{% url 'no-such-view' as link %}[{{ link }}]",
    "{% url 'meetings:document' code key %}",
    "{% autoescape off %}{% url 'meetings:detail' amp %}{% endautoescape %}",
    "{% url 'meetings:detail' amp %}",
    "{% url 'meetings:detail' lazy %}",
    "{% url 'admin:index' %}",
]
VALUES = {"code": "HCA-9", "pk": 12, "key": "note-1", "amp": "A&B", "lazy": gettext_lazy("Yes")}


@pytest.fixture(autouse=True)
def _empty_cache():
    urls_many._reverse.cache_clear()


def django_engine() -> Engine:
    """Django's own tags only."""
    return Engine(libraries={}, builtins=[])


def test_the_project_engine_has_the_cached_tag():
    nodes = Engine.get_default().from_string("{% url 'home' %}").nodelist
    assert type(nodes[0]) is template_urls.CachedURLNode


@pytest.mark.parametrize("source", CASES)
def test_writes_what_djangos_tag_writes(source, rf):
    request = rf.get("/")
    request.current_app = "admin"
    context = {**VALUES, "request": request}
    ours = Engine.get_default()
    expected = django_engine().from_string(source).render(Context(context))
    for _ in range(2):  # reversed, then remembered
        assert ours.from_string(source).render(Context(context)) == expected
    assert expected not in ("", "[]") or "no-such-view" in source
    if source == "{% url 'meetings:detail' amp %}":
        assert expected == "/meetings/A&amp;B/"  # escaped, and the unescaped one kept apart


def test_a_missing_view_raises_as_djangos_tag_does():
    with pytest.raises(NoReverseMatch):
        Template("{% url 'no-such-view' %}").render(Context({}))


def test_each_distinct_url_is_reversed_once():
    real = urls_many.reverse
    source = "{% url 'home' %} {% url 'meetings:detail' code %} {% url 'meetings:detail' 'WG-12' %}"
    with mock.patch.object(urls_many, "reverse", side_effect=real) as reverse:
        for _ in range(3):
            html = Template(source).render(Context({"code": "HCA-9"}))
        assert html == "/ /meetings/HCA-9/ /meetings/WG-12/"
        assert reverse.call_count == 3
        Template("{% url 'meetings:detail' code %}").render(Context({"code": "CHC-1"}))
        assert reverse.call_count == 4


def test_script_prefixes_kept_apart():
    source = Template("{% url 'meetings:detail' 'HCA-9' %}")
    assert source.render(Context()) == "/meetings/HCA-9/"
    set_script_prefix("/ots/")
    try:
        assert source.render(Context()) == "/ots/meetings/HCA-9/"
    finally:
        set_script_prefix("/")
    assert source.render(Context()) == "/meetings/HCA-9/"


def test_keyword_arguments_and_languages_are_part_of_the_key():
    source = Template("{% url 'meetings:detail' code=code %}")
    assert source.render(Context({"code": "HCA-9"})) == "/meetings/HCA-9/"
    assert source.render(Context({"code": "WG-12"})) == "/meetings/WG-12/"
    with translation.override("ru"):
        assert source.render(Context({"code": "HCA-9"})) == "/meetings/HCA-9/"
    assert urls_many._reverse.cache_info().currsize == 3


def test_pages_render_through_it(db, admin_client):
    # The base template's navigation and the admin both go through the tag.
    html = render_to_string("registration/login.html", request=RequestFactory().get("/"))
    assert 'href="/"' in html
    assert admin_client.get("/admin/").status_code == 200


def test_escaped_and_unescaped_answers_kept_apart():
    raw = Template("{% autoescape off %}{% url 'meetings:detail' 'A&B' %}{% endautoescape %}")
    escaped = Template("{% url 'meetings:detail' 'A&B' %}")
    as_var = Template("{% url 'meetings:detail' 'A&B' as u %}{{ u }}")
    assert raw.render(Context()) == "/meetings/A&B/"
    assert escaped.render(Context()) == "/meetings/A&amp;B/"
    assert as_var.render(Context()) == "/meetings/A&amp;B/"
    assert raw.render(Context()) == "/meetings/A&B/"
