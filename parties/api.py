"""/api/v1/parties/: the member and observer states, the Secretariat and guests."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from otscustoms.api import ContentNegotiation, read_only_schema
from otscustoms.converters import PARTY_CODE
from parties.models import Party


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["code", "name", "official_name", "kind", "adjective"]


class PartyRefSerializer(serializers.ModelSerializer):
    """A party as other resources mention it."""

    class Meta:
        model = Party
        fields = ["code", "name"]


@read_only_schema(PartySerializer, PartySerializer)
class PartyViewSet(viewsets.ReadOnlyModelViewSet):
    """Parties, in the order of the OTS lists. Look one up by its code (TR, UZ, OTS)."""

    queryset = Party.objects.all()
    content_negotiation_class = ContentNegotiation
    serializer_class = PartySerializer
    lookup_field = "code"
    lookup_value_regex = PARTY_CODE
    filterset_fields = ["kind"]

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()
