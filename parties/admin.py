from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from parties.models import AccessToken, Membership, Party, PartyAlias, Person, PersonAlias


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


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """Staff can see who has tokens and revoke them; only their owner creates them, because
    the secret is shown once, to whoever creates it."""

    list_display = ["name", "user", "scope", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "scope", "name", "prefix", "created_at", "last_used_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{revoked} token(s) revoked.")
