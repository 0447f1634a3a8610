{#-
    Which rows of int_customer_recontacts a run rebuilds. A conversation's recontact
    row depends on its own header and on its customer's other conversations near it
    (recontact_days after it, returning_customer_days before). So each built row keeps
    a hash of the inputs it read of its own conversation (input_hash: id, day, customer,
    intent, channel, started_at, and the code and vars it was built by), and on DuckDB a
    run rebuilds, inside its window, only:
      - the conversations whose input hash differs from the built row's (a new, changed
        or removed conversation: a built row with no source row, or the reverse), and
      - every conversation of each customer such a conversation had before or has now
        (its neighbours' flags and customer type may change with it).
    The pre-hook deletes those rows; the model then builds the window's conversations
    that have no row (so a run that deleted rows and then failed is repaired by the
    next). A night that loads one new day so rebuilds the new day and the ~10% of the
    window's conversations whose customer came back, not the whole 13-day window
    (docs/performance.md, *Recontacts by changed customer*). Not "the run's days": a day
    changed by a run whose dbt step failed, by a backfill or by hand is seen the same
    way. On Spark (no DELETE on Parquet tables) the window's partitions are dropped and
    all of them rebuilt, as before.
-#}

{#- The code and definitions a row was built by: a change of either (an upgrade, a new
    recontact_days) makes every row of the window differ, so the window is rebuilt
    with it, as the whole window always was before. Bump the constant when a macro the
    model calls changes what a row is (macros are not in a node's checksum). -#}
{% macro recontact_code() -%}
    {%- set recontact_logic = 1 -%}
    {%- set parts = [
        recontact_logic | string,
        var('recontact_days') | string,
        var_is_true('recontact_same_intent') | string,
        var('returning_customer_days') | string,
    ] -%}
    {#- A unit test's graph has no nodes: its rows then carry the constants alone. -#}
    {%- set nodes = graph.get('nodes', {}) if execute else {} -%}
    {%- for name in ['int_customer_recontacts', 'stg_conversations'] -%}
        {%- set node = nodes.get('model.closedloop.' ~ name) -%}
        {%- if node -%}
            {%- do parts.append(node.checksum.checksum[:16]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(parts | join(':')) -}}
{%- endmacro %}

{#- The input hash of a conversation row of stg_conversations (or of a `prefix.` one). -#}
{% macro recontact_input_hash(prefix='') -%}
    {{ row_hash([
        prefix ~ 'conversation_id', prefix ~ 'conversation_date', prefix ~ 'customer_key',
        prefix ~ 'intent', prefix ~ 'channel', prefix ~ 'started_at',
        "'" ~ recontact_code() ~ "'"
    ]) }}
{%- endmacro %}

{#- Pre-hook of int_customer_recontacts. -#}
{% macro clear_recontact_changes() -%}
    {{ return(adapter.dispatch('clear_recontact_changes', 'closedloop')()) }}
{%- endmacro %}

{% macro default__clear_recontact_changes() -%}
    {%- if not is_incremental() -%}
        select 1
    {%- elif 'input_hash' not in (adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list) -%}
        {#- built before rows kept their input hash: the column is added by
            on_schema_change, and this once the window is rebuilt whole -#}
        {{ default__clear_window('conversation_date') }}
    {%- else -%}
        with

        source_rows as (
            select
                conversation_id,
                customer_key,
                {{ recontact_input_hash() }} as input_hash
            from {{ ref('stg_conversations') }}
            where {{ in_date_window('conversation_date') }}
        ),

        built_rows as (
            select conversation_id, customer_key, input_hash
            from {{ this }}
            where {{ in_date_window('conversation_date') }}
        ),

        changes as materialized (
            select
                coalesce(source_rows.conversation_id, built_rows.conversation_id)
                    as conversation_id,
                source_rows.customer_key as customer_now,
                built_rows.customer_key as customer_before
            from source_rows
            full outer join built_rows
                on source_rows.conversation_id = built_rows.conversation_id
            where source_rows.input_hash is distinct from built_rows.input_hash
        )

        delete from {{ this }}
        where
            {{ in_date_window('conversation_date') }}
            and (
                conversation_id in (select conversation_id from changes)
                or customer_key in (
                    select customer_now from changes where customer_now is not null
                    union
                    select customer_before from changes where customer_before is not null
                )
            )
    {%- endif -%}
{%- endmacro %}

{% macro spark__clear_recontact_changes() -%}
    {{ return(spark__clear_window('conversation_date')) }}
{%- endmacro %}

{#- DuckDB appends the rows the pre-hook left missing; Spark overwrites the window's
    day partitions (incremental_strategy, incremental.sql). -#}
{% macro recontact_strategy() -%}
    {{ return('insert_overwrite' if target.type == 'spark' else 'append') }}
{%- endmacro %}
