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
