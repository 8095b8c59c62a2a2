"""Warm the readers up once, before the 2 s deadline applies to each example."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _warm() -> None:
    from tests.fuzz.test_fuzz import warm_up

    warm_up()
