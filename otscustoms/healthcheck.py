"""The web container's health probe: docker-compose.yml runs ``python otscustoms/healthcheck.py``.

GET /healthz on the container's own port, over plain HTTP. Two things stood between such a
probe and a 200 with the shipped .env.example: Django answers 400 to a Host it does not allow
(127.0.0.1 is not among them in production), and redirects plain HTTP to HTTPS. So the probe
names the first host the deployment allows, and /healthz is exempt from the redirect
(SECURE_REDIRECT_EXEMPT). Standard library only, run by path: it starts in a fraction of the
time Django would, every few seconds.
"""

from __future__ import annotations

import http.client
import os
import sys
import urllib.request
from collections.abc import Mapping

PORT = 8000  # gunicorn's --bind in docker-compose.yml
PATH = "/healthz"


def probe_host(environ: Mapping[str, str]) -> str:
    """The first host of ALLOWED_HOSTS (comma-separated, as the settings read it) that can
    name a request: ".example.org" allows example.org; a wildcard allows any."""
    for entry in environ.get("ALLOWED_HOSTS", "").split(","):
        host = entry.strip().lstrip(".")
        if host and "*" not in host:
            return host
    return "localhost"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect is an unhealthy answer, and following it would leave the container.
    def redirect_request(self, *args, **kwargs):
        return None


def probe(environ: Mapping[str, str] = os.environ, base: str = f"http://127.0.0.1:{PORT}") -> bool:
    # No proxy from the environment: the probe talks to this container only.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
    request = urllib.request.Request(base + PATH, headers={"Host": probe_host(environ)})
    try:
        with opener.open(request, timeout=4) as response:
            return response.status == 200
    except (OSError, ValueError, http.client.HTTPException):  # refused, timed out, an error status
        return False


if __name__ == "__main__":
    sys.exit(0 if probe() else 1)
