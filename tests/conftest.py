"""Shared fixtures: paths to the evaluation data and a few invented articles."""

from __future__ import annotations

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
