"""Timing of the benchmark cases: median and 95th percentile over repeated runs, the number of
SQL queries of one run, and how the median compares with the case's peer (see
``actions.bench.registry``)."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    extra: dict | None = None  # e.g. WeasyPrint's share of a PDF case
    peer_median_ms: float | None = None  # the median of the case's peer, when it has one

    @property
    def vs_peer(self) -> float | None:
        """How many times faster than its peer (above 1: faster)."""
        if self.peer_median_ms is None or self.median_ms <= 0:
            return None
        return self.peer_median_ms / self.median_ms

    def as_json(self) -> dict:
        data = {
            "name": self.name,
            "median_ms": round(self.median_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "queries": self.queries,
            "vs_peer": None if self.vs_peer is None else round(self.vs_peer, 2),
        }
        if self.extra:
            data.update(self.extra)
        return data


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile: with few samples, an observed value rather than a guess."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _once(
    fn: Callable[[], object],
    *,
    rollback: bool,
    setup: Callable[[], object] | None = None,
    count: list[int] | None = None,
) -> float:
    with transaction.atomic() if rollback else nullcontext():
        # A case that writes (the sweep, an import) must do the full work every time: it runs
        # in a transaction rolled back after each run, after its untimed ``setup``. Its
        # queries are counted inside the transaction, so savepoints never count.
        if setup is not None:
            setup()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) if count is not None else nullcontext() as q:
            fn()
        elapsed = (time.perf_counter() - started) * 1000
        if count is not None:
            count.append(len(q))
        if rollback:
            transaction.set_rollback(True)
    return elapsed


def time_it(
    fn: Callable[[], object],
    *,
    repeat: int,
    rollback: bool = False,
    setup: Callable[[], object] | None = None,
) -> tuple[list[float], int]:
    """One warm-up run that counts the queries, then ``repeat`` timed runs."""
    count: list[int] = []
    _once(fn, rollback=rollback, setup=setup, count=count)
    gc.collect()
    samples = [_once(fn, rollback=rollback, setup=setup) for _ in range(repeat)]
    return samples, count[0]


def time_alternately(
    fns: list[Callable[[], object]], *, repeat: int
) -> list[tuple[list[float], int]]:
    """``time_it`` for cases compared with each other (a case and its peer): their runs
    alternate, so that a change in the machine's load between two cases' turns does not
    show as a difference between them."""
    counts: list[int] = []
    for fn in fns:
        _once(fn, rollback=False, count=counts)
    gc.collect()
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, own in zip(fns, samples, strict=True):
            own.append(_once(fn, rollback=False))
    return list(zip(samples, counts, strict=True))


def summarise(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), percentile(samples, 95)
