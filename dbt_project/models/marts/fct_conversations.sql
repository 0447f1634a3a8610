{{ config(
    incremental_strategy=changed_rows_strategy(),
    row_key='conversation_id',
    meta={'publish_window': 'conversation_date'},
    pre_hook="{{ clear_window_unless_changed_rows('conversation_date') }}"
) }}

-- meta.publish_window: this model rewrites rows of that column's days from the run's
-- window's first day on only: the days the publish reads again
-- (pipelines/warehouse/journal.py).

-- Each run rebuilds whole days (unique_key is the day, not the conversation): every
-- conversation of a day in the window is computed again, including its recontact flag.
-- On DuckDB only the rows that differ from the stored ones are written
-- (macros/changed_rows.sql); on Spark the window's day partitions are replaced.

with

outcomes as (

    select * from {{ ref('int_conversation_outcomes') }}

)

select * from outcomes
where {{ in_date_window('conversation_date') }}
