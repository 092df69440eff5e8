from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Commitment
from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    ImportDraft,
    ImportedCommitment,
    Meeting,
    MeetingSeries,
    Participant,
    ReportJob,
)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "organisation"]
    search_fields = ["code", "name"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fk_name = "meeting"
    fields = ["number", "title", "parent", "order"]
    extra = 0


class ParticipantInline(admin.TabularInline):
    model = Participant
    fields = ["party", "order", "honorific", "person", "title", "is_head"]
    autocomplete_fields = ["person"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("party", "person")


class DecisionInline(admin.StackedInline):
    model = Decision
    fields = ["number", "agenda_item", "document", "text"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the agenda items and documents of the meeting being edited.
        meeting_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "agenda_item":
            kwargs["queryset"] = AgendaItem.objects.filter(meeting_id=meeting_id)
        if db_field.name == "document":
            kwargs["queryset"] = Document.objects.filter(meeting_id=meeting_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "series",
        "number",
        "start_date",
        "end_date",
        "city",
        "host",
        "status",
    ]
    list_filter = ["series", "status", "host"]
    list_select_related = ["series", "host"]
    search_fields = ["title", "city", "series__code", "series__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["chair"]
    filter_horizontal = ["parties"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [AgendaItemInline, ParticipantInline, DecisionInline]

    def save_model(self, request, obj, form, change):
        # The admin edits too: bump the version so open forms and API clients see the change,
        # and let commitments due "at" this meeting follow a new date, as the app's own
        # meeting_create and meeting_update services do.
        from actions.services import link_next_meeting, meeting_commitments_follow_date

        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
        if not change:
            link_next_meeting(meeting=obj)
        elif "start_date" in form.changed_data and obj.start_date is not None:
            meeting_commitments_follow_date(meeting=obj)


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "type", "meeting", "reference", "date", "place"]
    list_filter = ["type", "meeting__series"]
    list_select_related = ["meeting__series"]
    search_fields = ["title", "reference", "text"]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "meeting"]
    list_filter = ["meeting__series", "meeting"]
    list_select_related = ["meeting__series"]
    search_fields = ["title"]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["person", "party", "meeting", "order", "title"]
    list_filter = ["party", "meeting"]
    list_select_related = ["person", "party", "meeting__series"]
    search_fields = ["person__name", "person__aliases__name", "title"]
    autocomplete_fields = ["person"]


class CommitmentInline(admin.StackedInline):
    model = Commitment
    fk_name = "decision"
    fields = [
        "reference",
        "action",
        "responsible_text",
        "deadline",
        "deadline_precision",
        "deadline_text",
        "status",
    ]
    extra = 0
    show_change_link = True


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "number", "agenda_item", "document"]
    list_filter = ["meeting__series", "meeting"]
    list_select_related = ["meeting__series", "agenda_item", "document"]
    search_fields = ["text"]
    inlines = [CommitmentInline]


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Printed reports rendered by the worker: to see what failed and why."""

    list_display = ["created_at", "kind", "status", "size", "filename", "requested_by"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "filename", "error"]
    readonly_fields = [f.name for f in ReportJob._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ImportDraft)
class ImportDraftAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["filename"]
    readonly_fields = ["parsed", "summary", "created_at"]


@admin.register(ImportedCommitment)
class ImportedCommitmentAdmin(admin.ModelAdmin):
    """Which commitment each extracted obligation became; delete a row to import it afresh."""

    list_display = ["key", "meeting", "commitment"]
    list_select_related = ["meeting__series", "commitment"]
    list_filter = ["meeting"]
    search_fields = ["key"]
    raw_id_fields = ["commitment"]
    readonly_fields = ["parsed"]
