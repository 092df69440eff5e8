"""factory_boy factories for every model; tests build only what they need."""

import datetime

import factory
from django.contrib.auth import get_user_model

from actions.models import Commitment, CommitmentParty, Role, ShareStatus, Status
from meetings.models import AgendaItem, Decision, Document, Meeting, MeetingSeries, Participant
from parties.models import Membership, Party, PartyKind, Person


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "X" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    name = factory.LazyAttribute(lambda o: f"State {o.code}")
    kind = PartyKind.MEMBER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person NUMBER{n}")
    honorific = "Mr."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("pw")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    party = factory.SubFactory(PartyFactory)


def delegate(party: Party, username: str | None = None):
    user = UserFactory(username=username or f"delegate-{party.code.lower()}")
    Membership.objects.get_or_create(user=user, defaults={"party": party})
    return user


def staff(username: str = "staff"):
    return UserFactory(username=username, is_staff=True)


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries
        django_get_or_create = ("code",)

    code = "HCA"
    name = "Meeting of the Heads of Customs Administrations"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    series = factory.SubFactory(MeetingSeriesFactory)
    number = factory.Sequence(lambda n: n + 100)
    start_date = datetime.date(2023, 12, 11)
    end_date = datetime.date(2023, 12, 11)
    city = "Tashkent"
    status = "held"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    meeting = factory.SubFactory(MeetingFactory)
    type = "agreed_minutes"
    title = "Agreed minutes"
    key = factory.Sequence(lambda n: f"doc{n}")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = "Any other business"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    party = factory.SubFactory(PartyFactory)
    person = factory.SubFactory(PersonFactory)
    order = factory.Sequence(lambda n: n + 1)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "The Parties agreed."


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A commitment; pass ``responsible=[party, ...]`` and ``partners=[...]`` to link parties."""

    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    action = factory.Sequence(lambda n: f"Submit proposal number {n} to the Secretariat")
    deadline = datetime.date(2024, 3, 1)
    deadline_precision = "day"
    deadline_text = "by 1 March 2024"
    status = Status.OPEN

    @factory.post_generation
    def responsible(self, create, extracted, **kwargs):
        # Every share at the commitment's status, as the services create them.
        share = self.status if self.status in ShareStatus.values else ShareStatus.OPEN
        for party in extracted or []:
            CommitmentParty.objects.create(
                commitment=self, party=party, role=Role.RESPONSIBLE, status=share
            )

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        for party in extracted or []:
            CommitmentParty.objects.create(commitment=self, party=party, role=Role.PARTNER)
