{{ config(
    unique_key='period_start',
    partition_by=partition_column('period_start'),
    pre_hook="{{ clear_window('period_start', 'week') }}"
) }}

-- Weeks start on Monday (ISO); a run replaces every week that overlaps its window.
{{ resolution_rollup('week') }}
