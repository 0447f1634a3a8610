"""The Wilson-interval dbt macro, rendered with plain Jinja and run in DuckDB, against statsmodels."""

from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import pytest
from statsmodels.stats.proportion import proportion_confint

WILSON_MACROS = Path(__file__).resolve().parents[2] / "dbt_project" / "macros" / "wilson.sql"
# The macro file is plain Jinja (no dbt context), so jinja2 alone can render it.
MACROS = jinja2.Environment().from_string(WILSON_MACROS.read_text())


def wilson_sql(successes: int, n: int) -> tuple[float | None, float | None]:
    module = MACROS.module
    sql = f"select {module.wilson_low(successes, n)}, {module.wilson_high(successes, n)}"
    with duckdb.connect() as con:
        return con.execute(sql).fetchone()


@pytest.mark.parametrize(
    ("successes", "n"),
    [(0, 10), (5, 10), (10, 10), (81, 263), (1, 1), (0, 1), (1, 3), (999, 1000), (3, 100_000)],
)
def test_matches_statsmodels(successes: int, n: int) -> None:
    low, high = wilson_sql(successes, n)
    expected_low, expected_high = proportion_confint(successes, n, alpha=0.05, method="wilson")
    assert low == pytest.approx(expected_low, abs=1e-12)
    assert high == pytest.approx(expected_high, abs=1e-12)


def test_literature_value() -> None:
    # Newcombe (1998), example 81/263: Wilson 95% interval 0.2553 to 0.3662.
    low, high = wilson_sql(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_bounds_are_exact_at_the_edges() -> None:
    # The marts' "ci_low <= rate <= ci_high" test needs these exact, not within rounding.
    assert wilson_sql(0, 7)[0] == 0.0
    assert wilson_sql(7, 7)[1] == 1.0


def test_no_interval_without_observations() -> None:
    assert wilson_sql(0, 0) == (None, None)
