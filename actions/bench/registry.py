"""What the benchmark's cases share: the context they run in, the registry they are listed in,
and the helpers that make one request.

A case does the work one user action causes, server-side: a request through Django's test
``Client`` (in-process, logged in with ``force_login``, so no network and no login form is
timed), or a direct call for the sweep, the importer and the PDFs. An API case may name its
**peer**: the same answer from the API a Django team writes first (``actions.bench.peer``),
timed the same way, so that ``vs_peer`` (peer median / case median) says what the project's
own read path buys over the framework's defaults.

A case whose feature has not landed yet says so (``available`` returns the reason) and is
listed as skipped; adding a case is one decorated function in one of the case modules.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.test import Client
from django.urls import Resolver404, resolve

from actions.bench.generator import FEED_PARTY, TODAY


@dataclass
class Context:
    """What every case needs, looked up once per benchmark run."""

    secretariat: Client
    delegate: Client
    party: str
    today: datetime.date
    meeting_code: str
    big_meeting_code: str
    extra: dict = field(default_factory=dict)

    @classmethod
    def build(cls) -> Context:
        from meetings.models import Meeting

        users = get_user_model().objects
        secretariat, delegate = Client(), Client()
        secretariat.force_login(users.get(username="bench-secretariat"))
        delegate.force_login(users.get(username=f"bench-{FEED_PARTY.lower()}"))
        # A typical held meeting of the synthetic register (50 commitments, 8 decisions,
        # ~12 participants): the same one at every size, since ids are deterministic.
        meeting = (
            Meeting.objects.filter(status="held", series__description__startswith="Synthetic")
            .select_related("series")
            .order_by("id")
            .first()
        ) or Meeting.objects.select_related("series").order_by("id").first()
        # The generator's big meeting (1,000 commitments at scale) for the implementation report.
        big = (
            Meeting.objects.annotate(n=Count("commitments"))
            .select_related("series")
            .order_by("-n", "id")
            .first()
        )
        return cls(
            secretariat=secretariat,
            delegate=delegate,
            party=FEED_PARTY,
            today=TODAY,
            meeting_code=meeting.code,
            big_meeting_code=big.code,
        )


@dataclass
class Case:
    name: str
    run: Callable[[Context], object]
    available: Callable[[Context], str | None] = lambda ctx: None
    writes: bool = False  # run inside a rolled-back transaction
    setup: Callable[[Context], object] | None = None  # untimed, in that transaction
    heavy: bool = False  # a few repetitions are enough
    max_repeat: int | None = None  # fewer still (a render that takes half a minute)
    peer: str | None = None  # the case answering the same request the framework's default way
    # Raises AssertionError when the case would not measure what it claims (run once, untimed).
    check: Callable[[Context], None] | None = None
    explain: Callable[[Context], QuerySet] | None = None  # the queryset --explain shows


REGISTRY: dict[str, Case] = {}


def case(name: str, **kwargs) -> Callable:
    def register(fn: Callable[[Context], object]) -> Callable:
        REGISTRY[name] = Case(name=name, run=fn, **kwargs)
        return fn

    return register


def needs_url(path_of: Callable[[Context], str]) -> Callable[[Context], str | None]:
    """Available once a view answers at this path (the feature has landed on main)."""

    def check(ctx: Context) -> str | None:
        path = path_of(ctx).split("?")[0]
        try:
            resolve(path)
        except Resolver404:
            return f"no view at {path} yet"
        return None

    return check


def get(client: Client, url: str, *, expect: str | None = None) -> bytes:
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise AssertionError(f"GET {url} answered {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if expect is not None and expect.encode() not in body:
        raise AssertionError(f"GET {url}: {expect!r} not in the response")
    return body


# The filtered cases (API, queryset, list page) ask for the same slice of the register.
FILTER_STATUSES = ["open", "in_progress"]


def filter_window(ctx: Context) -> tuple[datetime.date, datetime.date]:
    """The due range of the filtered cases: the coming twelve months."""
    return ctx.today, ctx.today + datetime.timedelta(days=365)
