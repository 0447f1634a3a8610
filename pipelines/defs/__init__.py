"""Dagster objects only: each module exposes ``defs`` and wires domain code from
``pipelines.sources``, ``pipelines.pii``, ``pipelines.stats`` and ``dbt_project``."""
