"""Fixtures for the annotation tests."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.annotation.annotation_data import synthetic_population


@pytest.fixture(scope="session")
def population() -> pd.DataFrame:
    return synthetic_population()
