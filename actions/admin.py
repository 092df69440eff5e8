from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from actions.models import (
    Commitment,
    CommitmentParty,
    CommitmentSource,
    DeadlineExtension,
    Reminder,
    StatusUpdate,
)


class CommitmentPartyInline(admin.TabularInline):
    model = CommitmentParty
    extra = 1
    fields = ["party", "role", "status", "deadline", "version"]
    readonly_fields = ["version"]


class CommitmentSourceInline(admin.TabularInline):
    model = CommitmentSource
    extra = 0
    fields = ["document", "paragraph", "quote"]


class StatusUpdateInline(admin.TabularInline):
    model = StatusUpdate
    fk_name = "commitment"
    extra = 0
    fields = [
        "created_at",
        "author",
        "kind",
        "old_status",
        "new_status",
        "note",
        "evidence",
        "shared",
        "review_state",
    ]
    # Evidence is read-only here: an upload would skip the type check of actions.evidence,
    # and the file's own URL is served by nothing (see otscustoms/urls.py).
    readonly_fields = ["created_at", "evidence"]

    @admin.display(description=_("evidence"))
    def evidence(self, update: StatusUpdate) -> str:
        if not update.attachment:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("actions:report-attachment", args=[update.pk]),
            update.original_name or update.attachment.name.rsplit("/", 1)[-1],
        )


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "meeting",
        "responsible_text",
        "deadline",
        "deadline_precision",
        "status",
    ]
    list_filter = ["status", "deadline_precision", "meeting__series", "meeting", "links__party"]
    list_select_related = ["meeting__series"]
    search_fields = ["action", "responsible_text", "deadline_text", "reference"]
    date_hierarchy = "deadline"
    readonly_fields = ["version", "created_at", "updated_at"]
    raw_id_fields = ["decision", "superseded_by", "due_meeting"]
    inlines = [CommitmentPartyInline, CommitmentSourceInline, StatusUpdateInline]

    def save_model(self, request, obj, form, change):
        # Admin edits bump the version too, so open browser forms and API clients notice.
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The commitment's status follows the shares the inline may have changed.
        from actions.shares import refresh_status

        refresh_status(form.instance)


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(admin.ModelAdmin):
    """The record of extensions. They are made and decided in the register itself, where the
    deadlines move with them; here they are only read."""

    list_display = ["commitment", "party", "deadline", "state", "requested_by", "requested_at"]
    list_filter = ["state", "party"]
    list_select_related = ["commitment", "party", "requested_by"]
    search_fields = ["reason", "commitment__action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    list_display = [
        "commitment",
        "kind",
        "author",
        "party",
        "new_status",
        "review_state",
        "created_at",
    ]
    list_filter = ["kind", "review_state", "party"]
    list_select_related = ["commitment", "author", "party"]
    search_fields = ["note", "commitment__action"]
    raw_id_fields = ["commitment"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The reminder log: what was sent to whom, when, and what failed. Rows are written by the
    reminder machinery only; the admin may reset a failed one to pending to retry it."""

    list_display = [
        "due_on",
        "recipient",
        "party",
        "kind",
        "commitment",
        "delivery",
        "state",
        "attempts",
        "sent_at",
    ]
    list_filter = ["state", "delivery", "kind", "party", "due_on"]
    list_select_related = ["recipient", "party", "commitment"]
    search_fields = ["recipient__username", "recipient__email", "commitment__action", "error"]
    date_hierarchy = "due_on"
    raw_id_fields = ["recipient", "commitment", "status_update"]
    readonly_fields = [
        "recipient",
        "party",
        "role",
        "commitment",
        "status_update",
        "kind",
        "deadline",
        "due_on",
        "delivery",
        "attempts",
        "claim_token",
        "claimed_at",
        "sent_at",
        "error",
        "created_at",
    ]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry: make the selected failed reminders pending again")
    def retry(self, request, queryset):
        count = queryset.filter(state="failed").update(state="pending", attempts=0, error="")
        self.message_user(request, f"{count} reminder(s) will be sent at the next run.")
