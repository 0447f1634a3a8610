{{ config(pre_hook="{{ clear_window('conversation_date') }}") }}

with

conversations as (

    select * from {{ ref('fct_conversations') }}
    where {{ in_date_window('conversation_date') }}

),

daily_counts as (

    select
        conversation_date,
        {{ resolution_counts() }}
    from conversations
    group by conversation_date

),

daily_rates as (

    select
        *,
        {{ resolution_rates() }}
    from daily_counts

),

final as (

    select
        *,
        -- short names for the headline, for dashboards and quick queries
        durable_resolved as resolved,
        resolution_rate_ci_low as ci_low,
        resolution_rate_ci_high as ci_high
    from daily_rates

)

select * from final
