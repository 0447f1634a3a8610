"""Fixtures for the dbt project tests (builders live in tests/dbt/helpers.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.dbt.helpers import DbtProject


@pytest.fixture(scope="module")
def dbt_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DbtProject]:
    tmp = tmp_path_factory.mktemp("dbt")
    previous = os.environ.get("CLOSEDLOOP_WAREHOUSE")
    yield DbtProject(warehouse=tmp / "warehouse.duckdb", tmp=tmp)
    if previous is None:
        os.environ.pop("CLOSEDLOOP_WAREHOUSE", None)
    else:
        os.environ["CLOSEDLOOP_WAREHOUSE"] = previous
