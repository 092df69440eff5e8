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
