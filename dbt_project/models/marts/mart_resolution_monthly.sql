{{ config(
    unique_key='period_start',
    partition_by=partition_column('period_start'),
    pre_hook="{{ clear_window('period_start', 'month') }}"
) }}

-- A run replaces every calendar month that overlaps its window.
{{ resolution_rollup('month') }}
