with

source as (

    select * from {{ source('scrubbed', 'conversations') }}

),

renamed as (

    select
        -- ids
        conversation_id,
        customer_key,

        -- dimensions: a missing value becomes 'unknown' so every slice has a name
        source as source_system,
        coalesce(channel, 'unknown') as channel,
        coalesce(locale, 'unknown') as locale,
        coalesce(market, 'unknown') as market,
        coalesce(intent, 'unknown') as intent,
        coalesce(bot_version, 'unknown') as bot_version,

        -- survey
        cast(csat_score as integer) as csat_score,
        csat_submitted_at,

        -- timestamps
        partition_date as conversation_date,
        started_at,
        ended_at

    from source

)

select * from renamed
