"""python manage.py import_minutes PATH [--dry-run] [--replace] [--format json|text]
[--create-parties] [--meeting CODE] [--user USERNAME]

A file the register does not hold yet is imported at once. Re-importing documents the register
holds is refused unless ``--replace`` confirms it; ``--dry-run`` shows the diff first. A file
that cannot be imported (unreadable, partial, a value too long) exits with status 1 and a
message saying why; nothing is written then. Minutes that name no meeting (other bodies') are
listed by a dry run with a warning; importing them needs the meeting: ``--meeting CODE``.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from meetings.importer import (
    ImportPlan,
    ImportRefused,
    ImportResult,
    NeedsReplace,
    import_bundle,
    max_upload_bytes,
    parse_text,
    plan_import,
)
from meetings.models import Meeting
from meetings.parsing import (
    DocumentText,
    InputError,
    MeetingChoice,
    ParsedBundle,
    bundle_to_dict,
    parse_choice,
    read_upload,
)

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Import a minutes bundle (.txt, .md, .docx, text .pdf) into the register."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Confirm changes to documents the register already holds.",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--create-parties",
            action="store_true",
            help="Create the parties the register does not know, under their suggested codes.",
        )
        parser.add_argument(
            "--meeting",
            metavar="CODE",
            help="The meeting the minutes record (e.g. PSC-4), for minutes that name none; "
            "created if the register does not hold it.",
        )
        parser.add_argument("--user", help="Staff user recorded as the author of changes.")
        parser.add_argument("--timings", action="store_true", help="Print how long each step took.")

    def handle(self, *args, path: str, **options):
        try:
            self._import(path, **options)
        except CommandError:
            raise
        except Exception as exc:
            # the last guard: a message and the log, never a traceback on the terminal
            logger.exception("import_minutes failed on %s", path)
            raise CommandError(
                f"{path}: the import failed unexpectedly ({type(exc).__name__}); nothing was "
                "written. The details are in the log."
            ) from exc

    def _import(self, path: str, *, dry_run: bool, replace: bool, format: str, **options):
        started = time.perf_counter()
        read = self._read(Path(path))
        choice = self._meeting(options.get("meeting"))
        try:
            # a dry run previews minutes that name no meeting; an import needs one
            bundle = parse_text(
                read.text, Path(path).name, meeting=choice, require_meeting=not dry_run
            )
        except InputError as exc:
            hint = " (--meeting CODE names it)" if "no recognisable meeting" in str(exc) else ""
            raise CommandError(f"{exc}{hint}") from exc
        if not all(m.code for m in bundle.meetings):
            self.stderr.write(
                f"warning: {Path(path).name} names no meeting; its commitments are listed, not "
                "imported. Choose the meeting with --meeting CODE."
            )
        parsed_at = time.perf_counter()
        user = self._user(options.get("user"))
        create = options["create_parties"]
        if dry_run and not all(m.code for m in bundle.meetings):
            self._report_unnamed(Path(path).name, read, bundle, format)
        elif dry_run:
            self._report_plan(
                Path(path).name, read, bundle, self._plan(bundle, create, user), format
            )
        else:
            self._write(Path(path).name, read, bundle, user, create, replace, format)
        if options["timings"]:
            self.stderr.write(
                f"read+parse {1000 * (parsed_at - started):.0f} ms, "
                f"write {1000 * (time.perf_counter() - parsed_at):.0f} ms"
            )

    def _plan(self, bundle: ParsedBundle, create: bool, user) -> ImportPlan:
        """The plan; a failure to plan is reported with what was parsed, which a dry run
        prints whatever happens."""
        try:
            return plan_import(bundle, create_parties=create, user=user)
        except Exception as exc:
            logger.exception("Planning an import failed")
            return ImportPlan(
                None,
                [
                    f"Planning the import failed unexpectedly ({type(exc).__name__}); the "
                    "details are in the log."
                ],
                list(bundle.warnings),
            )

    def _read(self, file: Path) -> DocumentText:
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        limit = max_upload_bytes()
        size = file.stat().st_size
        if size > limit:
            # checked before reading, so a huge file is never loaded into memory
            raise CommandError(
                f"{file} is too large: {size:,} bytes, the limit is {limit:,} bytes "
                "(MAX_UPLOAD_MB)."
            )
        try:
            return read_upload(file.read_bytes(), file.name, max_bytes=limit)
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"{file}: cannot be read ({exc.strerror or exc}).") from exc

    def _write(self, name, read, bundle, user, create, replace, format) -> None:
        try:
            result = import_bundle(bundle, user=user, create_parties=create, replace=replace)
        except NeedsReplace as exc:
            self._report_result(name, read, exc.result, format, verb="Would import")
            raise CommandError(
                f"{exc} Run again with --replace to write these changes (--dry-run shows them "
                "without writing)."
            ) from exc
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        self._report_result(name, read, result, format, verb="Imported")

    # output ------------------------------------------------------------------------------
    def _json(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2))

    def _report_plan(self, name, read, bundle: ParsedBundle, plan: ImportPlan, format) -> None:
        if format == "json":
            data = bundle_to_dict(bundle)
            data["warnings"] = [*read.warnings, *data["warnings"]]
            data["import"] = plan.to_dict()
            self._json(data)
            return
        self._text(name, read, plan.result or ImportResult(), verb="Would import")
        for problem in plan.problems:
            self.stdout.write(f"  refused: {problem}")
        for warning in plan.warnings:
            self.stdout.write(f"  warning: {warning}")
        if plan.needs_replace:
            self.stdout.write(
                "  The register already holds documents of this file: confirm these changes "
                "with --replace."
            )

    def _report_unnamed(self, name, read, bundle: ParsedBundle, format) -> None:
        """What minutes that name no meeting hold; nothing is planned until one is chosen."""
        problem = "No meeting named: choose the meeting with --meeting CODE."
        if format == "json":
            data = bundle_to_dict(bundle)
            data["warnings"] = [*read.warnings, *data["warnings"]]
            data["import"] = ImportPlan(None, [problem], []).to_dict()
            self._json(data)
            return
        self.stdout.write(f"Would read {name} (no meeting named):")
        for c in bundle.commitments:
            due = c.deadline_text or c.due_event or "no deadline"
            self.stdout.write(f"  {c.responsible_text}: {c.action} ({due})")
        for warning in (*read.warnings, *bundle.warnings):
            self.stdout.write(f"  warning: {warning}")
        self.stdout.write(f"  refused: {problem}")

    def _report_result(self, name, read, result: ImportResult, format, *, verb) -> None:
        if format == "json":
            self._json(
                {
                    "summary": result.summary(),
                    "warnings": [*read.warnings, *result.warnings],
                    "unknown_parties": result.unknown_parties,
                    "held_documents": result.held_documents,
                    "diff": result.diff(),
                }
            )
        else:
            self._text(name, read, result, verb=verb)

    def _text(self, name: str, read: DocumentText, result: ImportResult, *, verb: str) -> None:
        self.stdout.write(f"{verb} {name}:")
        for kind, counts in result.summary().items():
            if any(counts.values()):
                parts = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
                self.stdout.write(f"  {kind.replace('_', ' ')}: {parts}")
        for line in diff_lines(result):
            self.stdout.write(line)
        for party in result.unknown_parties:
            self.stdout.write(
                f"  unknown party “{party['text']}” (suggested code "
                f"{party['suggested_code'] or '—'}; --create-parties creates it)"
            )
        for warning in (*read.warnings, *result.warnings):
            self.stdout.write(f"  warning: {warning}")

    def _meeting(self, code: str | None) -> MeetingChoice | None:
        """The chosen meeting, with the series' name and dates the register holds for it."""
        if not code:
            return None
        try:
            choice = parse_choice(code)
        except ValueError as exc:
            raise CommandError(f"--meeting: {exc}") from exc
        row = Meeting.objects.filter_code(choice.code).select_related("series").first()
        if row is None:
            return choice
        return MeetingChoice(choice.code, row.series.name, row.start_date, row.end_date)

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"--user {username}: no such staff user.")
        return user


def diff_lines(result: ImportResult) -> list[str]:
    """The rows changed and removed, field by field; the rows added too when the file
    re-imports documents the register holds (on a first import, the counts say it all)."""
    if not result.changes:
        return []
    lines = ["  diff:"]
    for kind, actions in result.diff().items():
        for action, rows in actions.items():
            if not rows or (action == "added" and not result.held_documents):
                continue
            lines.append(f"    {kind.replace('_', ' ')} {action}:")
            for row in rows:
                lines.append(f"      {row['label']}")
                lines += [
                    f"        {f['field']}: {f['before']} → {f['after']}"
                    for f in row.get("fields", [])
                ]
                if row.get("note"):
                    lines.append(f"        ({row['note']})")
    return lines if len(lines) > 1 else []
