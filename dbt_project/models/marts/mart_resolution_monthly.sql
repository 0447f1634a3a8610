{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='period_start',
        on_schema_change='fail',
        pre_hook="{{ clear_window('period_start', 'month') }}"
    )
}}

-- A run replaces every calendar month that overlaps its window.
{{ resolution_rollup('month') }}
