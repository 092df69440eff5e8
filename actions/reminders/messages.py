"""What the emails say: one digest for all of a recipient's claimed rows (deadline reminders,
change notices, the weekly overdue summary), and the words of a change.

A reminder is about the recipient's party's own share: its status and its effective deadline,
written with the deadline as agreed and the extension in force ("until 1 April 2024 —
extended to 30 September 2024: <reason>"). A change notice names whose report or share it
concerns ("Türkiye's report on HCA-9 C02 was accepted")."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef, Prefetch
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import (
    Commitment,
    CommitmentParty,
    Precision,
    Reminder,
    ReminderState,
    ReviewState,
    Role,
    StatusUpdate,
    UpdateKind,
)
from actions.querysets import deadline_extensions
from actions.reminders.rules import CHANGE_KIND, SUMMARY_KIND
from actions.templatetags.otsweb import agreed_and_extended
from actions.templatetags.share_tags import shares_progress

ACTION_WORDS = 12  # of the action, where a commitment has no reference to name it by


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}"


def _day(day: datetime.date | None) -> str:
    return date_format(day, "j F Y") if day else _("no date")


def commitment_label(commitment: Commitment) -> str:
    """How an email names a commitment: 'HCA-9 C02', or the meeting and the first words of
    the action when it has no reference."""
    if commitment.reference:
        return f"{commitment.meeting.code} {commitment.reference}"
    words = commitment.action.split()
    action = " ".join(words[:ACTION_WORDS]) + (" …" if len(words) > ACTION_WORDS else "")
    return f"{commitment.meeting.code} “{action}”"


def change_headline(update: StatusUpdate, commitment: Commitment) -> str:
    """One line saying what changed and whose report or share it concerns."""
    what = {
        "ref": commitment_label(commitment),
        "party": update.party.name if update.party_id else "",
        "old": update.get_old_status_display(),
        "new": update.get_new_status_display(),
    }
    whose = bool(update.party_id)
    moved = bool(update.old_status and update.new_status != update.old_status)
    if update.kind == UpdateKind.PROGRESS:
        words = {
            (True, True): _("%(party)s reported progress on %(ref)s: %(old)s → %(new)s"),
            (True, False): _("%(party)s reported progress on %(ref)s"),
        }.get((whose, moved), _("Progress reported on %(ref)s"))
    elif update.kind == UpdateKind.REVIEW:
        words = {
            (True, ReviewState.ACCEPTED): _("%(party)s's report on %(ref)s was accepted"),
            (True, ReviewState.REJECTED): _("%(party)s's report on %(ref)s was returned"),
            (False, ReviewState.ACCEPTED): _("The report on %(ref)s was accepted"),
            (False, ReviewState.REJECTED): _("The report on %(ref)s was returned"),
        }.get((whose, update.review_state))
        words = words or (
            _("%(party)s's report on %(ref)s was reviewed")
            if whose
            else _("A report on %(ref)s was reviewed")
        )
    elif update.kind == UpdateKind.STATUS:
        words = (
            _("%(party)s's share of %(ref)s: %(old)s → %(new)s")
            if whose
            else _("%(ref)s, the whole commitment: %(old)s → %(new)s")
        )
    elif whose and not update.author.is_staff:
        words = _("%(party)s asks for more time on %(ref)s")
    elif whose:
        words = _("Deadline of %(party)s's share of %(ref)s")
    else:
        words = _("Deadline of %(ref)s, for every party")
    return words % what


def deadline_correction_note(
    old: tuple[datetime.date | None, str, str],
    new: tuple[datetime.date | None, str, str],
    *,
    extended_to: datetime.date | None = None,
) -> str:
    """The note of an edit of the agreed deadline, (date, precision, phrase) before and after:
    what was corrected, and that an extension in force stays."""
    labels = dict(Precision.choices)
    changes = []
    if old[0] != new[0]:
        changes.append(_("date %(old)s → %(new)s") % {"old": _day(old[0]), "new": _day(new[0])})
    if old[1] != new[1]:
        changes.append(
            _("precision %(old)s → %(new)s")
            % {"old": labels.get(old[1], "—"), "new": labels.get(new[1], "—")}
        )
    if old[2] != new[2]:
        changes.append(
            _("phrase “%(old)s” → “%(new)s”") % {"old": old[2] or "—", "new": new[2] or "—"}
        )
    note = _("Agreed deadline corrected: %(changes)s.") % {"changes": "; ".join(changes)}
    if old[2] == new[2] and new[2] and old[0] != new[0]:
        note += " " + _("The phrase as agreed stays “%(phrase)s”.") % {"phrase": new[2]}
    if extended_to is not None:
        note += " " + _("The extension to %(date)s stays in force.") % {"date": _day(extended_to)}
    return note


# ---------------------------------------------------------------------------------------------
# The digest.


def _reminder_item(row: Reminder, commitment: Commitment | None, today: datetime.date):
    """What the email says of a deadline reminder, or None when it is no longer true: the
    share was done or waived, the commitment closed, or the share's deadline moved."""
    share = commitment.share_for(row.party_id) if commitment is not None else None
    if (
        share is None
        or not share.is_active
        or not commitment.is_active
        or share.effective_deadline != row.deadline
    ):
        return None
    return {
        "row": row,
        "commitment": commitment,
        "share": share,
        "label": commitment_label(commitment),
        "deadline": share.effective_deadline,
        "agreed": agreed_and_extended(commitment, row.party_id),
        "extended": commitment.extension_for(row.party_id) is not None,
        "overdue": share.is_overdue(today),
        "progress": shares_progress(commitment) if len(commitment.shares) > 1 else "",
        "url": _absolute(commitment.get_absolute_url()),
    }


def _change_item(row: Reminder, commitment: Commitment | None) -> dict:
    update = row.status_update
    item = {"row": row, "update": update, "commitment": commitment, "url": ""}
    if commitment is None:
        return item
    # Whose deadline to show: the share the change concerns, else the recipient's own.
    party_id = update.party_id
    if party_id is None and commitment.share_for(row.party_id) is not None:
        party_id = row.party_id
    item.update(
        headline=change_headline(update, commitment),
        deadline=update.kind == UpdateKind.DEADLINE,
        agreed=agreed_and_extended(commitment, party_id),
        url=_absolute(commitment.get_absolute_url()),
    )
    return item


def build_message(
    *, recipient, rows: list[Reminder], today: datetime.date, token: uuid.UUID | None = None
) -> EmailMultiAlternatives | None:
    """One email for all of ``rows``; stale reminders (a share done, a deadline moved, a
    commitment closed) are marked skipped and left out. None if nothing is left to say."""
    commitments = (
        Commitment.objects.with_related()
        .prefetch_related(deadline_extensions())
        .in_bulk({r.commitment_id for r in rows if r.commitment_id})
    )
    reminders, changes, stale, summary = [], [], [], None
    for row in rows:
        commitment = commitments.get(row.commitment_id)
        if row.kind == SUMMARY_KIND:
            summary = overdue_by_party(today=row.due_on)
        elif row.kind == CHANGE_KIND:
            changes.append(_change_item(row, commitment))
        elif (item := _reminder_item(row, commitment, today)) is not None:
            reminders.append(item)
        else:
            stale.append(row.pk)
    if stale:
        Reminder.objects.filter(pk__in=stale).update(
            state=ReminderState.SKIPPED,
            error="No longer due: the share was done, its deadline moved or it was closed.",
        )
    if summary is not None and not summary:
        Reminder.objects.filter(claim_token=token, kind=SUMMARY_KIND).update(
            state=ReminderState.SKIPPED, error="Nothing overdue."
        )
        summary = None
    if not (reminders or changes or summary):
        return None
    # Overdue first, then by deadline.
    reminders.sort(key=lambda r: (not r["overdue"], r["deadline"], r["commitment"].pk))
    context = {
        "recipient": recipient,
        "today": today,
        "reminders": reminders,
        "changes": changes,
        "summary": summary,
        "overdue_count": sum(r["overdue"] for r in reminders),
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=_subject(reminders=reminders, changes=changes, summary=summary, today=today),
        body=render_to_string("actions/email/digest.txt", context),
        to=[recipient.email],
        headers={"X-OTS-Reminder-Ids": ",".join(str(r.pk) for r in rows if r.pk not in stale)},
    )
    message.attach_alternative(render_to_string("actions/email/digest.html", context), "text/html")
    return message


def _subject(*, reminders, changes, summary, today: datetime.date) -> str:
    parts = []
    overdue = sum(r["overdue"] for r in reminders)
    if overdue:
        parts.append(ngettext("%(n)d overdue", "%(n)d overdue", overdue) % {"n": overdue})
    if len(reminders) > overdue:
        soon = len(reminders) - overdue
        parts.append(ngettext("%(n)d due soon", "%(n)d due soon", soon) % {"n": soon})
    if changes:
        parts.append(ngettext("%(n)d change", "%(n)d changes", len(changes)) % {"n": len(changes)})
    if summary:
        parts.append(_("weekly overdue summary"))
    return _("OTS customs register — %(what)s (%(day)s)") % {
        "what": ", ".join(parts),
        "day": today.isoformat(),
    }


# ---------------------------------------------------------------------------------------------
# The Secretariat's weekly summary.


def _summary_line(commitment: Commitment, party_id: int | None, due, today) -> dict:
    return {
        "commitment": commitment,
        "label": commitment_label(commitment),
        "url": _absolute(commitment.get_absolute_url()),
        "days_late": (today - due).days,
        "agreed": agreed_and_extended(commitment, party_id),
    }


def overdue_by_party(*, today: datetime.date) -> list[dict]:
    """Every overdue share, grouped by its party in the parties' order, each by its own
    effective deadline; then overdue commitments that name no responsible party. A fixed
    number of queries: the shares (+ party, commitment, meeting, series), the commitments'
    links and extensions, and the same three for the commitments without a share."""
    from actions.reminders.sweep import remindable_shares

    extensions = deadline_extensions().queryset
    links = CommitmentParty.objects.select_related("party")
    shares = (
        remindable_shares()
        .filter(due__lt=today)
        .select_related("party", "commitment__meeting__series")
        .prefetch_related(
            Prefetch("commitment__links", queryset=links, to_attr="link_list"),
            Prefetch("commitment__extensions", queryset=extensions, to_attr="extension_list"),
        )
        .order_by("party__order", "party__name", "due", "commitment_id")
    )
    groups: dict[int, dict] = {}
    for share in shares:
        group = groups.setdefault(share.party_id, {"party": share.party, "commitments": []})
        group["commitments"].append(
            _summary_line(share.commitment, share.party_id, share.due, today)
        )
    has_share = CommitmentParty.objects.filter(commitment=OuterRef("pk"), role=Role.RESPONSIBLE)
    unshared = (
        Commitment.objects.overdue(today)
        .exclude(Exists(has_share))
        .select_related("meeting__series")
        .prefetch_related(deadline_extensions())
        .order_by("deadline", "id")
    )
    nobody = [_summary_line(c, None, c.deadline, today) for c in unshared]
    return [
        *groups.values(),
        *([{"party": None, "commitments": nobody}] if nobody else []),
    ]
