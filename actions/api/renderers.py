from __future__ import annotations

from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    """Lets `Accept: text/csv` through content negotiation. It renders nothing: the export
    streams its own body, and its errors are answered in JSON like every other error of the
    API (CommitmentViewSet.finalize_response)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
