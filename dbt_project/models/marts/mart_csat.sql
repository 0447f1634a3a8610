{{ config(pre_hook="{{ clear_window('conversation_date') }}") }}

-- Post-conversation survey results by who handled the conversation: the bot alone,
-- the bot then a human, or a human alone. CSAT is answered by a self-selected
-- minority, so every cell carries its response rate next to the score.

with

conversations as (

    select
        *,
        case
            when bot_involved and not handed_off then 'bot'
            when bot_involved and handed_off then 'bot_then_human'
            when handed_off then 'human'
            else 'none'
        end as handling
    from {{ ref('fct_conversations') }}
    where {{ in_date_window('conversation_date') }}

),

cells as (

    select
        conversation_date,
        intent,
        handling,
        count(*) as conversations,
        count(csat_score) as rated,
        count(*) filter (where csat_score = 1) as score_1,
        count(*) filter (where csat_score = 2) as score_2,
        count(*) filter (where csat_score = 3) as score_3,
        count(*) filter (where csat_score = 4) as score_4,
        count(*) filter (where csat_score = 5) as score_5,
        count(*) filter (where csat_score >= 4) as csat_top2,
        avg(csat_score) as csat_mean
    from conversations
    group by conversation_date, intent, handling

),

final as (

    select
        *,
        cast(rated as double) / conversations as csat_response_rate,
        {{ wilson_low('rated', 'conversations') }} as csat_response_rate_ci_low,
        {{ wilson_high('rated', 'conversations') }} as csat_response_rate_ci_high,
        cast(csat_top2 as double) / nullif(rated, 0) as csat_top2_rate,
        {{ wilson_low('csat_top2', 'rated') }} as csat_top2_rate_ci_low,
        {{ wilson_high('csat_top2', 'rated') }} as csat_top2_rate_ci_high,
        -- the n of the score rates; csat_response_rate's n (conversations) is never smaller
        rated < {{ var('min_n') }} as csat_below_min_n
    from cells

)

select * from final
