"""python manage.py import_minutes PATH [--dry-run] [--format json|text] [--create-parties]"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from meetings.importer import import_bundle, max_upload_bytes, parse_text
from meetings.parsing import InputError, bundle_to_dict, read_document


class Command(BaseCommand):
    help = "Import a minutes bundle (.txt, .md, .docx, text .pdf) into the register."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report; write nothing."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--create-parties",
            action="store_true",
            help="Create the parties the register does not know, under their suggested codes.",
        )
        parser.add_argument("--user", help="Staff user recorded as the author of changes.")
        parser.add_argument("--timings", action="store_true", help="Print how long each step took.")

    def handle(self, *args, path: str, dry_run: bool, format: str, **options):
        started = time.perf_counter()
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file.")
        limit = max_upload_bytes()
        size = file.stat().st_size
        if size > limit:
            # checked before reading, so a huge file is never loaded into memory
            raise CommandError(
                f"{path} is too large: {size:,} bytes, the limit is {limit:,} bytes "
                "(MAX_UPLOAD_MB)."
            )
        try:
            text = read_document(file.read_bytes(), file.name, max_bytes=limit)
            bundle = parse_text(text, file.name)
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        parsed_at = time.perf_counter()
        user = self._user(options.get("user"))
        if dry_run and format == "json":
            self.stdout.write(
                json.dumps(bundle_to_dict(bundle), ensure_ascii=False, sort_keys=True, indent=2)
            )
            return
        with transaction.atomic():
            result = import_bundle(bundle, user=user, create_parties=options["create_parties"])
            if dry_run:
                transaction.set_rollback(True)
        written_at = time.perf_counter()
        if format == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "summary": result.summary(),
                        "warnings": result.warnings,
                        "unknown_parties": result.unknown_parties,
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                    indent=2,
                )
            )
        else:
            verb = "Would import" if dry_run else "Imported"
            self.stdout.write(f"{verb} {file.name}:")
            for kind, counts in result.summary().items():
                if any(counts.values()):
                    parts = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
                    self.stdout.write(f"  {kind.replace('_', ' ')}: {parts}")
            for party in result.unknown_parties:
                self.stdout.write(
                    f"  unknown party “{party['text']}” (suggested code "
                    f"{party['suggested_code'] or '—'}; --create-parties creates it)"
                )
            for warning in result.warnings:
                self.stdout.write(f"  warning: {warning}")
        if options["timings"]:
            self.stderr.write(
                f"read+parse {1000 * (parsed_at - started):.0f} ms, "
                f"write {1000 * (written_at - parsed_at):.0f} ms"
            )

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"--user {username}: no such staff user.")
        return user
