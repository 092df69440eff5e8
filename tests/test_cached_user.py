"""The signed-in user is read from the cache on each request (parties.backends), and every
change of the user applies at its next request."""

import pytest
from django.contrib.auth import get_user_model

from parties.backends import CachedUserBackend
from tests.factories import staff

HOME = "/settings/"


@pytest.fixture
def signed_in(client, db):
    user = staff()
    client.force_login(user)
    assert client.get(HOME).status_code == 200  # the first request reads and caches the user
    return client, user


def test_later_requests_read_the_user_from_the_cache(signed_in, django_assert_num_queries):
    client, user = signed_in
    with django_assert_num_queries(1):  # the membership (the header's delegation) only
        assert client.get(HOME).status_code == 200


def test_a_deactivated_user_is_signed_out_at_once(signed_in):
    client, user = signed_in
    user.is_active = False
    user.save()
    assert client.get(HOME).status_code == 302  # to the sign-in page


def test_a_new_password_signs_out_the_other_sessions_at_once(signed_in):
    client, user = signed_in
    user.set_password("a new secret 2024")
    user.save()
    assert client.get(HOME).status_code == 302


def test_a_changed_staff_flag_applies_at_once(signed_in):
    client, user = signed_in
    assert client.get("/reminders/").status_code == 200
    user.is_staff = False
    user.save()
    assert client.get("/reminders/").status_code == 403


def test_a_deleted_user_is_gone_and_an_unknown_id_is_nobody(signed_in):
    client, user = signed_in
    user_id = user.pk
    get_user_model().objects.filter(pk=user_id).delete()  # a queryset delete sends the signals
    assert CachedUserBackend().get_user(user_id) is None
    assert client.get(HOME).status_code == 302
