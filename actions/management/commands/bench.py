"""python manage.py bench [--commitments N] [--json] [--repeat K] [--explain]

Builds (or reuses) a synthetic register of N commitments in a database of its own on the
DATABASE_URL server (``ots_bench_<N>``), then times every case of ``actions.bench.cases``,
each API case beside its peer (``actions.bench.peer``). See the README, "Performance".
"""

from __future__ import annotations

import datetime
import gc
import json
import logging
import statistics
import warnings
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from actions.bench import database
from actions.bench.cases import REGISTRY, Case, Context
from actions.bench.generator import generate
from actions.bench.runner import Result, summarise, time_alternately, time_it
from actions.bench.shape import GENERATOR_VERSION, TODAY

HEAVY_REPEAT = 3
PLAIN_STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
BENCH_URLCONF = "actions.bench.urls"  # the project's URLs and the peer API


def as_of_data_set_day():
    """The pages compute overdue and due-soon from the clock; the data set is as of TODAY.
    With time-machine (a dev dependency) the clock is set to that day, still ticking, so the
    pages see the register as it was generated; perf_counter is not affected."""
    try:
        import time_machine
    except ImportError:  # production install: the pages see the real date
        return nullcontext()
    return time_machine.travel(
        datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=datetime.UTC), tick=True
    )


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    # A case that raised: listed with its error while the others are timed, since one
    # broken view must not cost the figures of all the others; then the exit status.
    failed: list[dict] = field(default_factory=list)

    def fail(self, cases: list[Case], exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"[:500]
        self.failed.extend({"name": case.name, "error": error} for case in cases)


class Command(BaseCommand):
    help = "Time the register's pages, API, feeds, sweep, import and PDFs on a synthetic data set."

    def add_arguments(self, parser):
        parser.add_argument("--commitments", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=20, help="timed runs per case")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true", help="print one JSON object only")
        parser.add_argument(
            "--explain", action="store_true", help="EXPLAIN ANALYZE the filtered read"
        )
        parser.add_argument(
            "--database-name",
            help="database to fill and measure (default ots_bench_<N>); the current one "
            "is used as it is, without creating or migrating it",
        )
        parser.add_argument("--fresh", action="store_true", help="rebuild the data set")
        parser.add_argument(
            "--case", action="append", help="run only these cases (and their peers)"
        )

    def handle(self, *args, **opts):
        n = opts["commitments"]
        if n < 50:
            raise CommandError("--commitments: at least 50")
        if opts["repeat"] < 1:
            raise CommandError("--repeat: at least 1")
        unknown = set(opts["case"] or []) - set(REGISTRY)
        if unknown:
            raise CommandError(f"--case: unknown {', '.join(sorted(unknown))}")
        quiet = opts["json"]
        # django-axes logs every force_login at INFO: hundreds of lines that are not results.
        logging.getLogger("axes").setLevel(logging.WARNING)
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        # Messages go to stderr under --json, so stdout holds exactly one JSON object.
        say = (lambda msg: self.stderr.write(msg)) if quiet else self.stdout.write

        name = opts["database_name"] or f"ots_bench_{n}"
        database.switch_to(name, verbosity=0 if quiet else opts["verbosity"])
        self._ensure_data(n, opts["seed"], opts["fresh"], say, progress=not quiet)

        # Not setup_test_environment(): it instruments every template render for the test
        # client's `context`, work production never does. Only what the in-process client
        # needs: its host allowed, and mail kept in memory. The manifest storage of production
        # needs `collectstatic`; serving the assets is not what is measured, so their URLs are
        # resolved the plain way. The peer API is mounted for the bench only.
        with (
            override_settings(
                ROOT_URLCONF=BENCH_URLCONF,
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                STORAGES={**settings.STORAGES, "staticfiles": PLAIN_STATIC},
            ),
            as_of_data_set_day(),
        ):
            run = self._run_cases(opts, say)

        if quiet:
            out = {
                "commitments": n,
                "cases": [r.as_json() for r in run.results],
                "skipped": run.skipped,
                "failed": run.failed,
            }
            self.stdout.write(json.dumps(out))
        else:
            self._print_table(run)
        if opts["explain"]:
            self._explain(say)
        if run.failed:  # after the output: the other cases' figures stand
            names = ", ".join(f["name"] for f in run.failed)
            raise CommandError(f"{len(run.failed)} case(s) failed: {names}")

    def _ensure_data(self, n: int, seed: int, fresh: bool, say, *, progress: bool) -> None:
        marker = {"generator": GENERATOR_VERSION, "commitments": n, "seed": seed}
        if not fresh and database.read_marker() == marker:
            say(f"Reusing the data set in {database.current_name()} ({n} commitments).")
            return
        if not database.is_empty():
            name = database.current_name()
            if not name.startswith("ots_bench_"):
                raise CommandError(
                    f"Database {name} already holds data that is not this data set; "
                    "give an empty database or one named ots_bench_*."
                )
            say(f"Rebuilding {name}.")
            database.recreate(name)
        say(f"Generating {n} commitments in {database.current_name()}...")
        report = generate(commitments=n, seed=seed, progress=progress)
        database.write_marker(marker)
        say(f"Filled in {report.seconds:.1f} s ({report.total_rows} rows COPY'd).")

    def _run_cases(self, opts, say) -> Run:
        ctx = Context.build()
        # As otscustoms/wsgi.py does in a served process: what is loaded at start-up is
        # moved out of the collector's reach, so full collections do not walk it per request.
        gc.collect()
        gc.freeze()
        try:
            return self._time_cases(ctx, opts, say)
        finally:
            gc.unfreeze()  # in a longer-lived process (the test suite), collect them again

    def _selected(self, opts) -> list[Case]:
        """The cases asked for, with the peers of those that have one, in the registry's
        order."""
        names = set(opts["case"] or REGISTRY)
        names |= {REGISTRY[name].peer for name in names if REGISTRY[name].peer}
        return [case for name, case in REGISTRY.items() if name in names]

    def _time_cases(self, ctx: Context, opts, say) -> Run:
        run, cases = Run(), []
        for case in self._selected(opts):
            reason = case.available(ctx)
            if reason:
                run.skipped.append({"name": case.name, "reason": reason})
                continue
            try:
                if case.check:  # a case that would not measure what it claims is not timed
                    case.check(ctx)
            except Exception as exc:
                run.fail([case], exc)
                continue
            cases.append(case)

        ready = {case.name: case for case in cases}
        done: dict[str, Result] = {}
        for case in cases:
            if case.name in done or case.name in {f["name"] for f in run.failed}:
                continue  # a peer, timed (or failed) with its case
            peer = ready.get(case.peer)
            together = [case, peer] if peer else [case]
            try:
                results = self._time(ctx, case, peer, opts["repeat"])
            except Exception as exc:
                run.fail(together, exc)
                continue
            if peer is not None:
                results[case.name].peer_median_ms = results[peer.name].median_ms
            done.update(results)
            if not opts["json"]:
                for result in results.values():
                    say(f"  {result.name}: {result.median_ms:.1f} ms")
        run.results = [done[case.name] for case in cases if case.name in done]
        return run

    def _time(self, ctx: Context, case: Case, peer: Case | None, repeat: int) -> dict[str, Result]:
        """The case's result, and its peer's, timed in alternation with it."""
        repeat = min(repeat, HEAVY_REPEAT) if case.heavy else repeat
        repeat = min(repeat, case.max_repeat or repeat)
        if peer is not None:
            timed = time_alternately([lambda: case.run(ctx), lambda: peer.run(ctx)], repeat=repeat)
            return {
                c.name: Result(c.name, *summarise(samples), queries)
                for c, (samples, queries) in zip([case, peer], timed, strict=True)
            }
        samples, queries = time_it(
            lambda: case.run(ctx),
            repeat=repeat,
            rollback=case.writes,
            setup=case.setup and (lambda: case.setup(ctx)),
        )
        extra = ctx.extra.pop(case.name, None)
        if extra:  # per-run measurements kept by the case: their median, timed runs only
            extra = {
                k: round(statistics.median(v[-repeat:]), 2) if isinstance(v, list) else v
                for k, v in extra.items()
            }
        return {case.name: Result(case.name, *summarise(samples), queries, extra)}

    def _print_table(self, run: Run) -> None:
        header = f"{'case':34} {'median':>9} {'p95':>9} {'queries':>7} {'vs_peer':>7}"
        lines = [header, "-" * len(header)]
        for r in run.results:
            vs_peer = "—" if r.vs_peer is None else f"{r.vs_peer:.2f}×"
            lines.append(
                f"{r.name:34} {r.median_ms:9.1f} {r.p95_ms:9.1f} {r.queries:7d} {vs_peer:>7}"
            )
            for key, value in (r.extra or {}).items():
                lines.append(f"    {key}: {value}")
        lines.append(
            "(milliseconds; vs_peer = the peer's median / the case's: above 1, the case is "
            "faster than DRF's generic ModelSerializer over a plain prefetch)"
        )
        for s in run.skipped:
            lines.append(f"skipped {s['name']}: {s['reason']}")
        for f in run.failed:
            lines.append(f"FAILED {f['name']}: {f['error']}")
        self.stdout.write("\n".join(lines))

    def _explain(self, say) -> None:
        ctx = Context.build()
        for case in REGISTRY.values():
            if case.explain is None:
                continue
            plan = case.explain(ctx).explain(analyze=True, buffers=True)
            # Under --json the plan goes to stderr with the other messages.
            say(f"\nEXPLAIN ANALYZE {case.name}:\n{plan}")
