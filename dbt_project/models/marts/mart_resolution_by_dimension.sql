{{ config(pre_hook="{{ clear_window('conversation_date') }}") }}

{#- dimension name -> the expression that names a conversation's slice (the vocabulary
    in dbt_project.yml, which monitoring and the GX suites read too) -#}
{%- set dimensions = var('resolution_dimensions') -%}

with

conversations as (

    select * from {{ ref('fct_conversations') }}
    where {{ in_date_window('conversation_date') }}

),

-- one copy of each conversation per dimension, labelled with its slice
sliced as (

    {%- for dimension, slice_expression in dimensions.items() %}

        select
            *,
            '{{ dimension }}' as dimension,
            {{ slice_expression }} as slice
        from conversations
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

slice_counts as (

    select
        conversation_date,
        dimension,
        slice,
        {{ resolution_counts() }}
    from sliced
    group by conversation_date, dimension, slice

),

final as (

    select
        *,
        {{ resolution_rates() }}
    from slice_counts

)

select * from final
