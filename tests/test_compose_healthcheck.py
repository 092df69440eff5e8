"""The web container's health check passes with the shipped .env.example: its probe names a
host those settings allow, and /healthz answers 200 over plain HTTP although every other page
is redirected to HTTPS. Docker is not needed: the compose file is read, the settings are
built from .env.example in a fresh process, and Django's test client plays the request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import yaml
from django.test import Client, override_settings

from otscustoms import healthcheck

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def env_example() -> dict[str, str]:
    """.env.example as docker compose's env_file reads it, plus what compose itself sets."""
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value
    environment = compose()["x-app"]["environment"]
    values["DATABASE_URL"] = environment["DATABASE_URL"].replace(
        "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}", values["POSTGRES_PASSWORD"]
    )
    values["REDIS_URL"] = environment["REDIS_URL"]
    return values


SETTINGS_READ = ["DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT"]


@pytest.fixture(scope="module")
def production_settings() -> dict:
    """The settings a container started with .env.example has (read in a process of their
    own: settings are read once, at start)."""
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SETTINGS_READ!r}}}))"
    )
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH"}
    environ = {k: v for k, v in os.environ.items() if k in keep}
    environ |= env_example() | {"DJANGO_SETTINGS_MODULE": "otscustoms.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_web_service_runs_the_probe_against_gunicorns_port():
    web = compose()["services"]["web"]
    assert web["healthcheck"]["test"] == ["CMD", "python", "otscustoms/healthcheck.py"]
    assert f"0.0.0.0:{healthcheck.PORT}" in web["command"]
    assert (ROOT / "otscustoms" / "healthcheck.py").is_file()  # in the image: COPY . .


def test_the_probe_answers_200_with_the_shipped_settings(db, production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    host = healthcheck.probe_host(env_example())
    assert host == "register.example.org"
    with override_settings(**production_settings):
        client = Client()  # its middleware is built now, from these settings
        assert client.get(healthcheck.PATH, HTTP_HOST=host).status_code == 200
        # What the old probe met: 127.0.0.1 is not an allowed host, and other pages redirect.
        assert client.get(healthcheck.PATH, HTTP_HOST="127.0.0.1").status_code == 400
        assert client.get("/accounts/login/", HTTP_HOST=host).status_code == 301


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("register.example.org,www.example.org", "register.example.org"),
        (" .example.org ", "example.org"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_probe_host_is_the_first_allowed_name(allowed, host):
    assert healthcheck.probe_host({"ALLOWED_HOSTS": allowed}) == host


class _Recorder(BaseHTTPRequestHandler):
    answers: list[int] = []
    hosts: list[str] = []

    def do_GET(self):
        self.hosts.append(self.headers["Host"])
        status = self.answers.pop(0)
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "https://register.example.org/healthz")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_probe_over_http_names_the_host_and_takes_only_a_200():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    _Recorder.answers[:] = [200, 301, 400]
    try:
        environ = {"ALLOWED_HOSTS": "register.example.org"}
        assert healthcheck.probe(environ, base=base) is True
        assert healthcheck.probe(environ, base=base) is False  # a redirect is not followed
        assert healthcheck.probe(environ, base=base) is False
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.hosts == ["register.example.org"] * 3
    assert healthcheck.probe({}, base="http://127.0.0.1:9") is False  # nothing listening
