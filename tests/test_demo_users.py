import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_users_are_created_once_with_the_password(seeded, capsys):
    call_command("create_demo_users", password="s3cret")
    call_command("create_demo_users", password="s3cret")
    User = get_user_model()
    assert User.objects.filter(username="secretariat").count() == 1
    secretariat = User.objects.get(username="secretariat")
    assert secretariat.check_password("s3cret") and secretariat.is_staff
    delegate = User.objects.get(username="delegate-tr")
    assert delegate.membership.party.code == "TR" and not delegate.is_staff
    assert User.objects.get(username="delegate-hu").check_password("s3cret")
    usernames = set(User.objects.values_list("username", flat=True))
    assert {"delegate-az", "delegate-kz", "delegate-kg", "delegate-uz", "delegate-ge"} <= usernames
    assert "delegate-ots" not in usernames
    assert "delegate-tr" in capsys.readouterr().out
