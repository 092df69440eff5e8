"""The web pages' cases: the two home pages, a meeting's page and the filtered list."""

from __future__ import annotations

from actions.bench.registry import Context, case, filter_window, get, needs_url


@case("page_secretariat_home", available=needs_url(lambda ctx: "/"))
def page_secretariat_home(ctx: Context):
    return get(ctx.secretariat, "/")


@case("page_delegation_home", available=needs_url(lambda ctx: "/"))
def page_delegation_home(ctx: Context):
    return get(ctx.delegate, "/")


@case("page_meeting", available=needs_url(lambda ctx: f"/meetings/{ctx.meeting_code}/"))
def page_meeting(ctx: Context):
    return get(ctx.secretariat, f"/meetings/{ctx.meeting_code}/")


@case("page_commitments_filtered", available=needs_url(lambda ctx: "/commitments/"))
def page_commitments_filtered(ctx: Context):
    """The list page's filter bar: a party, what is still to do, due in the coming year."""
    start, end = filter_window(ctx)
    return get(
        ctx.secretariat,
        f"/commitments/?party={ctx.party}&status=active&due_after={start}&due_before={end}",
    )
