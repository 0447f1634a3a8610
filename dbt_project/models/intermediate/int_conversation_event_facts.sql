{{ config(
    materialized='incremental',
    incremental_strategy=incremental_strategy(),
    unique_key='conversation_date',
    partition_by=partition_column('conversation_date'),
    on_schema_change='fail',
    meta={'publish_window': 'conversation_date'},
    pre_hook="{{ clear_changed_event_days() }}"
) }}

-- meta.publish_window: this model rewrites rows of that column's days from the run's
-- window's first day on only: the days the publish reads again
-- (pipelines/warehouse/journal.py).

-- What a conversation's events say, one row per conversation with events. Rebuilt only
-- for the days of the window whose scrubbed events changed since they were built
-- (macros/event_days.sql): a night reads the events of the day(s) it scrubbed, not of
-- its whole window. A first build (or --full-refresh) builds every day of the window.

{%- set rebuilt_days = changed_event_days(this) if is_incremental() else none %}

with

-- the fingerprint of each rebuilt day's scrubbed events, as scrubbed_event_days makes it
event_days as (

    select
        partition_date as conversation_date,
        count(*) as day_events,
        {{ rows_fingerprint(scrubbed_event_columns()) }} as day_fingerprint
    from {{ source('scrubbed', 'events') }}
    where
        {{ in_date_window('partition_date') }}
        {%- if rebuilt_days is not none %}
            and {{ in_days('partition_date', rebuilt_days) }}
        {%- endif %}
    group by partition_date

),

events as (

    select * from {{ ref('stg_events') }}
    where
        {{ in_date_window('conversation_date') }}
        {%- if rebuilt_days is not none %}
            and {{ in_days('conversation_date', rebuilt_days) }}
        {%- endif %}

),

classified_events as (

    select
        conversation_id,
        conversation_date,
        seq,
        sent_at,
        event_type,
        handoff_reason,
        feedback_value,
        csat_event_score,
        event_type = 'message' and actor = 'bot' as is_bot_message,
        event_type = 'message' and actor = 'customer' as is_customer_message,
        event_type = 'message' and actor = 'agent' as is_agent_message,
        event_type in ('handoff_requested', 'handoff_accepted')
        or (event_type = 'message' and actor = 'agent') as is_handoff_signal
    from events

),

sequenced_events as (

    select
        *,
        -- (a CASE, not FILTER: Spark has no FILTER clause on window aggregates)
        min(case when is_handoff_signal then seq end)
            over (partition by conversation_id) as first_handoff_seq
    from classified_events

),

event_summary as (

    select
        conversation_id,
        -- an event carries its conversation's day: one day per conversation
        min(conversation_date) as conversation_date,
        count(*) filter (where event_type = 'message') as messages,
        count(*) filter (where is_customer_message) as customer_messages,
        count(*) filter (where is_bot_message) as bot_messages,
        count(*) filter (where is_agent_message) as agent_messages,
        min(seq) filter (where is_customer_message) as first_customer_message_seq,
        max(seq) filter (where is_bot_message) as last_bot_message_seq,
        min(first_handoff_seq) as first_handoff_seq,
        min(sent_at) filter (where seq = first_handoff_seq) as first_handoff_at,
        count(*) filter (where is_bot_message and seq < first_handoff_seq)
            as bot_turns_before_handoff,
        -- seq is unique within a conversation, so these picks are deterministic
        min_by(handoff_reason, seq) filter (where handoff_reason is not null) as handoff_reason,
        max_by(feedback_value, seq) filter (where feedback_value is not null) as last_feedback,
        max_by(csat_event_score, seq) filter (where csat_event_score is not null)
            as csat_event_score
    from sequenced_events
    group by conversation_id

),

final as (

    select
        event_summary.*,
        event_days.day_events,
        event_days.day_fingerprint,
        -- the code that built the row: a day built by other code is rebuilt
        '{{ event_facts_version() }}' as facts_version
    from event_summary
    left join event_days
        on event_summary.conversation_date = event_days.conversation_date

)

select * from final
