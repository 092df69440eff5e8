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
    with django_assert_num_queries(0):  # the user and their delegation come with it
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


@pytest.fixture
def delegate_signed_in(client, db):
    from tests.factories import PartyFactory, delegate

    party = PartyFactory(code="TR", name="Türkiye")
    user = delegate(party)
    client.force_login(user)
    assert "· Türkiye" in client.get(HOME).content.decode()  # read and cached
    return client, user, party


def test_a_delegate_moved_to_another_delegation_sees_it_at_once(delegate_signed_in):
    from tests.factories import PartyFactory

    client, user, _tr = delegate_signed_in
    membership = user.membership
    membership.party = PartyFactory(code="KZ", name="Kazakhstan")
    membership.save()
    assert "· Kazakhstan" in client.get(HOME).content.decode()


def test_a_removed_membership_applies_at_once(delegate_signed_in):
    from parties.models import Membership

    client, user, _tr = delegate_signed_in
    Membership.objects.filter(user=user).delete()
    assert "· Türkiye" not in client.get(HOME).content.decode()


def test_a_renamed_or_deleted_party_applies_at_once(delegate_signed_in, django_assert_num_queries):
    client, user, party = delegate_signed_in
    party.name = "Republic of Türkiye"
    party.save()
    assert "· Republic of Türkiye" in client.get(HOME).content.decode()
    with django_assert_num_queries(0):  # cached again
        assert "· Republic of Türkiye" in client.get(HOME).content.decode()
    party.delete()  # its memberships go with it
    assert "Türkiye" not in client.get(HOME).content.decode()
