"""Parties (member and observer states, the Secretariat, guests), persons and delegations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PartyKind(models.TextChoices):
    MEMBER = "member", _("Member state")
    OBSERVER = "observer", _("Observer state")
    SECRETARIAT = "secretariat", _("Secretariat")
    GUEST = "guest", _("Guest")
    OTHER = "other", _("Other body")


class PartyQuerySet(models.QuerySet):
    def states(self) -> PartyQuerySet:
        """The parties that 'the Parties' of a meeting can mean: members and observers."""
        return self.filter(kind__in=[PartyKind.MEMBER, PartyKind.OBSERVER])

    def members(self) -> PartyQuerySet:
        return self.filter(kind=PartyKind.MEMBER)


class Party(models.Model):
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("ISO 3166 alpha-2 for states (TR, UZ), OTS for the Secretariat."),
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("Short name: Türkiye."))
    official_name = models.CharField(
        _("official name"), max_length=200, blank=True, help_text=_("Republic of Türkiye.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PartyKind.choices)
    adjective = models.CharField(
        _("adjective"), max_length=60, blank=True, help_text=_("As in 'Turkish side'.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = PartyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2,8}$"),
                name="party_code_upper_letters",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_state(self) -> bool:
        return self.kind in (PartyKind.MEMBER, PartyKind.OBSERVER)


class PartyAlias(models.Model):
    """Another way the documents name a party: 'Turkish side', 'Republic of Türkiye'."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("party alias")
        verbose_name_plural = _("party aliases")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="party_alias_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    name = models.CharField(
        _("name"), max_length=200, help_text=_("As printed in the list: Shahin BAGHIROV.")
    )
    honorific = models.CharField(_("honorific"), max_length=40, blank=True, help_text="H.E., Mr.")
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
        help_text=_("The delegation the person belongs to."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [models.Index(Lower("name"), name="person_name_ci")]

    def __str__(self) -> str:
        return f"{self.honorific} {self.name}".strip()


class PersonAlias(models.Model):
    """Another spelling of a person's name: Akmalhuja / Akmalkhuja Mavlonov."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person alias")
        verbose_name_plural = _("person aliases")
        constraints = [
            models.UniqueConstraint("person", Lower("name"), name="person_alias_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, one email per change")
    DIGEST = "digest", _("Once a day, as a digest")


class Membership(models.Model):
    """A user's place in a delegation, and how they want to be notified."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="memberships")
    receive_reminders = models.BooleanField(
        _("deadline reminders"),
        default=True,
        help_text=_("Email me before my delegation's deadlines and while they are overdue."),
    )
    notification_mode = models.CharField(
        _("change notifications"),
        max_length=10,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("delegation membership")
        verbose_name_plural = _("delegation memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.party.code}"


class TokenScope(models.TextChoices):
    API = "api", _("REST API")
    CALENDAR = "calendar", _("Calendar feeds")


class AccessTokenQuerySet(models.QuerySet):
    def live(self) -> AccessTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class AccessToken(models.Model):
    """A secret a user gives a program: an API client or a calendar that subscribes to a feed.

    Only a SHA-256 of the secret is stored (see ``parties.tokens``): a leaked database does not
    leak working tokens, and the secret is shown to its owner once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    scope = models.CharField(_("scope"), max_length=10, choices=TokenScope.choices)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What uses it, e.g. 'customs ERP sync'.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("first characters"),
        max_length=12,
        editable=False,
        help_text=_("Enough of the token to recognise it; the rest is never stored."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        indexes = [models.Index(fields=["user", "scope"], name="token_user_scope")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
