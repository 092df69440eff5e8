"""Schemathesis over every operation of the API schema, against the real app (its WSGI
handler) on the seeded register, as the Secretariat, as a delegation and without signing in.

No answer may be a server error, and every answer must be as the schema says: a documented
status, content type and headers, and a body that matches the schema of that status. Writes
are fuzzed too; the test's transaction undoes them. Hypothesis runs derandomized, a bounded
number of examples per operation, so that a run is the same each time and fits CI."""

import datetime
import time
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks
from schemathesis.errors import FailureGroup

from actions import services
from actions.models import Commitment, CommitmentParty
from meetings.models import Decision, Document
from parties.models import Party
from parties.tokens import access_token_create
from tests.factories import delegate, staff

pytestmark = pytest.mark.django_db

# Examples per operation for each signed-in user; anonymous requests only need to show that
# their 401 is documented.
MAX_EXAMPLES = 10
ANONYMOUS_EXAMPLES = 3
MADE_UP_EXAMPLES = 5  # per operation on a resource, with ids and codes that may not exist
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
# The operations whose body carries the `version` the client read: the commitment's, or
# for those on a share the share's.
VERSIONED = {
    ("PATCH", "/api/v1/commitments/{id}/"),
    ("POST", "/api/v1/commitments/{id}/status/"),
    ("POST", "/api/v1/commitments/{commitment_pk}/updates/"),
}
SHARE_VERSIONED = {
    ("POST", "/api/v1/commitments/{commitment_pk}/shares/{code}/status/"),
    ("POST", "/api/v1/commitments/{commitment_pk}/shares/{code}/updates/"),
}


@pytest.fixture
def wsgi_app(seeded, settings, tmp_path):
    settings.ALLOWED_HOSTS = ["*"]
    settings.MEDIA_ROOT = tmp_path
    # The WSGI handler closes "old" connections around each request; inside the test
    # transaction that would close the connection holding the test data.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def token_headers(user) -> dict[str, str]:
    _token, secret = access_token_create(user=user, name="fuzzer")
    return {"Authorization": f"Token {secret}"}


def cases(operation, path_parameters: dict | None = None):
    return st.one_of(
        [operation.as_strategy(mode, path_parameters=path_parameters) for mode in MODES]
    )


def run(strategy, max_examples: int, send) -> None:
    @given(case=strategy, up_to_date=st.booleans())
    @hypothesis_settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        # Failures are collected, not raised: nothing to shrink, and every operation runs.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def examples(case, up_to_date):
        send(case, up_to_date)

    examples()


def test_every_operation_answers_as_documented(wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    turkey = Party.objects.get(code="TR")
    commitment = Commitment.objects.for_party(turkey, role="responsible").first()
    turkish_delegate = delegate(turkey, username="tr")
    report = services.progress_report_create(
        commitment=commitment, user=turkish_delegate, note="Concept drafted"
    )
    request = services.extension_create(
        commitment=commitment,
        user=turkish_delegate,
        deadline=commitment.deadline + datetime.timedelta(days=90),
        reason="Parliament ratifies later",
    )
    share = {"commitment_pk": commitment.pk, "code": "TR"}
    real = {
        "/api/v1/commitments/{commitment_pk}/shares/{code}/": share,
        "/api/v1/commitments/{commitment_pk}/shares/{code}/status/": share,
        "/api/v1/commitments/{commitment_pk}/shares/{code}/updates/": share,
        "/api/v1/commitments/{commitment_pk}/extensions/": {"commitment_pk": commitment.pk},
        "/api/v1/commitments/{commitment_pk}/updates/{id}/review/": {
            "commitment_pk": commitment.pk,
            "id": report.pk,
        },
        "/api/v1/extensions/{id}/": {"id": request.pk},
        "/api/v1/extensions/{id}/decision/": {"id": request.pk},
        "/api/v1/parties/{code}/": {"code": "TR"},
        "/api/v1/meetings/{code}/": {"code": "HCA-9"},
        "/api/v1/decisions/{id}/": {"id": Decision.objects.first().pk},
        "/api/v1/documents/{id}/": {"id": Document.objects.first().pk},
        "/api/v1/commitments/{id}/": {"id": commitment.pk},
        "/api/v1/commitments/{id}/status/": {"id": commitment.pk},
        "/api/v1/commitments/{commitment_pk}/updates/": {"commitment_pk": commitment.pk},
    }
    callers = [
        ("secretariat", token_headers(staff()), MAX_EXAMPLES),
        ("delegate", token_headers(turkish_delegate), MAX_EXAMPLES),
        ("anonymous", {}, ANONYMOUS_EXAMPLES),
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: Counter = Counter()
    writes: Counter = Counter()
    failures: list[str] = []

    def send(case, up_to_date: bool, caller: str, headers: dict) -> None:
        # Half the writes carry the version stored now (and a note, which a progress report
        # needs and the schema cannot say), so that they get past those checks to the
        # validation of the rest and the service behind it.
        operation = (case.method, case.path)
        if up_to_date and operation in VERSIONED | SHARE_VERSIONED and isinstance(case.body, dict):
            case.body["version"] = (
                Commitment.objects.get(pk=commitment.pk).version
                if operation in VERSIONED
                else CommitmentParty.objects.get(commitment=commitment, party=turkey).version
            )
            case.body.setdefault("note", "Draft sent to the Secretariat.")
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        if case.method != "GET" and response.status_code < 300:
            writes[case.method, case.path] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as failure:
            failures.append(f"as {caller}: {failure}")

    started = time.monotonic()
    for caller, headers, max_examples in callers:

        def send_as(case, up_to_date, caller=caller, headers=headers):
            send(case, up_to_date, caller, headers)

        for operation in operations:
            if operation.path in real:
                # Mostly the resource that exists: for a made-up id or code the answer is a
                # 404 before any of the code worth fuzzing runs.
                run(cases(operation, real[operation.path]), max_examples, send_as)
                run(cases(operation), min(MADE_UP_EXAMPLES, max_examples), send_as)
            else:
                run(cases(operation), max_examples, send_as)
    elapsed = time.monotonic() - started
    requests = sum(statuses.values())
    print(f"\nschemathesis: {requests} requests in {elapsed:.0f} s, statuses {dict(statuses)}")
    assert len(operations) >= 23
    assert not failures, "\n".join(failures[:10])
    assert not [status for status in statuses if status >= 500]
    # The fuzzing got past the validation too, to reads and to writes that were saved. (How
    # many of each varies a little from run to run: the ids in the URLs do.)
    assert {200, 400, 401, 403, 404} <= set(statuses), statuses
    assert writes, statuses
