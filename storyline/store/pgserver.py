"""A throwaway PostgreSQL server on a temporary data directory, for tests and benchmarks.

Debian's server binaries (``initdb``, ``pg_ctl``) are found on PATH or under
``/usr/lib/postgresql/*/bin``. The server listens on loopback only, on a free
port, trusts local connections, and is deleted with its data when stopped.
PostgreSQL refuses to run as root, so under root it runs as the ``postgres``
user (or ``nobody``).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from glob import glob
from pathlib import Path

USER = "storyline"


def find_binary(name: str) -> str | None:
    """A PostgreSQL server program, from PATH or from the newest Debian install."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> int:
        match = re.search(r"/postgresql/(\d+)/", path)
        return int(match.group(1)) if match else 0

    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    return candidates[-1] if candidates else None


def missing_reason() -> str | None:
    """Why no server can be started here, or None when it can."""
    for name in ("initdb", "pg_ctl"):
        if find_binary(name) is None:
            return f"PostgreSQL's {name} is not installed (Debian: apt-get install postgresql)"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run_as() -> str | None:
    """The unprivileged user to run the server as, when we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("PostgreSQL cannot run as root and there is no postgres or nobody user")


class TemporaryServer:
    """``with TemporaryServer() as server: server.create_database("x")`` gives a URL to it."""

    def __init__(self, settings: dict[str, str] | None = None):
        reason = missing_reason()
        if reason:
            raise RuntimeError(reason)
        self.settings = settings or {}
        self.user = _run_as()
        self.root = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self.started = False

    def _run(self, *args: str) -> None:
        done = subprocess.run(args, user=self.user, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {(done.stderr or done.stdout).strip()[-2000:]}")

    def start(self) -> TemporaryServer:
        if self.user:
            shutil.chown(self.root, self.user)
        self._run(
            find_binary("initdb") or "initdb",
            "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        self.port = _free_port()
        options = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.root),
            "max_connections": "200",
            **self.settings,
        }
        line = " ".join(f"-c {key}={value}" for key, value in options.items())
        self._run(
            find_binary("pg_ctl") or "pg_ctl",
            "-D", str(self.data), "-o", line, "-l", str(self.root / "server.log"), "-w", "-t", "60", "start",
        )  # fmt: skip
        self.started = True
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.started:
            self._run(
                find_binary("pg_ctl") or "pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"
            )
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TemporaryServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
