with

source as (

    select * from {{ source('scrubbed', 'events') }}

),

parsed as (

    select
        *,
        -- a malformed payload must not fail the build; it reads as "no payload"
        coalesce({{ json_is_valid('payload') }}, false) as payload_is_valid
    from source

),

renamed as (

    select
        -- ids
        conversation_id,
        seq,
        agent_key,

        -- event
        lower(actor) as actor,
        lower(event_type) as event_type,
        text as message_text,
        payload,
        payload_is_valid,

        -- payload fields, each only on the event type that carries it
        case
            when lower(event_type) = 'handoff_requested' and payload_is_valid
                then nullif({{ json_string('payload', '$.reason') }}, '')
        end as handoff_reason,
        case
            when lower(event_type) = 'feedback'
                then
                    lower(trim(coalesce(
                        case when payload_is_valid then {{ json_string('payload', '$.value') }} end,
                        text
                    )))
        end as feedback_raw,
        case
            when lower(event_type) = 'csat' and payload_is_valid
                then try_cast({{ json_string('payload', '$.score') }} as integer)
        end as csat_event_score,

        -- timestamps
        partition_date as conversation_date,
        sent_at

    from parsed

),

final as (

    select
        conversation_id,
        seq,
        agent_key,
        actor,
        event_type,
        message_text,
        payload,
        payload_is_valid,
        handoff_reason,
        csat_event_score,
        conversation_date,
        sent_at,
        case
            when feedback_raw in ('positive', 'negative') then feedback_raw
        end as feedback_value
    from renamed

)

select * from final
