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

import calendar
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

from actions.bench.copy import copy_rows, next_id, reset_sequences
from actions.models import (
    Commitment,
    CommitmentParty,
    CommitmentSource,
    Precision,
    ReviewState,
    Role,
    ShareStatus,
    Status,
    StatusUpdate,
    UpdateKind,
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
from parties.models import Membership, Party, PartyKind, Person

# Bump when the shape of the data changes: a reused benchmark database must be rebuilt.
GENERATOR_VERSION = 4
# The day the data set is "as of": statuses, overdue and reminders are computed against it.
TODAY = datetime.date(2025, 6, 2)
FEED_PARTY = "TR"
FEED_SHARE = 0.05
COMMITMENTS_PER_MEETING = 50
BIG_MEETING = 1000
MAX_SERIES = 40
CHUNK = 20_000
BENCH_PASSWORD = "!bench-unusable"  # an unusable hash: bench users only ever force_login

EXTRA_PARTIES = [  # code, name, adjective, kind
    ("TJ", "Tajikistan", "Tajik", PartyKind.OTHER),
    ("MN", "Mongolia", "Mongolian", PartyKind.OTHER),
    ("CN", "China", "Chinese", PartyKind.OTHER),
    ("RU", "Russia", "Russian", PartyKind.OTHER),
    ("IR", "Iran", "Iranian", PartyKind.OTHER),
    ("PK", "Pakistan", "Pakistani", PartyKind.OTHER),
    ("AF", "Afghanistan", "Afghan", PartyKind.OTHER),
    ("UA", "Ukraine", "Ukrainian", PartyKind.OTHER),
    ("BY", "Belarus", "Belarusian", PartyKind.OTHER),
    ("AM", "Armenia", "Armenian", PartyKind.OTHER),
    ("MD", "Moldova", "Moldovan", PartyKind.OTHER),
    ("RO", "Romania", "Romanian", PartyKind.OTHER),
    ("BG", "Bulgaria", "Bulgarian", PartyKind.OTHER),
    ("PL", "Poland", "Polish", PartyKind.OTHER),
    ("DE", "Germany", "German", PartyKind.OTHER),
    ("KR", "Korea", "Korean", PartyKind.OTHER),
    ("JP", "Japan", "Japanese", PartyKind.OTHER),
    ("IN", "India", "Indian", PartyKind.OTHER),
    ("WCO", "World Customs Organization", "WCO", PartyKind.OTHER),
    ("EU", "European Union", "EU", PartyKind.OTHER),
]

TOPICS = [
    ("RM", "Risk Management"),
    ("ECOM", "E-Commerce"),
    ("AEO", "Authorized Economic Operators"),
    ("TRAN", "Transit Facilitation"),
    ("VAL", "Customs Valuation"),
    ("ORIG", "Rules of Origin"),
    ("IPR", "Intellectual Property Rights Enforcement"),
    ("ENF", "Customs Enforcement"),
    ("HR", "Human Resources and Training"),
    ("IT", "Information Technology"),
    ("DATA", "Data Exchange"),
    ("SW", "Single Window"),
    ("CARA", "Caravanserai Project"),
    ("SR", "Silk Road Cooperation"),
    ("LAB", "Customs Laboratories"),
    ("PCA", "Post-Clearance Audit"),
    ("TIR", "TIR and Road Transport"),
    ("RAIL", "Rail Freight"),
    ("BCP", "Border Crossing Points"),
    ("DRUG", "Drug Trafficking"),
    ("CASH", "Cash Couriers"),
    ("ENV", "Environmental Crime"),
    ("HS", "Harmonized System"),
    ("STAT", "Trade Statistics"),
    ("INT", "Integrity"),
    ("CB", "Capacity Building"),
    ("LEG", "Legal Affairs"),
    ("FIN", "Finance and Budget"),
    ("COM", "Communication"),
    ("ECO", "Economic Operators Dialogue"),
    ("GEN", "Gender Equality"),
    ("AIR", "Air Cargo"),
    ("SEA", "Maritime Ports"),
    ("PHY", "Phytosanitary Control"),
    ("EXC", "Excise Goods"),
    ("SEC", "Supply Chain Security"),
    ("RES", "Research and Analysis"),
]
FORMATS = [("WG", "Working Group on"), ("EG", "Expert Group on"), ("CM", "Committee on")]
CITIES = [
    "Baku",
    "Astana",
    "Bishkek",
    "Ankara",
    "Istanbul",
    "Tashkent",
    "Samarkand",
    "Budapest",
    "Ashgabat",
    "Turkistan",
    "Almaty",
    "Shusha",
    "Cholpon-Ata",
    "Bukhara",
    "Antalya",
]
VERBS = [
    "submit",
    "prepare",
    "organise",
    "host",
    "share",
    "finalise",
    "draft",
    "coordinate",
    "present",
    "study",
    "exchange",
    "conduct",
]
OBJECTS = [
    "a report on the implementation of the pilot project",
    "proposals on the simplification of transit procedures",
    "the draft Memorandum of Understanding",
    "a training programme for customs officers",
    "statistical data on mutual trade",
    "a joint operation against smuggling of excise goods",
    "the list of contact points",
    "comments on the draft Action Plan",
    "a workshop on risk management",
    "best practices on e-commerce clearance",
    "the technical specifications of the data exchange system",
    "a study visit for experts",
]
PURPOSES = [
    "to the Secretariat",
    "to the Parties",
    "for consideration at the next meeting",
    "in cooperation with the relevant agencies",
    "within the framework of the Caravanserai project",
    "",
]
NOTES = [
    "Work is ongoing; the draft has been circulated internally.",
    "The relevant agencies have been consulted.",
    "Submitted through diplomatic channels.",
    "Expert group formed; first meeting held.",
    "Data compiled for the reporting period.",
]


@dataclass
class Report:
    """What was written and how long it took."""

    commitments: int
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _end_of_month(d: datetime.date) -> datetime.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _aware(d: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(d.year, d.month, d.day, hour, minute, tzinfo=datetime.UTC)


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


class _Generator:
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
    def _deadline(self, mid: int, date: datetime.date | None):
        """(deadline, precision, text, due_meeting)"""
        rng = self.rng
        base = date or TODAY
        r = rng.random()
        if r < 0.10:
            return None, "", "", None
        if r < 0.25 and mid in self.next_meeting:
            nxt = self.next_meeting[mid]
            return nxt[2], Precision.EVENT, "at the next meeting", nxt[0]
        due = base + datetime.timedelta(days=rng.randint(30, 720))
        if r < 0.60:
            return due, Precision.DAY, f"by {due.day} {due:%B %Y}", None
        if r < 0.80:
            due = _end_of_month(due)
            return due, Precision.MONTH, f"in {due:%B %Y}", None
        if r < 0.85:
            quarter_end = _end_of_month(due.replace(day=1, month=((due.month - 1) // 3) * 3 + 3))
            return (
                quarter_end,
                Precision.QUARTER,
                f"in Q{(due.month - 1) // 3 + 1} {due.year}",
                None,
            )
        return due.replace(month=12, day=31), Precision.YEAR, f"by the end of {due.year}", None

    def _status(self, deadline: datetime.date | None, date: datetime.date | None) -> str:
        r = self.rng.random()
        if date is None or date >= TODAY:
            return Status.OPEN
        if deadline is not None and deadline < TODAY - datetime.timedelta(days=365):
            if r < 0.75:
                return Status.DONE
            if r < 0.80:
                return Status.CANCELLED
            if r < 0.85:
                return Status.SUPERSEDED
            return Status.OPEN if r < 0.95 else Status.IN_PROGRESS  # long overdue
        if r < 0.45:
            return Status.OPEN
        if r < 0.75:
            return Status.IN_PROGRESS
        if r < 0.88:
            return Status.SUBMITTED
        return Status.DONE

    def commitments(self) -> None:
        rng = self.rng
        cid = next_id(Commitment)
        link_id, source_id, update_id = (
            next_id(CommitmentParty),
            next_id(CommitmentSource),
            next_id(StatusUpdate),
        )
        history_id = next_id(Commitment.history.model)
        rows, links, sources, updates, history = [], [], [], [], []
        # Commitments are agreed at meetings that were held; planned ones are only due dates.
        held = [m for m in self.meetings if m[2] is not None and m[2] < TODAY]
        # The latest held meeting is a big one (1,000 commitments at scale): the
        # implementation report of the PDF case. The others share the rest evenly.
        big = min(BIG_MEETING, self.to_make // 5) if len(held) > 1 else 0
        per_meeting = -(-(self.to_make - big) // max(1, len(held) - bool(big)))
        quota = {m[0]: per_meeting for m in held}
        if big:
            quota[held[-1][0]] = big
            held = [held[-1], *held[:-1]]  # first, so that it gets its full quota
        # 5 % at scale; more in a tiny data set, so that its filtered cases still find rows.
        feed_share = max(FEED_SHARE, min(0.5, 300 / self.to_make))
        recent_share = max(0.003, min(0.1, 10 / self.to_make))  # ~300 a week at 100,000
        made = 0
        codes = {pk: code for code, pk in self.all_parties.items()}
        for mid, s, date, _parties in held:
            pool = self.series_pool[s]
            minutes, protocol = self.meeting_docs[mid]
            for n in range(1, quota[mid] + 1):
                if made >= self.to_make:
                    break
                made += 1
                decision_id, decision_no = rng.choice(self.meeting_decisions[mid])
                deadline, precision, deadline_text, due_meeting = self._deadline(mid, date)
                status = self._status(deadline, date)
                k = rng.choices((1, 2, 3, 4), weights=(55, 25, 12, 8))[0]
                responsible = rng.sample(pool, k=min(k, len(pool)))
                if rng.random() < feed_share:
                    responsible[0:0] = [self.feed_party]
                    responsible = responsible[:4]
                partners = []
                if rng.random() < 0.25:
                    partners = (
                        [self.secretariat]
                        if rng.random() < 0.5
                        else [p for p in rng.sample(pool, k=1) if p not in responsible]
                    )
                created = _aware(date, 12)
                # Most rows were last touched soon after their meeting, few lately: a client
                # syncing weekly gets a few hundred changes out of 100,000.
                age = (TODAY - date).days
                updated_day = date + datetime.timedelta(days=int(age * rng.random() ** 4))
                if rng.random() < recent_share:  # this week's progress reports and edits
                    updated_day = TODAY - datetime.timedelta(days=rng.randint(0, 6))
                updated = _aware(updated_day, rng.randint(13, 18), rng.randint(0, 59))
                adjectives = " and ".join(codes[p] for p in responsible)
                action = (
                    f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)} "
                    f"{rng.choice(PURPOSES)}".strip()
                    + "."
                )
                rows.append(
                    (cid, 1 + (status != Status.OPEN), created, updated, mid, decision_id,
                     f"C{n:03d}", action, f"{adjectives} side(s)", deadline, precision,
                     deadline_text, due_meeting, "next meeting" if due_meeting else "", status,
                     None, deadline, precision)
                )  # fmt: skip
                share = status if status in ShareStatus.values else ShareStatus.OPEN
                for p in responsible:
                    links.append((link_id, cid, p, Role.RESPONSIBLE, share))
                    link_id += 1
                for p in partners:
                    links.append((link_id, cid, p, Role.PARTNER, ""))
                    link_id += 1
                sources.append((source_id, cid, minutes, str(decision_no), action))
                source_id += 1
                if rng.random() < 0.4:
                    sources.append((source_id, cid, protocol, str(decision_no), action))
                    source_id += 1
                if status != Status.OPEN:
                    author = self.delegate_user.get(responsible[0], self.secretariat_user)
                    for i in range(rng.randint(1, 3)):
                        last = i == 0
                        when = max(created, updated - datetime.timedelta(days=30 * i))
                        updates.append(
                            (update_id, cid, author, responsible[0], UpdateKind.PROGRESS, "",
                             "", rng.choice(NOTES), "",
                             ReviewState.PENDING if last and status == Status.SUBMITTED
                             else ReviewState.NONE,
                             None, None, when)
                        )  # fmt: skip
                        update_id += 1
                if cid % 5 == 0:  # some history: the creation, and the last change if any
                    hist = (cid, 1, created, f"C{n:03d}", action, f"{adjectives} side(s)",
                            deadline, precision, deadline_text, "", Status.OPEN)  # fmt: skip
                    history.append(
                        (*hist, history_id, created, None, "+", decision_id, due_meeting,
                         self.secretariat_user, mid, None)
                    )  # fmt: skip
                    history_id += 1
                    if status != Status.OPEN:
                        history.append(
                            (*hist[:-1], status, history_id, updated, None, "~", decision_id,
                             due_meeting, self.secretariat_user, mid, None)
                        )  # fmt: skip
                        history_id += 1
                cid += 1
                if len(rows) >= CHUNK:
                    self._flush(rows, links, sources, updates, history)
                    rows, links, sources, updates, history = [], [], [], [], []
        self._flush(rows, links, sources, updates, history)

    def _flush(self, rows, links, sources, updates, history) -> None:
        w = self.w
        w.write(
            Commitment,
            ["id", "version", "created_at", "updated_at", "meeting", "decision", "reference",
             "action", "responsible_text", "deadline", "deadline_precision", "deadline_text",
             "due_meeting", "due_event", "status", "superseded_by", "agreed_deadline",
             "agreed_precision"],
            rows,
        )  # fmt: skip
        w.write(CommitmentParty, ["id", "commitment", "party", "role", "status"], links)
        w.write(CommitmentSource, ["id", "commitment", "document", "paragraph", "quote"], sources)
        w.write(
            StatusUpdate,
            ["id", "commitment", "author", "party", "kind", "old_status", "new_status", "note",
             "attachment", "review_state", "reviewed_by", "reviewed_at", "created_at"],
            updates,
        )  # fmt: skip
        w.write(
            Commitment.history.model,
            ["id", "version", "created_at", "reference", "action", "responsible_text", "deadline",
             "deadline_precision", "deadline_text", "due_event", "status", "history_id",
             "history_date", "history_change_reason", "history_type", "decision", "due_meeting",
             "history_user", "meeting", "superseded_by"],
            history,
        )  # fmt: skip
