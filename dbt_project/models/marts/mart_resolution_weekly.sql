{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='period_start',
        on_schema_change='fail'
    )
}}

-- Weeks start on Monday (ISO); a run replaces every week that overlaps its window.
{{ resolution_rollup('week') }}
