"""The quick start (`make run`) runs on SQLite with no other service, where the reads written
for PostgreSQL take their ORM paths (the API's meeting detail and rows, the meeting page, the
delegation's groups). This runs that set-up for real, in subprocesses as `make run` does: a
fresh SQLite database migrated and loaded with the fixtures and the demo users, then every
page, export and API answer read as the Secretariat and as a delegate, and a progress report
submitted by the delegate and accepted by the Secretariat."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

URLS = [
    "/",
    "/commitments/",
    "/commitments/?status=overdue&party=TR",
    "/commitments/timeline/",
    "/meetings/",
    "/meetings/HCA-9/",
    "/meetings/WG-12/",
    "/parties/",
    "/parties/TR/",
    "/parties/TR/obligations.pdf",
    "/meetings/HCA-9/protocol.pdf",
    "/reminders/",
    "/settings/",
    "/settings/notifications/",
    "/import/",
    "/calendar/party/TR.ics",
    "/api/v1/meetings/",
    "/api/v1/meetings/HCA-9/",
    "/api/v1/commitments/",
    "/api/v1/commitments/?party=TR&status=open",
    "/api/v1/commitments.csv?party=TR",
    "/api/v1/decisions/",
    "/api/v1/schema/",
]
STAFF_ONLY = {"/reminders/", "/import/"}

# Run inside the quick start's settings: each answer's status and what it says.
READ_PAGES = """
import json, logging, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otscustoms.settings")
django.setup()
logging.disable(logging.CRITICAL)
from django.contrib.auth import get_user_model
from django.test import Client
from actions.models import Commitment, CommitmentParty
from meetings.models import Decision

out = {"commitments": Commitment.objects.count(),
       "hca9_decisions": Decision.objects.filter(meeting__series__code="HCA",
                                                 meeting__number=9).count(),
       "tr_open": CommitmentParty.objects.filter(party__code="TR", role="responsible",
                                                 status="open").count(),
       "answers": {}}
for username in ("secretariat", "delegate-tr"):
    client = Client(raise_request_exception=False, HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=username))
    for url in json.loads(sys.argv[1]):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        out["answers"][f"{username} {url}"] = {
            "status": response.status_code,
            "type": response.get("Content-Type", ""),
            "body": body.decode("utf-8", "replace") if b"%PDF" not in body[:8] else "%PDF",
        }

# A delegation reports and submits, the Secretariat accepts and marks it done.
from actions.models import StatusUpdate
users = get_user_model().objects
target = (Commitment.objects.for_party("TR", role="responsible").filter(status="open")
          .order_by("id").first())
delegate = Client(raise_request_exception=False, HTTP_HOST="localhost")
delegate.force_login(users.get(username="delegate-tr"))
staff = Client(raise_request_exception=False, HTTP_HOST="localhost")
staff.force_login(users.get(username="secretariat"))
reported = delegate.post(f"/commitments/{target.pk}/report/",
                         {"note": "Draft sent; ZÓLYOM signed", "submit_for_review": "on"})
update = StatusUpdate.objects.filter(commitment=target).latest("id")
reviewed = staff.post(f"/commitments/reports/{update.pk}/review/",
                      {"decision": "accept", "mark_done": "on", "note": "Thank you"})
target.refresh_from_db()
out["writes"] = {"report": reported.status_code, "review": reviewed.status_code,
                 "note": update.note, "status": target.links.get(party__code="TR").status,
                 "tr_open_after": CommitmentParty.objects.filter(
                     party__code="TR", role="responsible", status="open").count()}
print(json.dumps(out))
"""


def test_the_quick_start_answers_every_page_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quickstart.sqlite3'}",
        "DEBUG": "true",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)  # the quick start needs no Redis

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    for command in (["migrate", "--noinput"], ["load_fixtures"], ["create_demo_users"]):
        run("manage.py", *command, "-v0")
    result = json.loads(run("-c", READ_PAGES, json.dumps(URLS)).splitlines()[-1])

    answers = result["answers"]
    for key, answer in answers.items():
        user, url = key.split(" ", 1)
        expected = 403 if user == "delegate-tr" and url in STAFF_ONLY else 200
        assert answer["status"] == expected, f"{key}: {answer['status']}\n{answer['body'][:2000]}"

    for user in ("secretariat", "delegate-tr"):
        listed = json.loads(answers[f"{user} /api/v1/commitments/"]["body"])
        assert listed["count"] == result["commitments"] > 0
        filtered = json.loads(answers[f"{user} /api/v1/commitments/?party=TR&status=open"]["body"])
        assert filtered["count"] == result["tr_open"] > 0
        meeting = json.loads(answers[f"{user} /api/v1/meetings/HCA-9/"]["body"])
        assert len(meeting["decisions"]) == result["hca9_decisions"] > 0
        assert meeting["participants"] and meeting["agenda"] and meeting["documents"]
        page = answers[f"{user} /meetings/HCA-9/"]["body"]
        assert page.count('<article class="decision"') == result["hca9_decisions"]
        assert answers[f"{user} /parties/TR/obligations.pdf"]["body"] == "%PDF"
        assert "BEGIN:VCALENDAR" in answers[f"{user} /calendar/party/TR.ics"]["body"]
        assert answers[f"{user} /api/v1/commitments.csv?party=TR"]["type"].startswith("text/csv")
    assert "Türkiye" in answers["delegate-tr /"]["body"]
    assert "Türkiye" in answers["delegate-tr /parties/TR/"]["body"]

    writes = result["writes"]
    assert (writes["report"], writes["review"]) == (302, 302)
    assert writes["note"] == "Draft sent; ZÓLYOM signed" and writes["status"] == "done"
    assert writes["tr_open_after"] == result["tr_open"] - 1
