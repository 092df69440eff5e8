"""The login lock-out counts failures per username and client address: one address trying
passwords locks that username from that address only. Behind trusted proxies the client is
read from X-Forwarded-For, as far from the right as there are proxies, never further."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from otscustoms.client_ip import client_ip
from tests.factories import staff

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, password: str, **meta):
    return client.post(LOGIN, {"username": "staff", "password": password}, **meta)


def test_five_bad_passwords_lock_the_username_from_that_address_only(client, settings):
    staff()
    assert settings.AXES_FAILURE_LIMIT == 5
    answers = [attempt(client, "wrong", REMOTE_ADDR="198.51.100.7").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = attempt(client, "pw", REMOTE_ADDR="198.51.100.7")
    assert locked.status_code == 429
    assert "Signing in is blocked for now" in locked.content.decode()
    # Another address signs in with the right password.
    assert attempt(client, "pw", REMOTE_ADDR="203.0.113.9").status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(client, settings):
    staff()
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        attempt(client, "wrong", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = attempt(client, "pw", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_behind_a_proxy_each_client_is_counted_by_its_own_address(client, settings):
    staff()
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "172.18.0.5"}  # every request arrives from the proxy
    for n in range(5):
        # The client forges the left part; the proxy appended its real address.
        forged = f"10.0.0.{n}, 198.51.100.7"
        attempt(client, "wrong", HTTP_X_FORWARDED_FOR=forged, **proxy)
    locked = attempt(client, "pw", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert locked.status_code == 429
    other = attempt(client, "pw", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "172.18.0.5"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "172.18.0.5"),  # came round the outer proxy
        (1, "not-an-address", "172.18.0.5"),
        (1, "", "172.18.0.5"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_from_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
