"""/settings/tokens/: users create, see once and revoke their own tokens."""

import hashlib
import re

import pytest

from parties.models import AccessToken, TokenScope
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return UserFactory(username="delegate")


def test_token_is_shown_once_and_stored_hashed(client, user):
    client.force_login(user)
    response = client.post("/settings/tokens/new/", {"name": "ERP sync"}, follow=True)
    secret = re.search(r'value="(ots_[^"]+)"', response.content.decode()).group(1)
    token = AccessToken.objects.get(user=user)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.key_hash, token.prefix} and secret.startswith(token.prefix)
    again = client.get("/settings/tokens/").content.decode()
    assert secret not in again and "ERP sync" in again and token.prefix in again
    auth = {"HTTP_AUTHORIZATION": f"Token {secret}"}
    assert client.get("/api/v1/parties/", **auth).status_code == 200


def test_revoke_own_token_but_not_someone_elses(client, user):
    client.force_login(user)
    client.post("/settings/tokens/new/", {"name": "mine"})
    mine = AccessToken.objects.get(user=user)
    other_user = UserFactory(username="other")
    other = AccessToken.objects.create(
        user=other_user, scope=TokenScope.API, name="theirs", key_hash="x" * 64, prefix="ots_x"
    )
    assert client.post(f"/settings/tokens/{other.pk}/revoke/").status_code == 404
    client.post(f"/settings/tokens/{mine.pk}/revoke/")
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.revoked_at is not None and other.revoked_at is None


def test_empty_name_is_refused_with_a_message(client, user):
    client.force_login(user)
    page = client.post("/settings/tokens/new/", {"name": "  "}, follow=True).content.decode()
    assert "Give the token a name" in page
    assert not AccessToken.objects.exists()


def test_calendar_link_regenerate_and_revoke(client, user):
    client.force_login(user)
    page = client.post("/settings/tokens/calendar/", follow=True).content.decode()
    url = re.search(r'value="(http[^"]+/calendar/me\.ics\?token=ots_[^"]+)"', page).group(1)
    assert client.get(url).status_code == 200
    client.post("/settings/tokens/calendar/", {"revoke": "1"})
    client.logout()
    assert client.get(url).status_code == 401


def test_page_needs_sign_in_and_labels_its_fields(client, user):
    assert client.get("/settings/tokens/").status_code == 302
    client.force_login(user)
    page = client.get("/settings/tokens/").content.decode()
    assert '<label for="token-name">' in page and 'id="token-name"' in page
