{{ config(pre_hook="{{ clear_window('conversation_date') }}") }}

-- Each run replaces whole days (unique_key is the day, not the conversation): every
-- conversation of a day in the window is rebuilt, including its recontact flag.

with

outcomes as (

    select * from {{ ref('int_conversation_outcomes') }}

)

select * from outcomes
where {{ in_date_window('conversation_date') }}
