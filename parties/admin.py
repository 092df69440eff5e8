from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parties.models import Membership, Party, PartyAlias, Person, PersonAlias


class PartyAliasInline(admin.TabularInline):
    model = PartyAlias
    extra = 1


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "official_name", "order"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "official_name", "aliases__name"]
    inlines = [PartyAliasInline]
    ordering = ["order", "name"]


class PersonAliasInline(admin.TabularInline):
    model = PersonAlias
    extra = 1


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "honorific", "party"]
    list_filter = ["party"]
    list_select_related = ["party"]
    search_fields = ["name", "aliases__name"]
    inlines = [PersonAliasInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "party", "receive_reminders", "notification_mode"]
    list_filter = ["party", "receive_reminders", "notification_mode"]
    list_select_related = ["user", "party"]
    search_fields = ["user__username", "user__email", "party__code", "party__name"]
    autocomplete_fields = ["user", "party"]
