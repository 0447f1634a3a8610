{#-
    One definition of every resolution metric, shared by the daily, by-dimension,
    weekly and monthly marts, so a rate means the same thing at every grain and a
    rollup is always recomputed from conversation counts (never averaged from rates).

    resolution_counts(): aggregate expressions over fct_conversations rows.
    resolution_rates():  rate + Wilson 95% interval columns over those counts.
-#}

{% macro resolution_counts() -%}
    count(*) as conversations,
    count(*) filter (where bot_involved) as bot_involved,
    count(*) filter (where contained) as contained,
    count(*) filter (where abandoned) as abandoned,
    count(*) filter (where assumed_resolved) as assumed_resolved,
    count(*) filter (where confirmed_resolved) as confirmed_resolved,
    count(*) filter (where durable_resolved) as durable_resolved,
    count(*) filter (where bot_involved and handed_off) as bot_handed_off,
    count(*) filter (where bot_involved and recontacted) as bot_recontacted,
    count(*) filter (where handed_off) as handed_off,
    {#- human_fcr's population, the same as in mart_handoffs: bot handoffs an agent
        answered (not human-only conversations, not queue abandonments) -#}
    count(*) filter (where bot_involved and human_answered) as bot_handoffs_answered,
    count(*) filter (
        where bot_involved and human_answered and not recontacted
    ) as bot_handoffs_answered_not_recontacted,
    count(csat_score) as rated,
    count(*) filter (where csat_score >= 4) as csat_top2,
    cast(coalesce(sum(csat_score), 0) as bigint) as csat_score_sum,
    median(seconds_to_handoff) filter (where bot_involved and handed_off) as median_seconds_to_handoff,
    avg(bot_turns_before_handoff) filter (where bot_involved and handed_off) as avg_bot_turns_before_handoff,
    avg(messages) as messages_per_conversation,
    bool_and(is_final) as is_final
{%- endmacro %}

{% macro resolution_rates() -%}
    {#- (rate column, numerator count, denominator count): the vocabulary in dbt_project.yml -#}
    {%- for rate, numerator, denominator in var("resolution_rates") %}
    cast({{ numerator }} as double) / nullif({{ denominator }}, 0) as {{ rate }},
    {{ wilson_low(numerator, denominator) }} as {{ rate }}_ci_low,
    {{ wilson_high(numerator, denominator) }} as {{ rate }}_ci_high,
    {%- endfor %}
    cast(csat_score_sum as double) / nullif(rated, 0) as csat_mean,
    {#- One small-sample flag per denominator: below_min_n for the bot_involved rates
        (and csat_response_rate, whose denominator is never smaller), then one per
        rate family with its own denominator. -#}
    bot_involved < {{ var("min_n") }} as below_min_n,
    bot_handoffs_answered < {{ var("min_n") }} as human_fcr_below_min_n,
    rated < {{ var("min_n") }} as csat_below_min_n
{%- endmacro %}

{#- A weekly / monthly rollup: every count summed over the period's conversations
    (from fct_conversations, not from daily rates), then the same rates and intervals. -#}
{% macro resolution_rollup(period) -%}
with

conversations as (

    select * from {{ ref('fct_conversations') }}
    where {{ period_in_date_window(period, 'conversation_date') }}

),

period_counts as (

    select
        cast(date_trunc('{{ period }}', conversation_date) as date) as period_start,
        min(conversation_date) as first_date,
        max(conversation_date) as last_date,
        count(distinct conversation_date) as days_with_data,
        {{ resolution_counts() }}
    from conversations
    group by period_start

),

final as (

    select
        *,
        {{ resolution_rates() }}
    from period_counts

)

select * from final
{%- endmacro %}
