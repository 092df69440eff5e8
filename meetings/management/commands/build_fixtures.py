"""Regenerate fixtures/parties.json and fixtures/meetings.json from the seed, with the importer.

The fixtures are *what the importer writes* from ``fixtures/source/hca9_wg12_bundle.txt`` plus
the Secretariat's recorded review (``fixtures/source/hca9_wg12_review.json``), so the two can
never disagree. The command needs an empty register, writes everything inside one transaction
and rolls it back once the files are dumped: the database is left as it was. Primary keys are
renumbered from 1 and timestamps fixed, so the output is byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from actions.models import Commitment, CommitmentParty, CommitmentSource
from meetings.importer import import_bundle, parse_text
from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    ImportedCommitment,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Participant,
)
from parties.models import Party, PartyAlias, Person, PersonAlias

SOURCE = Path(settings.BASE_DIR) / "fixtures" / "source"
SEED = SOURCE / "hca9_wg12_bundle.txt"
REVIEW = SOURCE / "hca9_wg12_review.json"
# The day the note verbale enclosed the minutes: every row of the fixtures is "as of" then.
STAMP = "2023-12-21T00:00:00Z"
PARTY_MODELS = [Party, PartyAlias, Person, PersonAlias]
MEETING_MODELS = [
    MeetingSeries,
    Meeting,
    Document,
    AgendaItem,
    Participant,
    Decision,
    Commitment,
    CommitmentParty,
    CommitmentSource,
    ImportedCommitment,
]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Rebuild fixtures/*.json by importing the seed bundle with its recorded review."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "fixtures"),
            help="Directory to write parties.json and meetings.json to.",
        )

    def handle(self, *args, output: str, **options):
        if Party.objects.exists() or Meeting.objects.exists() or Person.objects.exists():
            raise CommandError(
                "build_fixtures needs an empty register (no parties, persons or meetings): "
                "run it against a freshly migrated database."
            )
        out = Path(output)
        out.mkdir(parents=True, exist_ok=True)
        try:
            with transaction.atomic():
                dumps = build()
                raise _Rollback
        except _Rollback:
            pass
        for name, data in dumps.items():
            (out / name).write_text(data, encoding="utf-8")
        self.stdout.write(f"Wrote {', '.join(sorted(dumps))} to {out}.")


def build() -> dict[str, str]:
    """Import the seed with its review into the (empty) database; the dumps as JSON text."""
    review = json.loads(REVIEW.read_text(encoding="utf-8"))
    register_parties(review["parties"])
    for spec in review["series"]:
        MeetingSeries.objects.create(**spec)
    bundle = parse_text(SEED.read_text(encoding="utf-8"), SEED.name)
    result = import_bundle(bundle, corrections={"commitments": review["commitments"]})
    if result.unknown_parties:
        raise CommandError(f"The seed names parties the review does not: {result.unknown_parties}")
    for spec in review["meetings"]:
        upsert_meeting(spec)
    link_decisions(review["decision_agenda"])
    return {"parties.json": dump(PARTY_MODELS), "meetings.json": dump(MEETING_MODELS)}


def register_parties(specs: list[dict[str, Any]]) -> None:
    for spec in specs:
        spec = dict(spec)
        aliases = spec.pop("aliases", [])
        party = Party.objects.create(**spec)
        PartyAlias.objects.bulk_create([PartyAlias(party=party, name=a) for a in aliases])


def upsert_meeting(spec: dict[str, Any]) -> Meeting:
    series_code, _sep, number = spec["code"].rpartition("-")
    series = MeetingSeries.objects.get(code=series_code)
    values = {
        "title": spec.get("title", ""),
        "status": spec.get("status", MeetingStatus.PLANNED),
        "start_date": _date(spec.get("start_date")),
        "end_date": _date(spec.get("end_date")),
        "date_text": spec.get("date_text", ""),
        "year": spec.get("year"),
        "city": spec.get("city", ""),
        "host": Party.objects.get(code=spec["host"]) if spec.get("host") else None,
        "chair": Person.objects.get(name=spec["chair"]) if spec.get("chair") else None,
    }
    meeting, _created = Meeting.objects.update_or_create(
        series=series, number=int(number), defaults=values
    )
    meeting.parties.set(Party.objects.filter(code__in=spec.get("parties", [])))
    return meeting


def link_decisions(links: dict[str, dict[str, str]]) -> None:
    for code, by_number in links.items():
        meeting = Meeting.objects.by_code(code)
        agenda = {a.number: a for a in meeting.agenda_items.all()}
        for decision in meeting.decisions.all():
            item = agenda.get(by_number.get(str(decision.number), ""))
            if item is not None and decision.agenda_item_id != item.pk:
                decision.agenda_item = item
                decision.save(update_fields=["agenda_item", "updated_at"])


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def dump(model_list: list[type[models.Model]]) -> str:
    """Serialize with primary keys renumbered 1..n per model (foreign keys follow)."""
    renumber: dict[type[models.Model], dict[Any, int]] = {}
    rows: list[tuple[type[models.Model], dict[str, Any]]] = []
    every = PARTY_MODELS + MEETING_MODELS
    for model in every:
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        renumber[model] = {pk: i for i, pk in enumerate(pks, start=1)}
    for model in model_list:
        for row in serializers.serialize("python", model._default_manager.order_by("pk")):
            rows.append((model, row))
    out = []
    for model, row in rows:
        fields = row["fields"]
        for f in model._meta.get_fields():
            if not getattr(f, "concrete", False) and not f.many_to_many:
                continue
            if f.name not in fields:
                continue
            if f.is_relation and f.related_model in renumber:
                mapping = renumber[f.related_model]
                value = fields[f.name]
                if f.many_to_many:
                    fields[f.name] = sorted(mapping[v] for v in value)
                elif value is not None:
                    fields[f.name] = mapping[value]
            elif isinstance(f, models.DateTimeField):
                fields[f.name] = STAMP
        out.append(
            {"model": row["model"], "pk": renumber[model][row["pk"]], "fields": _plain(fields)}
        )
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v.isoformat() if isinstance(v, dt.date | dt.datetime) else v for k, v in fields.items()
    }
