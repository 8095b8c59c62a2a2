"""Fresh stores for benchmarks on any backend: ``--db sqlite``, ``--db postgresql`` or ``--db postgresql://URL``.

``postgresql`` starts a throwaway server (Debian's binaries, a temporary data
directory) with ``synchronous_commit=off``: like SQLite's WAL with
``synchronous=NORMAL``, a crash of the machine may lose the last commits but never
corrupts. A URL names a server of your own: each run gets a new database on it
(``CREATE DATABASE`` rights needed), dropped afterwards.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from storyline.store import is_database_url

BENCH_SERVER_SETTINGS = {"synchronous_commit": "off", "shared_buffers": "256MB"}


def backend_name(spec: str) -> str:
    return "postgresql" if spec == "postgresql" or is_database_url(spec) else "sqlite"


class FreshStores:
    """Hands out new empty databases and removes them (and any throwaway server) on close."""

    def __init__(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.server = None
        self.created: list[tuple[str, str]] = []  # (admin URL, database) on servers we do not own

    def new(self, spec: str) -> str:
        name = f"bench_{uuid.uuid4().hex[:12]}"
        if backend_name(spec) == "sqlite":
            return str(Path(self.tmp.name) / f"{name}.db")
        if spec == "postgresql":
            if self.server is None:
                from storyline.store.pgserver import TemporaryServer

                self.server = TemporaryServer(BENCH_SERVER_SETTINGS).start()
            return self.server.create_database(name)
        import psycopg

        with psycopg.connect(spec, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        self.created.append((spec, name))
        return urlsplit(spec)._replace(path=f"/{name}").geturl()

    def close(self) -> None:
        import gc

        gc.collect()  # stores left open by a failed run close their pools
        for admin_url, name in self.created:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if self.server is not None:
            self.server.stop()
        self.tmp.cleanup()

    def __enter__(self) -> FreshStores:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
