{{ config(pre_hook="{{ clear_window('conversation_date') }}") }}

-- Handoffs of bot-involved conversations: why the bot let go, how fast, after how
-- many bot turns, and whether the human then resolved it for good (human_fcr: over
-- the handoffs an agent answered, exactly as in the resolution marts).

with

handoffs as (

    select * from {{ ref('fct_conversations') }}
    where
        {{ in_date_window('conversation_date') }}
        and bot_involved
        and handed_off

),

by_reason as (

    select
        conversation_date,
        intent,
        handoff_reason,
        count(*) as handoffs,
        count(*) filter (where human_answered) as handoffs_answered,
        count(*) filter (where human_answered and not recontacted)
            as handoffs_answered_not_recontacted,
        median(seconds_to_handoff) as median_seconds_to_handoff,
        {{ quantile_cont('seconds_to_handoff', 0.9) }} as p90_seconds_to_handoff,
        avg(bot_turns_before_handoff) as avg_bot_turns_before_handoff,
        count(*) filter (where bot_turns_before_handoff = 0) as handoffs_before_any_bot_turn,
        bool_and(is_final) as is_final
    from handoffs
    group by conversation_date, intent, handoff_reason

),

with_totals as (

    select
        *,
        -- a window sum of BIGINT is HUGEINT (int128) in DuckDB: analysts get a plain integer
        cast(
            sum(handoffs) over (partition by conversation_date, intent) as bigint
        ) as intent_handoffs
    from by_reason

),

final as (

    select
        conversation_date,
        intent,
        handoff_reason,
        handoffs,
        intent_handoffs,
        cast(handoffs as double) / intent_handoffs as reason_share,
        {{ wilson_low('handoffs', 'intent_handoffs') }} as reason_share_ci_low,
        {{ wilson_high('handoffs', 'intent_handoffs') }} as reason_share_ci_high,
        handoffs_answered,
        handoffs_answered_not_recontacted,
        cast(handoffs_answered_not_recontacted as double) / nullif(handoffs_answered, 0)
            as human_fcr,
        {{ wilson_low('handoffs_answered_not_recontacted', 'handoffs_answered') }}
            as human_fcr_ci_low,
        {{ wilson_high('handoffs_answered_not_recontacted', 'handoffs_answered') }}
            as human_fcr_ci_high,
        median_seconds_to_handoff,
        p90_seconds_to_handoff,
        avg_bot_turns_before_handoff,
        handoffs_before_any_bot_turn,
        -- handoffs is the n of the timings; reason_share's n (intent_handoffs) is never
        -- smaller, so this flag covers it too
        handoffs < {{ var('min_n') }} as below_min_n,
        handoffs_answered < {{ var('min_n') }} as human_fcr_below_min_n,
        is_final
    from with_totals

)

select * from final
