"""The application in a real browser: Debian's Chromium driven by Playwright against a live
server. A delegation reports progress with evidence, another delegation cannot touch it, the
Secretariat accepts the report, moves a deadline, and a second tab's stale edit is refused
without losing what was typed. Screenshots of the main pages go to $TEST_ARTIFACTS_DIR; the
accessibility check runs axe-core (vendored) on the same pages."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect, sync_playwright

from tests.web_helpers import SCREENSHOTS_TAKEN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("TEST_ARTIFACTS_DIR", "test-artifacts")) / "screenshots"


@pytest.fixture(scope="module")
def browser(live_server):
    """Chromium for this module's tests. It depends on the live server (hence the test
    database) so both are set up before Playwright's event loop starts.

    Playwright's sync API runs an event loop in this thread; the ORM calls of the tests and of
    pytest-django's database fixtures are still plain synchronous code, so Django's async
    check is lifted exactly while the loop runs (this module only: later tests and the
    subprocesses they start keep it). No skip when Chromium is missing: the launch fails, and
    so does the test (CI installs it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def register(transactional_db, settings, tmp_path):
    """The register as `make run` has it: the HCA-9/WG-12 fixtures and the demo users."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False  # several sign-ins from one address in a few seconds
    call_command("load_fixtures", verbosity=0)
    call_command("create_demo_users", verbosity=0)


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SCREENSHOTS_TAKEN.append(path.resolve())


@pytest.fixture
def contexts():
    """Browser contexts of one test, closed at its end so no keep-alive request holds a
    database connection of the live server while the test database is dropped."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def sign_in(
    browser, live_server, username: str, contexts: list, *, bypass_csp: bool = False
) -> Page:
    """A page signed in as ``username``. ``bypass_csp`` only for a test that injects a script
    of its own (axe-core): everything else runs under the site's Content Security Policy."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=bypass_csp
    )
    contexts.append(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill("demo")
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def commitment_links(page: Page) -> set[int]:
    hrefs = page.locator("main a[href^='/commitments/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return {int(m.group(1)) for h in hrefs if (m := re.fullmatch(r"/commitments/(\d+)/", h))}


def test_delegation_reports_and_secretariat_reviews(
    browser, live_server, register, contexts, tmp_path
):
    from actions.models import Commitment, ReviewState, Role, Status, StatusUpdate

    # A delegation member signs in and sees exactly their party's obligations.
    tr = sign_in(browser, live_server, "delegate-tr", contexts)
    expect(tr.get_by_role("heading", level=1)).to_have_text("Obligations of Türkiye")
    expected = set(
        Commitment.objects.for_party("TR", role=Role.RESPONSIBLE).values_list("pk", flat=True)
    )
    assert commitment_links(tr) == expected
    shot(tr, "home-delegation")

    # ... and reports progress on one of them, with evidence, through the htmx form.
    c01 = Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C01")
    tr.goto(f"{live_server.url}/commitments/{c01.pk}/")
    evidence = tmp_path / "silk-road-concept.pdf"
    evidence.write_bytes(b"%PDF-1.4 concept of the Silk Road Initiative")
    tr.get_by_label("What was done").fill("The renovated concept was sent to the Parties.")
    tr.get_by_label("Evidence (optional)").set_input_files(str(evidence))
    tr.get_by_label("submit it for the Secretariat's review").check()
    tr.get_by_role("button", name="Send report").click()
    expect(tr.locator("#messages")).to_contain_text("Your progress report was recorded.")
    expect(tr.locator("ol.updates")).to_contain_text("The renovated concept was sent")
    expect(tr.locator("#status-badge")).to_contain_text("Submitted for review")
    report = StatusUpdate.objects.get(commitment=c01, kind="progress")
    assert report.review_state == ReviewState.PENDING
    assert report.original_name == "silk-road-concept.pdf"
    with tr.expect_download() as download:
        tr.get_by_role("link", name=re.compile("Download the attachment")).click()
    assert Path(download.value.path()).read_bytes() == evidence.read_bytes()
    shot(tr, "commitment-reported")

    # Another delegation sees no form, and the server refuses a forged post.
    kz = sign_in(browser, live_server, "delegate-kz", contexts)
    kz.goto(f"{live_server.url}/commitments/{c01.pk}/")
    expect(kz.get_by_role("heading", level=1)).to_contain_text("Silk Road")
    expect(kz.get_by_text("Report progress")).to_have_count(0)
    expect(kz.get_by_role("link", name="Edit")).to_have_count(0)
    csrf = next(c["value"] for c in kz.context.cookies() if c["name"] == "csrftoken")
    forged = kz.request.post(
        f"{live_server.url}/commitments/{c01.pk}/report/",
        form={"note": "Not ours to report", "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{live_server.url}/commitments/{c01.pk}/"},
    )
    assert forged.status == 403
    assert "only on your delegation" in forged.text()
    assert list(StatusUpdate.objects.filter(commitment=c01)) == [report]

    # The Secretariat sees the report awaiting review and accepts it.
    staff = sign_in(browser, live_server, "secretariat", contexts)
    expect(staff.locator("#pending-h")).to_be_visible()
    expect(staff.get_by_role("link", name="HCA-9 C01")).to_be_visible()
    shot(staff, "home-secretariat")
    staff.get_by_role("link", name="HCA-9 C01").click()
    staff.get_by_label("Accept", exact=True).check()
    expect(staff.get_by_role("group", name="Review Türkiye's report")).to_be_visible()
    staff.get_by_label("Mark Türkiye's share as done").check()
    staff.get_by_role("button", name="Save review").click()
    expect(staff.locator("#messages")).to_contain_text("The report was accepted.")
    expect(staff.locator("#status-badge")).to_contain_text("Done")
    report.refresh_from_db()
    c01.refresh_from_db()
    assert report.review_state == ReviewState.ACCEPTED
    assert c01.status == Status.DONE

    # Staff move a deadline; a second tab opened before that save is refused, input kept.
    c02 = Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C02")
    edit_url = f"{live_server.url}/commitments/{c02.pk}/edit/"
    second_tab = staff.context.new_page()
    second_tab.goto(edit_url)
    staff.goto(edit_url)
    staff.get_by_label("Deadline", exact=True).fill("2024-05-15")
    staff.get_by_label("Deadline as written").fill("until 15 May 2024")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator("#messages")).to_contain_text("The commitment was saved.")
    expect(staff.locator("dl.facts")).to_contain_text("15 May 2024")
    c02.refresh_from_db()
    assert str(c02.deadline) == "2024-05-15"

    typed = "Submit proposals and views on the draft Technical Conditions — typed in tab two"
    second_tab.get_by_label("Action").fill(typed)
    second_tab.get_by_role("button", name="Save").click()
    expect(second_tab.locator("div.error")).to_contain_text("someone else changed this record")
    expect(second_tab.get_by_label("Action")).to_have_value(typed)
    expect(second_tab.locator("#saved-now-h + table")).to_contain_text("15 May 2024")
    shot(second_tab, "commitment-edit-stale")
    c02.refresh_from_db()
    assert c02.action != typed
    assert str(c02.deadline) == "2024-05-15"

    # The move is on the record: in the follow-up list and in the history (the fixtures were
    # loaded without history, so the first recorded version is the staff's edit).
    staff.goto(f"{live_server.url}/commitments/{c02.pk}/")
    expect(staff.locator("ol.updates")).to_contain_text("Deadline change")
    expect(staff.locator("ol.updates")).to_contain_text("1 April 2024 → 15 May 2024")
    staff.goto(f"{live_server.url}/commitments/{c02.pk}/history/")
    expect(staff.locator("tbody")).to_contain_text("secretariat")
    shot(staff, "commitment-history")


def test_a_delegation_moves_its_share_and_asks_for_more_time(
    browser, live_server, register, contexts
):
    from actions.models import Commitment, CommitmentParty, DeadlineExtension

    c02 = Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C02")
    tr = sign_in(browser, live_server, "delegate-tr", contexts)
    tr.goto(f"{live_server.url}/commitments/{c02.pk}/")
    expect(tr.locator("#status-badge")).to_contain_text("0 of 6 parties done")
    own = tr.get_by_role("region", name="Türkiye's share")
    own.get_by_label("New status").select_option("in_progress")
    own.get_by_label("Reason").first.fill("Views being drafted")
    own.get_by_role("button", name="Change the status").click()
    expect(tr.locator("#messages")).to_contain_text("Türkiye's share is now “In progress”.")
    expect(tr.locator("#share-TR")).to_contain_text("In progress")
    expect(tr.locator("#share-KZ")).to_contain_text("Open")
    own = tr.get_by_role("region", name="Türkiye's share")
    own.get_by_label("New deadline").fill("2025-06-30")
    own.get_by_label("Reason").last.fill("The inter-agency review takes longer")
    own.get_by_role("button", name="Send the request").click()
    expect(tr.locator("#messages")).to_contain_text("was sent to the Secretariat")
    expect(tr.locator(".pending-extension")).to_contain_text("30 June 2025")
    shot(tr, "commitment-share-delegation")

    staff = sign_in(browser, live_server, "secretariat", contexts)
    staff.get_by_role("link", name="Awaiting decision").click()
    expect(staff.get_by_text("Türkiye asks for more time, until 30 June 2025")).to_be_visible()
    shot(staff, "awaiting-decision")
    staff.get_by_label("Approve").check()
    staff.get_by_label("Note to Türkiye").fill("Granted once")
    staff.get_by_role("button", name="Save the decision").click()
    expect(staff.locator("#messages")).to_contain_text("Türkiye's request was approved")
    staff.goto(f"{live_server.url}/commitments/{c02.pk}/")
    expect(staff.locator("#share-TR")).to_contain_text("extended to 30 June 2025")
    expect(staff.locator("#deadline")).to_contain_text("as agreed: until 1 April 2024")
    shot(staff, "commitment-shares-secretariat")
    assert DeadlineExtension.objects.get().state == "approved"
    assert str(CommitmentParty.objects.get(commitment=c02, party__code="TR").deadline) == (
        "2025-06-30"
    )


MAIN_PAGES = [
    ("home", "/"),
    ("meetings", "/meetings/"),
    ("meeting-hca-9", "/meetings/HCA-9/"),
    ("commitments", "/commitments/"),
    ("timeline", "/commitments/timeline/"),
    ("matrix-hca-9", "/commitments/matrix/?meeting=HCA-9"),
    ("parties", "/parties/"),
    ("party-tr", "/parties/TR/"),
]


def _axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    # Missing labels and low contrast always fail; so does anything axe rates serious.
    return [
        v
        for v in result
        if v["id"] in ("label", "color-contrast") or v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("username", ["secretariat", "delegate-tr"])
def test_main_pages_pass_accessibility_check(browser, live_server, register, contexts, username):
    page = sign_in(browser, live_server, username, contexts, bypass_csp=True)
    pages = [*MAIN_PAGES]
    from actions.models import Commitment

    first = Commitment.objects.order_by("pk").first()
    pages.append(("commitment", f"/commitments/{first.pk}/"))
    if username == "secretariat":
        pages.append(("commitment-edit", f"/commitments/{first.pk}/edit/"))
        pages.append(("awaiting-decision", "/commitments/awaiting/"))
        pages.append(("meeting-edit", "/meetings/HCA-9/edit/"))
    failures = {}
    for name, path in pages:
        page.goto(f"{live_server.url}{path}")
        shot(page, f"{username}-{name}")
        violations = _axe_violations(page)
        if violations:
            failures[path] = violations
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    shot(page, "login")
    if violations := _axe_violations(page):
        failures["/accounts/login/"] = violations
    assert failures == {}
    # The check can fail: an input without a label on the same page is caught.
    page.evaluate(
        "() => document.querySelector('main form').insertAdjacentHTML('beforeend', "
        "'<input type=text name=unlabelled>')"
    )
    assert "label" in {v["id"] for v in _axe_violations(page)}


def test_pages_and_swagger_ui_run_under_the_content_security_policy(
    browser, live_server, register, contexts
):
    from actions.models import Commitment

    page = sign_in(browser, live_server, "secretariat", contexts)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    first = Commitment.objects.order_by("pk").first()
    for _name, path in [*MAIN_PAGES, ("commitment", f"/commitments/{first.pk}/")]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    # htmx loads (the report and review forms above post through it, under the policy too).
    assert page.evaluate("() => typeof htmx") == "object"
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("otscustoms API")
    expect(page.locator(".opblock-tag").first).to_be_visible()
    shot(page, "api-docs")
    assert refused == []
