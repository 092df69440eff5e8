"""A synthetic register the shape of the real one, at any size, for the benchmark.

On top of the real fixtures (the OTS parties, HCA-9 and WG-12) it adds ~20 more customs
administrations, up to 40 meeting series, one meeting per 50 commitments (2,000 at 100,000)
with their documents, agenda, decisions and participants, and the commitments themselves with
1–4 responsible parties, sometimes partners, one or two sources, progress reports and some
history. One party (``FEED_PARTY``) takes part in ~5 % of the commitments, so at 100,000 it has
the ~5,000 the calendar-feed and CSV cases need.

Everything comes from one seeded ``random.Random`` and a fixed ``TODAY``: the same size and
seed give the same rows, ids included, so two runs of the benchmark compare like with like.
Rows are written with COPY (``actions.bench.copy``) in chunks, behind a tqdm progress bar.
"""

from __future__ import annotations

import datetime
import io
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from tqdm import tqdm

from actions.bench.commitment_rows import CommitmentRows
from actions.bench.copy import copy_rows, next_id, reset_sequences
from actions.bench.shape import (
    BENCH_PASSWORD,
    CHUNK,
    CITIES,
    COMMITMENTS_PER_MEETING,
    EXTRA_PARTIES,
    FEED_PARTY,
    FORMATS,
    MAX_SERIES,
    OBJECTS,
    TODAY,
    TOPICS,
    VERBS,
    _aware,
)
from actions.models import (
    Commitment,
    CommitmentParty,
    CommitmentSource,
    StatusUpdate,
)
from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    DocumentType,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Participant,
)
from parties.models import Membership, Party, Person


@dataclass
class Report:
    """What was written and how long it took."""

    commitments: int
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _chunks(rows: Iterator, size: int = CHUNK) -> Iterator[list]:
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Writer:
    """COPY in chunks, advancing one progress bar and counting rows per table."""

    def __init__(self, report: Report, bar: tqdm) -> None:
        self.report, self.bar = report, bar

    def write(self, model, fields, rows) -> None:
        name = model._meta.db_table
        self.bar.set_postfix_str(name)
        for chunk in _chunks(iter(rows)):
            n = copy_rows(model, fields, chunk)
            self.report.rows[name] = self.report.rows.get(name, 0) + n
            if model is Commitment:
                self.bar.update(n)


def generate(*, commitments: int, seed: int = 1, progress: bool = True) -> Report:
    """Fill the (migrated, empty) default database with a register of ``commitments``
    commitments in all, the fixtures' 23 included. One transaction: all or nothing."""
    started = time.perf_counter()
    report = Report(commitments=commitments)
    rng = random.Random(seed)
    with transaction.atomic():
        call_command("load_fixtures", verbosity=0, stdout=io.StringIO())
        existing = Commitment.objects.count()
        to_make = max(0, commitments - existing)
        with tqdm(total=to_make, unit="commitment", disable=not progress, desc="bench data") as bar:
            _Generator(rng, _Writer(report, bar), to_make).run()
        reset_sequences(
            [
                Meeting,
                Document,
                AgendaItem,
                Decision,
                Participant,
                Commitment,
                CommitmentParty,
                CommitmentSource,
                StatusUpdate,
                Commitment.history.model,
                Meeting.parties.through,
            ]
        )
    with connection.cursor() as cursor:
        # Fresh statistics, or the planner guesses from empty tables; VACUUM also sets the
        # visibility map that index-only scans need, as autovacuum would in production. It
        # cannot run inside a transaction (the test suite's), where ANALYZE alone does.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    report.seconds = time.perf_counter() - started
    return report


class _Generator(CommitmentRows):
    def __init__(self, rng: random.Random, writer: _Writer, to_make: int) -> None:
        self.rng, self.w, self.to_make = rng, writer, to_make

    def run(self) -> None:
        if self.to_make == 0:
            return
        self.parties()
        self.users()
        self.series_and_meetings()
        self.meeting_contents()
        self.commitments()

    # -- parties, people, users -------------------------------------------------------------
    def parties(self) -> None:
        existing = set(Party.objects.values_list("code", flat=True))
        Party.objects.bulk_create(
            Party(code=code, name=name, official_name=name, adjective=adj, kind=kind, order=200 + i)
            for i, (code, name, adj, kind) in enumerate(EXTRA_PARTIES)
            if code not in existing
        )
        self.all_parties = {p.code: p.pk for p in Party.objects.all()}
        self.secretariat = self.all_parties["OTS"]
        self.feed_party = self.all_parties[FEED_PARTY]
        # Parties that can be responsible or attend; the feed party is drawn separately.
        self.pool = [pk for code, pk in self.all_parties.items() if code not in ("OTS", FEED_PARTY)]
        people = []
        for code, pk in sorted(self.all_parties.items()):
            for n in range(6):
                people.append(
                    Person(name=f"{code} Delegate{n:02d} SURNAME", honorific="Mr.", party_id=pk)
                )
        Person.objects.bulk_create(people)
        self.persons: dict[int, list[int]] = {}
        for person_id, party_id in Person.objects.filter(name__contains=" Delegate").values_list(
            "pk", "party_id"
        ):
            self.persons.setdefault(party_id, []).append(person_id)

    def users(self) -> None:
        User = get_user_model()
        users = [
            User(
                username="bench-secretariat",
                email="secretariat@bench.invalid",
                is_staff=True,
                password=BENCH_PASSWORD,
            )
        ]
        users += [  # with an address: the reminder sweep skips members who have none
            User(
                username=f"bench-{code.lower()}",
                email=f"{code.lower()}@bench.invalid",
                password=BENCH_PASSWORD,
            )
            for code in sorted(self.all_parties)
            if code != "OTS"
        ]
        User.objects.bulk_create(users, ignore_conflicts=True)
        by_name = dict(
            User.objects.filter(username__startswith="bench-").values_list("username", "pk")
        )
        self.secretariat_user = by_name["bench-secretariat"]
        self.delegate_user = {
            pk: by_name[f"bench-{code.lower()}"]
            for code, pk in self.all_parties.items()
            if code != "OTS"
        }
        Membership.objects.bulk_create(
            [Membership(user_id=self.secretariat_user, party_id=self.secretariat)]
            + [Membership(user_id=u, party_id=p) for p, u in self.delegate_user.items()],
            ignore_conflicts=True,
        )

    # -- series and meetings ----------------------------------------------------------------
    def series_and_meetings(self) -> None:
        rng = self.rng
        n_meetings = max(2, -(-self.to_make // COMMITMENTS_PER_MEETING))
        existing_series = MeetingSeries.objects.count()
        n_series = max(1, min(MAX_SERIES - existing_series, n_meetings))
        series = []
        for i in range(n_series):
            fmt_code, fmt_name = FORMATS[i % len(FORMATS)]
            topic_code, topic_name = TOPICS[i % len(TOPICS)]
            series.append(
                MeetingSeries(
                    code=f"{fmt_code}{topic_code}"[:12],
                    name=f"{fmt_name} {topic_name}",
                    description=f"Synthetic series for the benchmark ({topic_name}).",
                )
            )
        MeetingSeries.objects.bulk_create(series)
        series_ids = list(
            MeetingSeries.objects.filter(description__startswith="Synthetic").values_list(
                "pk", flat=True
            )
        )
        # Each series gathers its own circle of parties; the feed party sits in most.
        self.series_pool = {
            s: rng.sample(self.pool, k=min(len(self.pool), rng.randint(6, 14))) for s in series_ids
        }
        self.meetings: list[tuple] = []  # (id, series, date or None, parties)
        meeting_id = next_id(Meeting)
        start = datetime.date(2001, 3, 1)
        span = (datetime.date(2027, 6, 1) - start).days
        rows, m2m = [], []
        # Dates spread evenly over the whole span in the order of creation, series taking
        # turns: even a tiny data set has recent meetings, hence commitments due soon.
        for i in range(n_meetings):
            s = series_ids[i % len(series_ids)]
            number = i // len(series_ids) + 1
            day = start + datetime.timedelta(
                days=span * (2 * i + 1) // (2 * n_meetings) + rng.randint(0, 20)
            )
            held = day < TODAY
            undated = not held and rng.random() < 0.5
            date = None if undated else day
            parties = rng.sample(self.series_pool[s], k=min(len(self.series_pool[s]), 5))
            if rng.random() < 0.8:
                parties.append(self.feed_party)
            host = rng.choice(parties)
            self.meetings.append((meeting_id, s, date, parties))
            created = _aware(date or TODAY - datetime.timedelta(days=30))
            rows.append(
                (
                    meeting_id,
                    1,
                    created,
                    created,
                    s,
                    number,
                    "",
                    date,
                    date and date + datetime.timedelta(days=rng.randint(0, 2)),
                    "to be agreed through diplomatic channels" if undated else "",
                    day.year,
                    rng.choice(CITIES),
                    host,
                    None,
                    MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                )
            )
            m2m += [(meeting_id, p) for p in parties]
            meeting_id += 1
        self.w.write(
            Meeting,
            [
                "id",
                "version",
                "created_at",
                "updated_at",
                "series",
                "number",
                "title",
                "start_date",
                "end_date",
                "date_text",
                "year",
                "city",
                "host",
                "chair",
                "status",
            ],
            rows,
        )
        self.w.write(Meeting.parties.through, ["meeting", "party"], m2m)
        # The next meeting of the same series, for deadlines "at the next meeting".
        self.next_meeting = {}
        last_of_series: dict[int, tuple] = {}
        for meeting in self.meetings:
            previous = last_of_series.get(meeting[1])
            if previous is not None:
                self.next_meeting[previous[0]] = meeting
            last_of_series[meeting[1]] = meeting

    # -- documents, agenda, decisions, participants -----------------------------------------
    def meeting_contents(self) -> None:
        rng = self.rng
        doc_id, item_id, decision_id, part_id = (
            next_id(Document),
            next_id(AgendaItem),
            next_id(Decision),
            next_id(Participant),
        )
        docs, items, decisions, participants = [], [], [], []
        self.meeting_docs: dict[int, tuple[int, int]] = {}
        self.meeting_decisions: dict[int, list[tuple[int, int]]] = {}
        for mid, _s, date, parties in self.meetings:
            created = _aware(date or TODAY)
            minutes, protocol = doc_id, doc_id + 1
            doc_id += 2
            self.meeting_docs[mid] = (minutes, protocol)
            for pk, type_, title, order, key, annex in (
                (minutes, DocumentType.AGREED_MINUTES, "Agreed Minutes", 1, "minutes", ""),
                (protocol, DocumentType.PROTOCOL, "Protocol", 3, "protocol", "Annex III"),
            ):
                docs.append(
                    (pk, 1, created, created, mid, type_, title, "", date, "", annex, "", [], "",
                     order, key)
                )  # fmt: skip
            top = []
            for n in range(1, 6):
                items.append(
                    (item_id, 1, created, created, mid, None, str(n),
                     f"{rng.choice(TOPICS)[1]}: state of play", n * 10)
                )  # fmt: skip
                top.append(item_id)
                item_id += 1
            for n in (1, 2):  # two sub-items under item 3
                items.append(
                    (item_id, 1, created, created, mid, top[2], f"3.{n}",
                     f"{rng.choice(OBJECTS).capitalize()}", 30 + n)
                )  # fmt: skip
                item_id += 1
            self.meeting_decisions[mid] = []
            for n in range(1, 9):
                text = f"The Parties agreed to {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
                decisions.append(
                    (decision_id, 1, created, created, mid, minutes, n, text, rng.choice(top))
                )
                self.meeting_decisions[mid].append((decision_id, n))
                decision_id += 1
            for party in parties:
                persons = self.persons.get(party, [])
                for order, person in enumerate(rng.sample(persons, k=min(2, len(persons))), 1):
                    participants.append(
                        (part_id, 1, created, created, mid, party, person,
                         "H.E." if order == 1 else "Mr.",
                         "Head of Customs" if order == 1 else "Expert", "Customs Committee",
                         order, order == 1)
                    )  # fmt: skip
                    part_id += 1
        base = ["id", "version", "created_at", "updated_at", "meeting"]
        self.w.write(
            Document,
            base
            + [
                "type",
                "title",
                "reference",
                "date",
                "place",
                "annex",
                "addressees",
                "signatories",
                "text",
                "order",
                "key",
            ],
            docs,
        )
        self.w.write(AgendaItem, base + ["parent", "number", "title", "order"], items)
        self.w.write(Decision, base + ["document", "number", "text", "agenda_item"], decisions)
        self.w.write(
            Participant,
            base + ["party", "person", "honorific", "title", "organisation", "order", "is_head"],
            participants,
        )

    # -- commitments and everything hanging off them -----------------------------------------
