"""Monitoring outputs: mart queries, alert notifiers and the daily HTML report (no Dagster)."""
