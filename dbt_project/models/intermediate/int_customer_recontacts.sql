{{ config(
    materialized='incremental',
    incremental_strategy=recontact_strategy(),
    partition_by=partition_column('conversation_date'),
    on_schema_change='append_new_columns',
    meta={'publish_window': 'conversation_date'},
    pre_hook=["{{ list_recontact_changes() }}", "{{ clear_recontact_changes() }}"],
    post_hook="{{ drop_recontact_changes() }}"
) }}

-- meta.publish_window: this model rewrites rows of that column's days from the run's
-- window's first day on only: the days the publish reads again
-- (pipelines/warehouse/journal.py).

{%- set same_intent_only = var_is_true('recontact_same_intent') -%}

-- Incremental over the run's window, by changed customer: the pre-hook deletes the
-- window's rows whose inputs changed and every row of their customers
-- (macros/recontact_changes.sql); this builds the same rows again from the run's list
-- of changes. Their neighbours may lie outside the window (the look-back before it, the
-- recontact window after it), so those are read from all loaded days, bounded by date.

with

conversations as (

    select
        conversation_id,
        customer_key,
        intent,
        channel,
        started_at,
        conversation_date
    from {{ ref('stg_conversations') }}

),

window_conversations as (

    select * from conversations
    where
        {%- if recontacts_by_change() %}
            {{ rebuilt_by_change('conversation_id', 'customer_key', 'conversation_date') }}
        {%- else %}
            {{ in_date_window('conversation_date') }}
        {%- endif %}

),

-- Every conversation that can be a neighbour of one in the window: from the
-- returning-customer look-back before the window to the recontact window after it.
-- conversation_date is the business-timezone day of started_at, so the bound is
-- widened by two days each side (a 24-hour step across a DST change, a UTC day that
-- differs from the local one); the exact bounds are in the join below.
candidates as (

    select * from conversations
    where
        conversation_date
        >= {{ add_days(
            "cast('" ~ window_date('min_date') ~ "' as date)", -(var('returning_customer_days') | int) - 2
        ) }}
        and conversation_date
        <= {{ add_days(
            "cast('" ~ window_date('max_date') ~ "' as date)",
            (var('recontact_days') | int) + 2
            + ((var('returning_customer_days') | int) + 2 if recontacts_by_change() else 0)
        ) }}

),

-- Every other conversation of the same customer that started within the
-- returning-customer look-back or the recontact window. The time bounds keep the
-- self-join small: a customer with a year of history only pairs with neighbours.
neighbours as (

    select
        this.conversation_id,
        this.started_at,
        other.conversation_id as other_conversation_id,
        other.started_at as other_started_at,
        other.channel as other_channel,
        other.started_at > this.started_at
        and other.started_at < {{ recontact_window('this.started_at') }}
        {%- if same_intent_only %}
            and other.intent = this.intent
        {%- endif %} as is_recontact,
        other.started_at < this.started_at as is_earlier
    from window_conversations as this
    inner join candidates as other
        on
            this.customer_key = other.customer_key
            and this.conversation_id <> other.conversation_id
            and other.started_at
            >= {{ add_hours('this.started_at', '-24 * ' ~ var('returning_customer_days')) }}
            and other.started_at < {{ recontact_window('this.started_at') }}

),

-- The first recontact of each conversation is rank 1; ties on started_at are broken
-- by id so every rebuild picks the same one.
ranked_neighbours as (

    select
        *,
        row_number() over (
            partition by conversation_id, is_recontact
            order by other_started_at, other_conversation_id
        ) as neighbour_rank
    from neighbours

),

per_conversation as (

    select
        conversation_id,
        count(*) filter (where is_recontact) as recontacts,
        min(other_started_at) filter (where is_recontact) as next_started_at,
        max(other_conversation_id) filter (where is_recontact and neighbour_rank = 1)
            as next_conversation_id,
        max(other_channel) filter (where is_recontact and neighbour_rank = 1) as next_channel,
        max(other_started_at) filter (where is_earlier) as previous_started_at
    from ranked_neighbours
    group by conversation_id

),

final as (

    select
        window_conversations.conversation_id,
        window_conversations.conversation_date,
        window_conversations.customer_key,
        coalesce(per_conversation.recontacts, 0) as recontacts,
        coalesce(per_conversation.recontacts, 0) > 0 as recontacted,
        per_conversation.next_conversation_id,
        per_conversation.next_started_at,
        per_conversation.next_channel,
        {{ epoch_seconds('per_conversation.next_started_at') }}
        - {{ epoch_seconds('window_conversations.started_at') }} as seconds_to_recontact,
        per_conversation.previous_started_at,
        case
            when window_conversations.customer_key is null then 'unknown'
            when per_conversation.previous_started_at is not null then 'returning'
            else 'new'
        end as customer_type,
        {{ recontact_input_hash('window_conversations.') }} as input_hash
    from window_conversations
    left join per_conversation
        on window_conversations.conversation_id = per_conversation.conversation_id

)

select * from final
