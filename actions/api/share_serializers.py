"""A party's share of a commitment, the deadline as agreed and its extensions, over REST; and
what the writes on shares and extensions accept."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from actions.evidence import check_evidence
from actions.models import (
    Commitment,
    CommitmentParty,
    DeadlineExtension,
    ExtensionState,
    Precision,
    ShareStatus,
)
from otscustoms.limits import NOTE_MAX
from parties.models import Party
from parties.permissions import can_see_extension


class ShareSerializer(serializers.ModelSerializer):
    """One responsible party's share, read with its commitment (``link_list``)."""

    party = serializers.CharField(source="party.code", read_only=True, help_text="e.g. TR")
    status = serializers.ChoiceField(choices=ShareStatus.choices, read_only=True)
    version = serializers.IntegerField(
        read_only=True,
        help_text="The share's version: send it back with a change of this share.",
    )
    deadline = serializers.DateField(
        source="effective_deadline",
        read_only=True,
        allow_null=True,
        help_text="The share's effective deadline: its own extension, else the commitment's.",
    )
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = CommitmentParty
        fields = ["party", "status", "version", "deadline", "is_overdue", "updated_at"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, share: CommitmentParty) -> bool:
        return share.is_overdue(self.context.get("today"))


class AgreedDeadlineSerializer(serializers.Serializer):
    """The deadline as the meeting agreed it; extensions never change it."""

    date = serializers.DateField(source="agreed_deadline", read_only=True, allow_null=True)
    precision = serializers.ChoiceField(
        source="agreed_precision",
        choices=Precision.choices,
        allow_blank=True,
        read_only=True,
        help_text="day, month, quarter, half, year or event; empty when undated.",
    )
    text = serializers.CharField(
        source="deadline_text", read_only=True, help_text="As written, e.g. 'until 1 April 2024'."
    )


class VisibleExtensions(serializers.ListSerializer):
    """A commitment's extensions as the reader may see them (``can_see_extension``): read from
    ``extension_history`` when the commitment was read with it, as the API reads it."""

    def get_attribute(self, instance: Commitment):
        prefetched = getattr(instance, "extension_history", None)
        if prefetched is not None:
            return prefetched
        return list(instance.extensions.select_related("party").order_by("requested_at", "id"))

    def to_representation(self, data):
        user = self.context["request"].user
        visible = [
            extension
            for extension in data
            if can_see_extension(
                user,
                party_id=extension.party_id,
                approved=extension.state == ExtensionState.APPROVED,
            )
        ]
        return super().to_representation(visible)


class ExtensionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:extension-detail")
    commitment = serializers.PrimaryKeyRelatedField(read_only=True)
    party = serializers.CharField(
        source="party.code",
        read_only=True,
        allow_null=True,
        help_text="The party whose share is extended; null for the whole commitment.",
    )
    state = serializers.ChoiceField(
        choices=ExtensionState.choices,
        read_only=True,
        help_text="pending (a delegation's request), approved (in force) or refused.",
    )

    class Meta:
        model = DeadlineExtension
        fields = [
            "id",
            "url",
            "commitment",
            "party",
            "deadline",
            "previous_deadline",
            "reason",
            "state",
            "requested_at",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields
        list_serializer_class = VisibleExtensions


class PartyCodeField(serializers.SlugRelatedField):
    """A party by its code, whatever its case: tr is TR."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Party.objects.all(), **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data.upper() if isinstance(data, str) else data)


class RequiredBooleanField(serializers.BooleanField):
    """A yes/no that must be said: DRF reads a boolean missing from a form as false, and a
    missing "approve" must not refuse a request by itself."""

    default_empty_html = empty


class ShareVersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            min_value=1,
            help_text="The share's version you read (its `version` in the commitment's "
            "`shares`). If the share changed since, nothing is saved and the answer is 409. "
            "An If-Match header with the share's ETag does the same (412).",
            **kwargs,
        )


class ShareStatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ShareStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX, default="")
    version = ShareVersionField()


class ShareReportSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX, help_text="What was done."
    )
    attachment = serializers.FileField(
        required=False,
        allow_empty_file=False,
        help_text=f"Evidence, up to {settings.MAX_UPLOAD_MB} MB: PDF, Word, Excel, PowerPoint "
        "(also .doc, .xls, .ppt), OpenDocument, PNG, JPEG, GIF, WebP, plain UTF-8 text or ZIP, "
        "judged by the content, not the name.",
    )
    status = serializers.ChoiceField(
        choices=ShareStatus.choices,
        required=False,
        help_text="Move the share along with the report (default: an open share goes to in "
        "progress); `submitted` says the share is fulfilled and asks for the review.",
    )
    version = ShareVersionField()

    def validate_attachment(self, value):
        check_evidence(value)
        return value


class ExtensionRequestSerializer(serializers.Serializer):
    deadline = serializers.DateField(help_text="The new deadline, later than the one now.")
    reason = serializers.CharField(max_length=NOTE_MAX, help_text="Why more time is needed.")
    party = PartyCodeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Code of the party whose share is extended; null (the Secretariat only) for "
        "the whole commitment. A delegation's request is always for its own share.",
    )


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = RequiredBooleanField(help_text="true: approve and apply it; false: refuse it.")
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX, default="", help_text="Why."
    )


class ReviewSerializer(serializers.Serializer):
    accept = RequiredBooleanField(help_text="true: accept the report; false: return it.")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX,
        default="",
        help_text="Told to the party whose report it is.",
    )
    mark_done = serializers.BooleanField(
        required=False,
        default=False,
        help_text="With accept: the reporting party's share is done.",
    )
