import datetime
import random
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from actions import reminders
from actions.models import Commitment, CommitmentParty, Reminder, Role, Status
from meetings.models import Meeting, MeetingSeries
from parties.models import Membership, Party, PartyKind


def create_synthetic(*, commitments: int, parties: int, today: datetime.date, seed: int = 1):
    """Synthetic register: deadlines spread over two years around today, every status, two
    delegates per party, one responsible party and sometimes a partner per commitment."""
    rng = random.Random(seed)
    series, _ = MeetingSeries.objects.get_or_create(code="BENCH", defaults={"name": "Benchmark"})
    meeting = Meeting.objects.create(series=series, number=rng.randint(1000, 10**6))
    party_rows = Party.objects.bulk_create(
        [
            Party(
                code=f"BZ{chr(65 + i // 26)}{chr(65 + i % 26)}",
                name=f"Bench {i}",
                kind=PartyKind.MEMBER,
            )
            for i in range(parties)
        ]
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"bench-{p.code}-{n}", email=f"{p.code}-{n}@bench.invalid")
            for p in party_rows
            for n in (1, 2)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, party=party_rows[i // 2]) for i, u in enumerate(users)]
    )
    statuses = [Status.OPEN, Status.OPEN, Status.IN_PROGRESS, Status.SUBMITTED, Status.DONE]
    precisions = ["day", "day", "day", "month", "year"]
    rows = Commitment.objects.bulk_create(
        [
            Commitment(
                meeting=meeting,
                action=f"Synthetic obligation {n}",
                deadline=today + datetime.timedelta(days=rng.randint(-365, 365)),
                deadline_precision=rng.choice(precisions),
                status=rng.choice(statuses),
            )
            for n in range(commitments)
        ],
        batch_size=5000,
    )
    links = []
    for c in rows:
        responsible = rng.choice(party_rows)
        links.append(CommitmentParty(commitment=c, party=responsible, role=Role.RESPONSIBLE))
        if rng.random() < 0.2:
            partner = rng.choice(party_rows)
            if partner != responsible:
                links.append(CommitmentParty(commitment=c, party=partner, role=Role.PARTNER))
    CommitmentParty.objects.bulk_create(links, batch_size=5000)
    return rows


class Command(BaseCommand):
    help = (
        "Benchmark the reminder sweep on synthetic commitments: time and query count. Runs "
        "in a transaction that is rolled back, so it leaves nothing behind."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commitments", type=int, default=100_000)
        parser.add_argument("--parties", type=int, default=50)
        parser.add_argument("--today", default="2025-03-03")

    def handle(self, *args, commitments, parties, today, **options):
        if commitments < 1 or not 1 <= parties <= 676:
            raise CommandError("--commitments must be positive and --parties 1..676.")
        day = datetime.date.fromisoformat(today)
        with transaction.atomic():
            started = time.perf_counter()
            create_synthetic(commitments=commitments, parties=parties, today=day)
            self.stdout.write(
                f"created {commitments} commitments for {parties} parties "
                f"in {time.perf_counter() - started:.1f} s"
            )
            with CaptureQueriesContext(connection) as plan_queries:
                started = time.perf_counter()
                planned = reminders.plan(today=day)
                plan_time = time.perf_counter() - started
            with CaptureQueriesContext(connection) as sweep_queries:
                started = time.perf_counter()
                result = reminders.sweep(today=day, queue=False)
                sweep_time = time.perf_counter() - started
            batches = len(result.queued)
            self.stdout.write(
                f"plan: {len(planned)} reminders due on {day} in {plan_time:.2f} s, "
                f"{len(plan_queries)} queries\n"
                f"sweep (plan + record + select recipients): "
                f"{Reminder.objects.filter(due_on=day).count()} rows recorded, "
                f"{sum(len(ids) for _d, ids in result.queued)} recipients in {batches} batches, "
                f"{sweep_time:.2f} s, {len(sweep_queries)} queries"
            )
            transaction.set_rollback(True)
