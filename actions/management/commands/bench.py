"""python manage.py bench [--commitments N] [--json] [--repeat K] [--explain]

Builds (or reuses) a synthetic register of N commitments in a database of its own on the
DATABASE_URL server (``ots_bench_<N>``), then times every case of ``actions.bench.cases``.
See the README, "Performance".
"""

from __future__ import annotations

import datetime
import gc
import json
import logging
import statistics
import warnings
from contextlib import nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from actions.bench import database
from actions.bench.cases import REGISTRY, Context
from actions.bench.generator import GENERATOR_VERSION, TODAY, generate
from actions.bench.runner import Result, summarise, time_it

HEAVY_REPEAT = 3
PLAIN_STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


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


class Command(BaseCommand):
    help = "Time the register's pages, API, feeds, sweep, import and PDFs on a synthetic data set."

    def add_arguments(self, parser):
        parser.add_argument("--commitments", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=20, help="timed runs per case")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true", help="print one JSON object only")
        parser.add_argument("--explain", action="store_true", help="EXPLAIN the filtered case")
        parser.add_argument(
            "--database-name",
            help="database to fill and measure (default ots_bench_<N>); the current one "
            "is used as it is, without creating or migrating it",
        )
        parser.add_argument("--fresh", action="store_true", help="rebuild the data set")
        parser.add_argument("--case", action="append", help="run only these cases")

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
        # resolved the plain way.
        with (
            override_settings(
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                STORAGES={**settings.STORAGES, "staticfiles": PLAIN_STATIC},
            ),
            as_of_data_set_day(),
        ):
            results, skipped = self._run_cases(opts, say)

        if quiet:
            out = {
                "commitments": n,
                "cases": [r.as_json() for r in results],
                "skipped": skipped,
            }
            self.stdout.write(json.dumps(out))
        else:
            self._print_table(results, skipped)
        if opts["explain"]:
            self._explain(say)

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

    def _run_cases(self, opts, say) -> tuple[list[Result], list[dict]]:
        ctx = Context.build()
        # As otscustoms/wsgi.py does in a served process: what is loaded at start-up is
        # moved out of the collector's reach, so full collections do not walk it per request.
        gc.collect()
        gc.freeze()
        try:
            return self._time_cases(ctx, opts, say)
        finally:
            gc.unfreeze()  # in a longer-lived process (the test suite), collect them again

    def _time_cases(self, ctx: Context, opts, say) -> tuple[list[Result], list[dict]]:
        results, skipped = [], []
        for case in REGISTRY.values():
            if opts["case"] and case.name not in opts["case"]:
                continue
            reason = case.available(ctx)
            if reason:
                skipped.append({"name": case.name, "reason": reason})
                continue
            repeat = min(opts["repeat"], HEAVY_REPEAT) if case.heavy else opts["repeat"]
            repeat = min(repeat, case.max_repeat or repeat)
            samples, queries = time_it(
                lambda case=case: case.run(ctx),
                repeat=repeat,
                rollback=case.writes,
                setup=case.setup and (lambda case=case: case.setup(ctx)),
            )
            median, p95 = summarise(samples)
            floor = None
            if case.floor:
                floor_samples, _ = time_it(lambda case=case: case.floor(ctx), repeat=repeat)
                floor = summarise(floor_samples)[0]
            extra = ctx.extra.pop(case.name, None)
            if extra:  # per-run measurements kept by the case: their median, timed runs only
                extra = {
                    k: round(statistics.median(v[-repeat:]), 2) if isinstance(v, list) else v
                    for k, v in extra.items()
                }
            results.append(Result(case.name, median, p95, queries, floor, extra))
            if not opts["json"]:
                say(f"  {case.name}: {median:.1f} ms")
        return results, skipped

    def _print_table(self, results: list[Result], skipped: list[dict]) -> None:
        header = f"{'case':34} {'median':>9} {'p95':>9} {'queries':>7} {'floor':>9} {'ratio':>6}"
        lines = [header, "-" * len(header)]
        for r in results:
            floor = "—" if r.floor_ms is None else f"{r.floor_ms:.1f}"
            ratio = "—" if r.ratio is None else f"{r.ratio:.1f}×"
            lines.append(
                f"{r.name:34} {r.median_ms:9.1f} {r.p95_ms:9.1f} {r.queries:7d} "
                f"{floor:>9} {ratio:>6}"
            )
            for key, value in (r.extra or {}).items():
                lines.append(f"    {key}: {value}")
        lines.append("(milliseconds; floor = one hand-written SQL query + json.dumps)")
        for s in skipped:
            lines.append(f"skipped {s['name']}: {s['reason']}")
        self.stdout.write("\n".join(lines))

    def _explain(self, say) -> None:
        ctx = Context.build()
        for case in REGISTRY.values():
            if case.explain is None:
                continue
            sql, params = case.explain(ctx)
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            # Under --json the plan goes to stderr with the other messages.
            say(f"\nEXPLAIN ANALYZE {case.name}:\n{plan}")
