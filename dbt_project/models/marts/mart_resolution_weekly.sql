{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='period_start',
        on_schema_change='fail',
        pre_hook="{{ clear_window('period_start', 'week') }}"
    )
}}

-- Weeks start on Monday (ISO); a run replaces every week that overlaps its window.
{{ resolution_rollup('week') }}
