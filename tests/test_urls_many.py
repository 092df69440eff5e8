"""URLs of many rows from one reverse() (otscustoms.urls_many): each the URL reverse() gives."""

import pytest
from django.urls import reverse

from otscustoms.urls_many import reverse_for_codes, reverse_for_pks, with_key


@pytest.mark.parametrize("pk", [1, 7, 1234567, 2**62])
def test_pks_as_reverse_writes_them(pk):
    assert reverse_for_pks("actions:commitment-detail")(pk) == reverse(
        "actions:commitment-detail", args=[pk]
    )
    edit = reverse_for_pks("meetings:part-edit", "HCA-9", "agenda")
    assert edit(pk) == reverse("meetings:part-edit", args=["HCA-9", "agenda", pk])
    absolute = reverse_for_pks("actions:commitment-detail", absolute=lambda u: f"https://x{u}")
    assert absolute(pk) == f"https://x/commitments/{pk}/"


@pytest.mark.parametrize("code", ["TR", "HCA-9", "Ü-1", "A B", "x?y#z", "50%"])
def test_codes_quoted_as_reverse_quotes_them(code):
    assert reverse_for_codes("meetings:detail")(code) == reverse("meetings:detail", args=[code])
    assert reverse_for_codes("parties:detail")(code) == reverse("parties:detail", args=[code])


def test_a_placeholder_seen_twice_falls_back_to_a_call_per_key():
    calls = []

    def url_for(key):
        calls.append(key)
        return f"/{key}/{key}/"

    url = with_key(url_for, "K")
    assert url(5) == "/5/5/" and url(6) == "/6/6/" and calls == ["K", 5, 6]


def test_a_placeholder_url_is_reversed_once_per_process(monkeypatch):
    from otscustoms import urls_many

    urls_many._reverse.cache_clear()
    calls = []
    real = urls_many.reverse
    monkeypatch.setattr(urls_many, "reverse", lambda *a, **kw: calls.append(a) or real(*a, **kw))
    for pk in (1, 2):
        assert reverse_for_pks("actions:commitment-detail")(pk) == f"/commitments/{pk}/"
    assert reverse_for_codes("meetings:detail")("HCA-9") == "/meetings/HCA-9/"
    assert reverse_for_codes("meetings:detail")("WG-12") == "/meetings/WG-12/"
    assert calls == [("actions:commitment-detail",), ("meetings:detail",)]


def test_the_cache_keeps_script_prefixes_and_url_configurations_apart(settings):
    from django.urls import clear_url_caches, get_script_prefix, set_script_prefix

    url = reverse_for_pks("actions:commitment-detail")
    assert url(3) == "/commitments/3/"
    old = get_script_prefix()
    set_script_prefix("/ots/")
    try:
        assert reverse_for_pks("actions:commitment-detail")(3) == "/ots/commitments/3/"
    finally:
        set_script_prefix(old)
    assert reverse_for_pks("actions:commitment-detail")(3) == "/commitments/3/"

    settings.ROOT_URLCONF = "tests.urls_moved"
    clear_url_caches()
    assert reverse_for_pks("actions:commitment-detail")(3) == "/moved/commitments/3/"


def _api_request(query: str = ""):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    return Request(APIRequestFactory().get(f"/api/v1/commitments/{query}", secure=True))


@pytest.mark.parametrize("query", ["", "?format=json", "?format=api&page=2"])
def test_api_urls_as_rest_frameworks_reverse_writes_them(query):
    from rest_framework.reverse import reverse as api_reverse

    from otscustoms.api import meeting_url, pk_url

    request = _api_request(query)
    for pk in (1, 42):
        expected = api_reverse("api:decision-detail", kwargs={"pk": pk}, request=request)
        assert pk_url(request, "api:decision-detail")(pk) == expected
    for code in ("HCA-9", "WG-12", "CHC-1"):
        expected = api_reverse("api:meeting-detail", kwargs={"code": code}, request=request)
        assert meeting_url(request)(code) == expected
    assert meeting_url(request)("HCA-9").startswith("https://testserver/api/v1/meetings/HCA-9/")
