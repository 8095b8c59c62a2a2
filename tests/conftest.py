"""Shared fixtures: paths to the evaluation data and a few invented articles."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
SEEDS = SHARED / "seeds"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path


# Invented reports, long enough for near-duplicate signatures.
FLOOD_REPORT = (
    "Heavy rain caused the river Tessa to burst its banks on Sunday, flooding the lower town of Marrow. "
    "Emergency services evacuated about 1,200 residents overnight and opened three shelters in school halls. "
    "The regional governor said the water had reached its highest level since 1987 and warned that the "
    "dams upstream were being watched around the clock. Roads to the north of the town remain closed, and "
    "the railway line was suspended after a section of embankment collapsed near the old mill. "
    "Volunteers filled sandbags through the night while engineers pumped water from the hospital basement."
)
STRIKE_REPORT = (
    "Dock workers at the port of Calvera walked out on Monday in a dispute over night-shift pay, leaving "
    "more than forty ships waiting at anchor. The union said the strike would last at least five days "
    "unless the port authority reopened talks. Exporters warned that perishable cargo was already at risk, "
    "and the chamber of commerce estimated losses of two million euros a day. The port authority called the "
    "walkout illegal and said it would seek an injunction from the labour court later in the week."
)


# -- stores on every backend ----------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the whole session (skipped only where none is installed)."""
    from storyline.store import pgserver

    reason = pgserver.missing_reason()
    if reason:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    # durability is not under test: no fsync keeps each test's fresh database quick
    server = pgserver.TemporaryServer({"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"})
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path) -> str:
    """Where a fresh, empty store lives: a SQLite file path, or a new PostgreSQL database's URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"test_{uuid.uuid4().hex[:16]}")
