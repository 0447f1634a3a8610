"""Tests that read ../shared/data skip without it locally but fail without it under CI."""

from __future__ import annotations

import pytest

from tests.shared_data import shared_data


def test_missing_reference_data_skips_locally(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not found"):
        shared_data("no_such_dataset/file.json")


@pytest.mark.parametrize("value", ["true", "TRUE", "1"])
def test_missing_reference_data_fails_under_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="CI=true requires it"):
        shared_data("no_such_dataset/file.json")


def test_present_reference_data_is_returned_by_path(monkeypatch, tmp_path):
    monkeypatch.setattr("tests.shared_data.SHARED_DATA", tmp_path)
    (tmp_path / "star").mkdir()
    assert shared_data("star") == tmp_path / "star"
