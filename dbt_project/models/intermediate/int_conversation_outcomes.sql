-- A view of the run's window, computed once, by fct_conversations, which stores it:
-- as a table it stored the same rows twice each night (a write of the whole window).
-- Every read below is bounded by the window (its days are baked in when the view is
-- created: a run's view shows that run's window; a plain `dbt build`'s, every day).
-- A conversation's event facts come from int_conversation_event_facts (rebuilt per day
-- only when the day's scrubbed events change); an event carries its conversation's
-- partition day, so the window's conversations need only the window's facts.

with

conversations as (

    select * from {{ ref('stg_conversations') }}
    where {{ in_date_window('conversation_date') }}

),

recontacts as (

    select * from {{ ref('int_customer_recontacts') }}
    where {{ in_date_window('conversation_date') }}

),

-- is_final compares a day with the last day loaded anywhere, not just in the window.
loaded as (

    select max(conversation_date) as last_date_loaded
    from {{ ref('stg_conversations') }}

),

-- The verdict of the judge in force (var judge, Settings.judge; docs/judges.md):
-- one row per conversation and judge.
judgements as (

    select
        conversation_id,
        verdict as judge_verdict
    from {{ source('judge', 'conversation_judgements') }}
    where
        judge = '{{ var("judge") }}'
        and {{ in_date_window('partition_date') }}

),

-- What each conversation's events say, built per day only when that day's scrubbed
-- events change (int_conversation_event_facts): the window's days are read here as
-- built, not recomputed from every event of the window.
event_summary as (

    select * from {{ ref('int_conversation_event_facts') }}
    where {{ in_date_window('conversation_date') }}

),

joined as (

    select
        conversations.*,
        coalesce(event_summary.messages, 0) as messages,
        coalesce(event_summary.customer_messages, 0) as customer_messages,
        coalesce(event_summary.bot_messages, 0) as bot_messages,
        coalesce(event_summary.agent_messages, 0) as agent_messages,
        event_summary.first_handoff_at,
        event_summary.first_handoff_seq,
        event_summary.handoff_reason as handoff_reason_given,
        event_summary.last_feedback,
        event_summary.bot_turns_before_handoff,
        -- the header's survey score wins; a csat event fills in when it is missing
        coalesce(conversations.csat_score, event_summary.csat_event_score) as csat_score_final,
        coalesce(event_summary.bot_messages, 0) > 0 as bot_involved,
        event_summary.first_handoff_seq is not null as handed_off,
        coalesce(
            event_summary.last_bot_message_seq > event_summary.first_customer_message_seq,
            false
        ) as bot_answered,
        coalesce(recontacts.recontacted, false) as recontacted,
        coalesce(recontacts.recontacts, 0) as recontacts,
        recontacts.next_conversation_id,
        recontacts.next_channel,
        recontacts.seconds_to_recontact,
        recontacts.customer_type,
        judgements.judge_verdict,
        loaded.last_date_loaded
    from conversations
    cross join loaded
    left join event_summary
        on conversations.conversation_id = event_summary.conversation_id
    left join recontacts
        on conversations.conversation_id = recontacts.conversation_id
    left join judgements
        on conversations.conversation_id = judgements.conversation_id

),

ladder as (

    select
        *,
        bot_involved and not handed_off as contained,
        bot_involved and not handed_off and not bot_answered as abandoned,
        bot_involved
        and not handed_off
        and bot_answered
        and coalesce(last_feedback, 'none') <> 'negative' as assumed_resolved
    from joined

),

final as (

    select
        -- ids
        conversation_id,
        customer_key,
        next_conversation_id,

        -- dimensions
        conversation_date,
        source_system,
        channel,
        locale,
        market,
        intent,
        bot_version,
        customer_type,

        -- the resolution ladder
        bot_involved,
        handed_off,
        case when handed_off then coalesce(handoff_reason_given, 'unspecified') end
            as handoff_reason,
        bot_answered,
        -- an agent wrote: a human actually handled it (a handoff request alone can be
        -- a customer who left the queue before anyone answered)
        agent_messages > 0 as human_answered,
        abandoned,
        contained,
        assumed_resolved,
        assumed_resolved
        and (coalesce(last_feedback = 'positive', false) or coalesce(csat_score_final >= 4, false))
            as confirmed_resolved,
        recontacted,
        assumed_resolved and not recontacted as durable_resolved,
        -- behaviour and content agree; unsure or no verdict is not verified (a floor)
        assumed_resolved and not recontacted and coalesce(judge_verdict = 'resolved', false)
            as verified_resolved,
        judge_verdict,
        -- Day granularity on purpose: loaded partitions are whole days. Final only when
        -- no run can still load a recontact (final_lag_days); every run rebuilds back
        -- to the oldest provisional day, so a day turns final even after a gap
        -- (pipelines/dbt_args.py dbt_window).
        last_date_loaded
        >= {{ add_days('conversation_date', final_lag_days()) }} as is_final,

        -- feedback and survey
        last_feedback,
        csat_score_final as csat_score,

        -- activity
        messages,
        customer_messages,
        bot_messages,
        agent_messages,
        recontacts,
        next_channel,
        case when handed_off then bot_turns_before_handoff end as bot_turns_before_handoff,
        {{ epoch_seconds('first_handoff_at') }}
        - {{ epoch_seconds('started_at') }} as seconds_to_handoff,
        seconds_to_recontact,

        -- timestamps
        started_at,
        ended_at,
        first_handoff_at

    from ladder

)

select * from final
