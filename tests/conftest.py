import pytest
from django.core.management import call_command

# `broker` and `workers`: real Celery workers on the real Redis (integration tests).
pytest_plugins = ["tests.celery_helpers"]


@pytest.fixture
def seeded(db):
    """The OTS register as `make run` loads it: parties, HCA-9 and WG-12 with their commitments."""
    call_command("load_fixtures", verbosity=0)


@pytest.fixture
def secretariat_user(db, django_user_model):
    from parties.models import Membership, Party, PartyKind

    user = django_user_model.objects.create_user("staff", "staff@example.org", "pw", is_staff=True)
    party, _ = Party.objects.get_or_create(
        code="OTS", defaults={"name": "OTS Secretariat", "kind": PartyKind.SECRETARIAT}
    )
    Membership.objects.create(user=user, party=party)
    return user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Password hashing at production strength is a tenth of a second per user created.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage of production needs `collectstatic`; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_terminal_summary(terminalreporter):
    """Name the screenshots the browser tests wrote, so CI output says where they are."""
    from tests.web_helpers import SCREENSHOTS_TAKEN as taken

    if taken:
        terminalreporter.section("screenshots")
        for path in taken:
            terminalreporter.write_line(str(path))
