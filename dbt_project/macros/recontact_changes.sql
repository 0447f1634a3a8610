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
        (its neighbours' flags and customer type may change with it), and that
        customer's conversations in the returning_customer_days after the window (their
        customer type looks back into it).
    The first pre-hook lists them (joining only the days whose count or sum of hashes
    differs), the second deletes their rows, the model builds the same rows again from
    the list, and the post-hook drops it. A run that fails after the delete leaves rows
    missing; their days then differ, and the next run lists and rebuilds them. A night
    that loads one new day so rebuilds the new day and the ~10% of the window's
    conversations whose customer came back, not the whole 13-day window
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

{#- Whether this build rebuilds by change (DuckDB, incremental, rows with input_hash);
    else the window whole: a first build, --full-refresh, Spark, or a table built
    before rows kept their hash (on_schema_change adds the column, and the window is
    rebuilt whole once). Read before the hooks run: the model's SQL is compiled first. -#}
{% macro recontacts_by_change() -%}
    {%- if not execute or target.type == 'spark' or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {{ return('input_hash' in columns) }}
{%- endmacro %}

{#- The run's list of what to rebuild, written by the first pre-hook and dropped by the
    post-hook: a leftover of a failed run is replaced by the next. -#}
{% macro recontact_changes_relation() -%}
    {{ return(api.Relation.create(
        database=this.database, schema=this.schema, identifier=this.identifier ~ '__changes'
    )) }}
{%- endmacro %}

{#- Pre-hook 1: the window's changed conversations with their customer now and before,
    one row per (conversation, customer). Only the days whose rows differ are joined: a
    day whose built rows have the count and the sum of hashes of its source rows holds
    them all. So a night joins its new day's rows, not the window's 1.35M (100k/day). -#}
{% macro list_recontact_changes() -%}
    {%- if not recontacts_by_change() -%}
        select 1
    {%- else -%}
        create or replace table {{ recontact_changes_relation() }} as

        with

        source_rows as materialized (
            select
                conversation_date,
                conversation_id,
                customer_key,
                {{ recontact_input_hash() }} as input_hash
            from {{ ref('stg_conversations') }}
            where {{ in_date_window('conversation_date') }}
        ),

        built_rows as (
            select conversation_date, conversation_id, customer_key, input_hash
            from {{ this }}
            where {{ in_date_window('conversation_date') }}
        ),

        source_days as (
            select conversation_date, count(*) as day_rows, sum(cast(input_hash as hugeint)) as day_sum
            from source_rows
            group by conversation_date
        ),

        -- count(input_hash): a row without a hash (built before hashes) makes its day differ
        built_days as (
            select
                conversation_date,
                count(input_hash) as day_rows,
                sum(cast(input_hash as hugeint)) as day_sum
            from built_rows
            group by conversation_date
        ),

        changed_days as (
            select coalesce(source_days.conversation_date, built_days.conversation_date) as conversation_date
            from source_days
            full outer join built_days
                on source_days.conversation_date = built_days.conversation_date
            where
                source_days.day_rows is distinct from built_days.day_rows
                or source_days.day_sum is distinct from built_days.day_sum
        ),

        changed_source as materialized (
            select * from source_rows
            where conversation_date in (select conversation_date from changed_days)
        ),

        changed_built as materialized (
            select * from built_rows
            where conversation_date in (select conversation_date from changed_days)
        ),

        -- an id held by more than one row on either side: its pairs may all match (a
        -- duplicate re-delivered away still has one equal row), so it is listed whole
        repeated_ids as (
            select conversation_id from changed_source group by conversation_id having count(*) > 1
            union
            select conversation_id from changed_built group by conversation_id having count(*) > 1
        ),

        changes as materialized (
            select
                coalesce(changed_source.conversation_id, changed_built.conversation_id)
                    as conversation_id,
                changed_source.customer_key as customer_now,
                changed_built.customer_key as customer_before
            from changed_source
            full outer join changed_built
                on changed_source.conversation_id = changed_built.conversation_id
            where
                changed_source.input_hash is distinct from changed_built.input_hash
                or coalesce(changed_source.conversation_id, changed_built.conversation_id)
                in (select conversation_id from repeated_ids)
        )

        select conversation_id, customer_now as customer_key from changes
        union all
        select conversation_id, customer_before as customer_key from changes
    {%- endif -%}
{%- endmacro %}

{#- The rows of `relation` (the model's table, or its stg_conversations source) that
    the list names: changed conversations and every conversation of their customers. -#}
{% macro in_recontact_changes(id_column, customer_column) -%}
    (
        {{ id_column }} in (select conversation_id from {{ recontact_changes_relation() }})
        or {{ listed_customer(customer_column) }}
    )
{%- endmacro %}

{#- `customer_column` is a customer the list names (before or after its change). -#}
{% macro listed_customer(customer_column) -%}
    {{ customer_column }} in (
        select customer_key from {{ recontact_changes_relation() }}
        where customer_key is not null
    )
{%- endmacro %}

{#- The days after the window whose rows look back into it: a listed customer's
    conversation there took its customer type and previous conversation from the
    window (returning_customer_days back, +2 for DST and a local day), so it is rebuilt
    with the window's rows. Without it, a row built before a late conversation landed
    in the window (today's intraday run, then yesterday's nightly with a late file)
    would keep its stale look-back for good: its own hash still matches. -#}
{% macro after_window_reach(column) -%}
    {{ column }} > cast('{{ window_date("max_date") }}' as date)
    and {{ column }} <= {{ add_days(
        "cast('" ~ window_date('max_date') ~ "' as date)", (var('returning_customer_days') | int) + 2
    ) }}
{%- endmacro %}

{#- The rows a by-change run rebuilds: the listed conversations and every row of a
    listed customer, in the window and in the days after it that look back into it. -#}
{% macro rebuilt_by_change(id_column, customer_column, date_column) -%}
    (
        ({{ in_date_window(date_column) }} and {{ in_recontact_changes(id_column, customer_column) }})
        or (
            {{ after_window_reach(date_column) }}
            and {{ listed_customer(customer_column) }}
        )
    )
{%- endmacro %}

{#- Pre-hook 2: delete the listed rows of the window; the model builds them again. On
    Spark, drop the window's partitions (as spark__clear_window). -#}
{% macro clear_recontact_changes() -%}
    {{ return(adapter.dispatch('clear_recontact_changes', 'closedloop')()) }}
{%- endmacro %}

{% macro default__clear_recontact_changes() -%}
    {%- if recontacts_by_change() -%}
        delete from {{ this }}
        where {{ rebuilt_by_change('conversation_id', 'customer_key', 'conversation_date') }}
    {%- else -%}
        {{ default__clear_window('conversation_date') }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__clear_recontact_changes() -%}
    {{ return(spark__clear_window('conversation_date')) }}
{%- endmacro %}

{#- Post-hook: the list is the run's own. -#}
{% macro drop_recontact_changes() -%}
    {%- if recontacts_by_change() -%}
        drop table if exists {{ recontact_changes_relation() }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- DuckDB appends the rows the pre-hook left missing; Spark overwrites the window's
    day partitions (incremental_strategy, incremental.sql). -#}
{% macro recontact_strategy() -%}
    {{ return('insert_overwrite' if target.type == 'spark' else 'append') }}
{%- endmacro %}
