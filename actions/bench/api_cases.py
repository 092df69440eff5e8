"""The REST API's cases, their peers (``actions.bench.peer``) and the API's filtered read
without HTTP."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import QuerySet
from django.http import QueryDict

from actions.bench.peer import PEER_PATH
from actions.bench.registry import (
    FILTER_STATUSES,
    Context,
    case,
    filter_window,
    get,
    needs_url,
)

API_LIST = "/api/v1/commitments/"


def api_filter_query(ctx: Context) -> str:
    start, end = filter_window(ctx)
    statuses = "&".join(f"status={s}" for s in FILTER_STATUSES)
    return f"party={ctx.party}&{statuses}&due_after={start}&due_before={end}&ordering=deadline"


def with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def filtered_queryset(ctx: Context) -> QuerySet:
    """The rows of the filtered API case, read as the API's view reads them: its FilterSet
    over ``for_api()`` in the register's order."""
    from actions.filters import CommitmentFilter
    from actions.models import Commitment

    filterset = CommitmentFilter(
        QueryDict(api_filter_query(ctx)),
        queryset=Commitment.objects.for_api().in_register_order(),
    )
    if not filterset.is_valid():
        raise AssertionError(f"the filtered cases' query is invalid: {filterset.errors}")
    return filterset.qs


@case("queryset_filtered", explain=lambda ctx: filtered_queryset(ctx)[:50])
def queryset_filtered(ctx: Context):
    """The read behind the filtered API page, without HTTP, counting or JSON: a page of 50
    model instances with their meeting, decision, due meeting, parties and sources."""
    return list(filtered_queryset(ctx)[:50])


def same_answer_as_api(query_of: Callable[[Context], str]) -> Callable[[Context], None]:
    """The peer's answer is the API's, byte for byte, once its page links name the API's
    path: otherwise ``vs_peer`` would compare different work."""

    def check(ctx: Context) -> None:
        query = query_of(ctx)
        api = get(ctx.secretariat, with_query(API_LIST, query))
        peer = get(ctx.secretariat, with_query(PEER_PATH, query))
        if peer.replace(PEER_PATH.encode(), API_LIST.encode()) != api:
            raise AssertionError(
                f"the peer's answer to ?{query} differs from the API's:\n{api[:2000]!r}\n"
                f"{peer[:2000]!r}"
            )

    return check


def peer_case(name: str, query_of: Callable[[Context], str]) -> Callable:
    return case(
        name, available=needs_url(lambda ctx: PEER_PATH), check=same_answer_as_api(query_of)
    )


@case(
    "api_commitments_list",
    available=needs_url(lambda ctx: API_LIST),
    peer="peer_api_commitments_list",
)
def api_commitments_list(ctx: Context):
    return get(ctx.secretariat, API_LIST, expect='"results"')


@peer_case("peer_api_commitments_list", lambda ctx: "")
def peer_api_commitments_list(ctx: Context):
    return get(ctx.secretariat, PEER_PATH, expect='"results"')


@case(
    "api_commitments_filtered",
    available=needs_url(lambda ctx: API_LIST),
    peer="peer_api_commitments_filtered",
)
def api_commitments_filtered(ctx: Context):
    return get(ctx.secretariat, f"{API_LIST}?{api_filter_query(ctx)}", expect='"results"')


@peer_case("peer_api_commitments_filtered", api_filter_query)
def peer_api_commitments_filtered(ctx: Context):
    return get(ctx.secretariat, f"{PEER_PATH}?{api_filter_query(ctx)}", expect='"results"')


def sync_since(ctx: Context) -> datetime.datetime:
    """A client that synced a week ago."""
    return datetime.datetime.combine(
        ctx.today - datetime.timedelta(days=7), datetime.time(), tzinfo=datetime.UTC
    )


@case("api_commitments_updated_since", available=needs_url(lambda ctx: API_LIST))
def api_commitments_updated_since(ctx: Context):
    since = sync_since(ctx).isoformat().replace("+00:00", "Z")
    return get(
        ctx.secretariat, f"{API_LIST}?updated_since={since}&ordering=updated", expect='"results"'
    )


@case(
    "api_meeting_detail",
    available=needs_url(lambda ctx: f"/api/v1/meetings/{ctx.meeting_code}/"),
)
def api_meeting_detail(ctx: Context):
    return get(ctx.secretariat, f"/api/v1/meetings/{ctx.meeting_code}/", expect='"decisions"')
