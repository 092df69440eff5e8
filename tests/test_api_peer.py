"""The bench's peer API answers as the API does with shares and extensions in the register: the
same shares, agreed deadline and extensions, each reader seeing the requests it may see."""

import datetime
import json

import pytest
from django.test import Client

from actions import services
from actions.bench.api_cases import API_LIST
from actions.bench.peer import PEER_PATH
from actions.models import Commitment
from parties.models import Party
from tests.factories import delegate, staff

pytestmark = [pytest.mark.django_db, pytest.mark.urls("actions.bench.urls")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def register(seeded):
    """C02 with Türkiye's share done and extended, Kazakhstan's request pending, Uzbekistan's
    refused, and another commitment extended as a whole."""
    tr, kz, uz = (Party.objects.get(code=code) for code in ("TR", "KZ", "UZ"))
    boss = staff("boss")
    c02 = Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C02")
    services.share_update_status(commitment=c02, party=tr, user=boss, status="done")
    services.extension_create(
        commitment=c02, user=boss, deadline=datetime.date(2024, 9, 30), reason="Ok", party=tr
    )
    services.extension_create(
        commitment=c02, user=delegate(kz), deadline=datetime.date(2024, 8, 1), reason="Later"
    )
    refused = services.extension_create(
        commitment=c02, user=delegate(uz), deadline=datetime.date(2024, 7, 1), reason="Later"
    )
    services.extension_decide(extension=refused, user=boss, approve=False)
    other = Commitment.objects.exclude(pk=c02.pk).filter(deadline__isnull=False).first()
    services.extension_create(
        commitment=other,
        user=boss,
        deadline=other.deadline + datetime.timedelta(days=90),
        reason="Postponed by the HCA",
    )
    return {"secretariat": boss, "TR": delegate(tr, "tr-reader"), "KZ": delegate(kz, "kz-reader")}


@pytest.mark.parametrize("reader", ["secretariat", "TR", "KZ"])
@pytest.mark.parametrize(
    "query",
    ["page_size=500", "party=KZ&status=open", "party=TR&status=closed&ordering=-party"],
)
def test_the_peer_answers_as_the_api_does(register, reader, query):
    client = signed_in(register[reader])
    api = client.get(f"{API_LIST}?{query}", secure=True)
    peer = client.get(f"{PEER_PATH}?{query}", secure=True)
    assert api.status_code == peer.status_code == 200
    rows = json.loads(api.content)["results"]
    c02 = next(row for row in rows if row["reference"] == "C02")
    assert c02["shares"] and c02["agreed_deadline"]["text"] == "until 1 April 2024"
    seen = {(e["party"], e["state"]) for e in c02["extensions"]}
    assert ("TR", "approved") in seen
    assert (("KZ", "pending") in seen) == (reader in ("secretariat", "KZ"))
    assert (("UZ", "refused") in seen) == (reader == "secretariat")
    assert peer.content.replace(PEER_PATH.encode(), API_LIST.encode()) == api.content
