"""Shared by the import tests: the seed bundle, the OTS parties, a snapshot of the register and
the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum

from meetings.management.commands.build_fixtures import REVIEW, register_parties

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "source" / "hca9_wg12_bundle.txt"
HEADING = "AGREED MINUTES OF THE 9TH MEETING OF THE HEADS OF CUSTOMS ADMINISTRATIONS"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def register_ots_parties() -> None:
    """The OTS parties as the Secretariat keeps them, and nothing else; a party a fixture
    created already (the Secretariat of ``secretariat_user``) takes its name and aliases."""
    party_model = apps.get_model("parties", "Party")
    alias_model = apps.get_model("parties", "PartyAlias")
    specs = json.loads(REVIEW.read_text(encoding="utf-8"))["parties"]
    existing = {p.code: p for p in party_model.objects.all()}
    register_parties([s for s in specs if s["code"] not in existing])
    for spec in specs:
        party = existing.get(spec["code"])
        if party is not None:
            party.name, party.kind = spec["name"], spec["kind"]
            party.save()
            alias_model.objects.bulk_create(
                [alias_model(party=party, name=a) for a in spec.get("aliases", [])]
            )


def _register_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"parties", "meetings", "actions"}
        and m.__name__ not in {"ImportDraft"}
    ]


def snapshot() -> dict[str, object]:
    """Row counts of every register model (history tables included), the sum of versions and
    every person's name: any write changes one of them."""
    models = _register_models()
    state: dict[str, object] = {m.__name__: m._default_manager.count() for m in models}
    for m in models:
        if any(f.name == "version" for f in m._meta.fields) and not m.__name__.startswith(
            "Historical"
        ):
            state[f"{m.__name__}.version"] = m._default_manager.aggregate(v=Sum("version"))["v"]
    state["names"] = sorted(apps.get_model("parties", "Person").objects.values_list("name"))
    return state


def run(*args, **kwargs) -> str:
    """``manage.py import_minutes`` in process; its standard output."""
    out = io.StringIO()
    call_command("import_minutes", *map(str, args), stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()
