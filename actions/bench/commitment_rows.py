"""The commitments of the synthetic register, with their parties, sources, reports and
history: the bulk of its rows."""

from __future__ import annotations

import datetime

from actions.bench.copy import next_id
from actions.bench.shape import (
    BIG_MEETING,
    CHUNK,
    FEED_SHARE,
    NOTES,
    OBJECTS,
    PURPOSES,
    TODAY,
    VERBS,
    _aware,
    _end_of_month,
)
from actions.models import (
    Commitment,
    CommitmentParty,
    CommitmentSource,
    Precision,
    ReviewState,
    Role,
    ShareStatus,
    Status,
    StatusUpdate,
    UpdateKind,
)


class CommitmentRows:
    """The commitments part of ``actions.bench.generator._Generator``."""

    def _deadline(self, mid: int, date: datetime.date | None):
        """(deadline, precision, text, due_meeting)"""
        rng = self.rng
        base = date or TODAY
        r = rng.random()
        if r < 0.10:
            return None, "", "", None
        if r < 0.25 and mid in self.next_meeting:
            nxt = self.next_meeting[mid]
            return nxt[2], Precision.EVENT, "at the next meeting", nxt[0]
        due = base + datetime.timedelta(days=rng.randint(30, 720))
        if r < 0.60:
            return due, Precision.DAY, f"by {due.day} {due:%B %Y}", None
        if r < 0.80:
            due = _end_of_month(due)
            return due, Precision.MONTH, f"in {due:%B %Y}", None
        if r < 0.85:
            quarter_end = _end_of_month(due.replace(day=1, month=((due.month - 1) // 3) * 3 + 3))
            return (
                quarter_end,
                Precision.QUARTER,
                f"in Q{(due.month - 1) // 3 + 1} {due.year}",
                None,
            )
        return due.replace(month=12, day=31), Precision.YEAR, f"by the end of {due.year}", None

    def _status(self, deadline: datetime.date | None, date: datetime.date | None) -> str:
        r = self.rng.random()
        if date is None or date >= TODAY:
            return Status.OPEN
        if deadline is not None and deadline < TODAY - datetime.timedelta(days=365):
            if r < 0.75:
                return Status.DONE
            if r < 0.80:
                return Status.CANCELLED
            if r < 0.85:
                return Status.SUPERSEDED
            return Status.OPEN if r < 0.95 else Status.IN_PROGRESS  # long overdue
        if r < 0.45:
            return Status.OPEN
        if r < 0.75:
            return Status.IN_PROGRESS
        if r < 0.88:
            return Status.SUBMITTED
        return Status.DONE

    def commitments(self) -> None:
        rng = self.rng
        cid = next_id(Commitment)
        link_id, source_id, update_id = (
            next_id(CommitmentParty),
            next_id(CommitmentSource),
            next_id(StatusUpdate),
        )
        history_id = next_id(Commitment.history.model)
        rows, links, sources, updates, history = [], [], [], [], []
        # Commitments are agreed at meetings that were held; planned ones are only due dates.
        held = [m for m in self.meetings if m[2] is not None and m[2] < TODAY]
        # The latest held meeting is a big one (1,000 commitments at scale): the
        # implementation report of the PDF case. The others share the rest evenly.
        big = min(BIG_MEETING, self.to_make // 5) if len(held) > 1 else 0
        per_meeting = -(-(self.to_make - big) // max(1, len(held) - bool(big)))
        quota = {m[0]: per_meeting for m in held}
        if big:
            quota[held[-1][0]] = big
            held = [held[-1], *held[:-1]]  # first, so that it gets its full quota
        # 5 % at scale; more in a tiny data set, so that its filtered cases still find rows.
        feed_share = max(FEED_SHARE, min(0.5, 300 / self.to_make))
        recent_share = max(0.003, min(0.1, 10 / self.to_make))  # ~300 a week at 100,000
        made = 0
        codes = {pk: code for code, pk in self.all_parties.items()}
        for mid, s, date, _parties in held:
            pool = self.series_pool[s]
            minutes, protocol = self.meeting_docs[mid]
            for n in range(1, quota[mid] + 1):
                if made >= self.to_make:
                    break
                made += 1
                decision_id, decision_no = rng.choice(self.meeting_decisions[mid])
                deadline, precision, deadline_text, due_meeting = self._deadline(mid, date)
                status = self._status(deadline, date)
                k = rng.choices((1, 2, 3, 4), weights=(55, 25, 12, 8))[0]
                responsible = rng.sample(pool, k=min(k, len(pool)))
                if rng.random() < feed_share:
                    responsible[0:0] = [self.feed_party]
                    responsible = responsible[:4]
                partners = []
                if rng.random() < 0.25:
                    partners = (
                        [self.secretariat]
                        if rng.random() < 0.5
                        else [p for p in rng.sample(pool, k=1) if p not in responsible]
                    )
                created = _aware(date, 12)
                # Most rows were last touched soon after their meeting, few lately: a client
                # syncing weekly gets a few hundred changes out of 100,000.
                age = (TODAY - date).days
                updated_day = date + datetime.timedelta(days=int(age * rng.random() ** 4))
                if rng.random() < recent_share:  # this week's progress reports and edits
                    updated_day = TODAY - datetime.timedelta(days=rng.randint(0, 6))
                updated = _aware(updated_day, rng.randint(13, 18), rng.randint(0, 59))
                adjectives = " and ".join(codes[p] for p in responsible)
                action = (
                    f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)} "
                    f"{rng.choice(PURPOSES)}".strip()
                    + "."
                )
                rows.append(
                    (cid, 1 + (status != Status.OPEN), created, updated, mid, decision_id,
                     f"C{n:03d}", action, f"{adjectives} side(s)", deadline, precision,
                     deadline_text, due_meeting, "next meeting" if due_meeting else "", status,
                     None, deadline, precision)
                )  # fmt: skip
                share = status if status in ShareStatus.values else ShareStatus.OPEN
                for p in responsible:
                    links.append((link_id, cid, p, Role.RESPONSIBLE, share))
                    link_id += 1
                for p in partners:
                    links.append((link_id, cid, p, Role.PARTNER, ""))
                    link_id += 1
                sources.append((source_id, cid, minutes, str(decision_no), action))
                source_id += 1
                if rng.random() < 0.4:
                    sources.append((source_id, cid, protocol, str(decision_no), action))
                    source_id += 1
                if status != Status.OPEN:
                    author = self.delegate_user.get(responsible[0], self.secretariat_user)
                    for i in range(rng.randint(1, 3)):
                        last = i == 0
                        when = max(created, updated - datetime.timedelta(days=30 * i))
                        updates.append(
                            (update_id, cid, author, responsible[0], UpdateKind.PROGRESS, "",
                             "", rng.choice(NOTES), "",
                             ReviewState.PENDING if last and status == Status.SUBMITTED
                             else ReviewState.NONE,
                             None, None, when)
                        )  # fmt: skip
                        update_id += 1
                if cid % 5 == 0:  # some history: the creation, and the last change if any
                    hist = (cid, 1, created, f"C{n:03d}", action, f"{adjectives} side(s)",
                            deadline, precision, deadline_text, "", Status.OPEN)  # fmt: skip
                    history.append(
                        (*hist, history_id, created, None, "+", decision_id, due_meeting,
                         self.secretariat_user, mid, None)
                    )  # fmt: skip
                    history_id += 1
                    if status != Status.OPEN:
                        history.append(
                            (*hist[:-1], status, history_id, updated, None, "~", decision_id,
                             due_meeting, self.secretariat_user, mid, None)
                        )  # fmt: skip
                        history_id += 1
                cid += 1
                if len(rows) >= CHUNK:
                    self._flush(rows, links, sources, updates, history)
                    rows, links, sources, updates, history = [], [], [], [], []
        self._flush(rows, links, sources, updates, history)

    def _flush(self, rows, links, sources, updates, history) -> None:
        w = self.w
        w.write(
            Commitment,
            ["id", "version", "created_at", "updated_at", "meeting", "decision", "reference",
             "action", "responsible_text", "deadline", "deadline_precision", "deadline_text",
             "due_meeting", "due_event", "status", "superseded_by", "agreed_deadline",
             "agreed_precision"],
            rows,
        )  # fmt: skip
        w.write(CommitmentParty, ["id", "commitment", "party", "role", "status"], links)
        w.write(CommitmentSource, ["id", "commitment", "document", "paragraph", "quote"], sources)
        w.write(
            StatusUpdate,
            ["id", "commitment", "author", "party", "kind", "old_status", "new_status", "note",
             "attachment", "review_state", "reviewed_by", "reviewed_at", "created_at"],
            updates,
        )  # fmt: skip
        w.write(
            Commitment.history.model,
            ["id", "version", "created_at", "reference", "action", "responsible_text", "deadline",
             "deadline_precision", "deadline_text", "due_event", "status", "history_id",
             "history_date", "history_change_reason", "history_type", "decision", "due_meeting",
             "history_user", "meeting", "superseded_by"],
            history,
        )  # fmt: skip
