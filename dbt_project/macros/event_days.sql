{#-
    Which days int_conversation_event_facts rebuilds. A conversation's event facts
    change only when its day's scrubbed events change: they are read from that day's
    events alone (an event carries its conversation's partition day). So each built
    row carries its day's fingerprint of the scrubbed events it was made from
    (day_events, day_fingerprint), and a run rebuilds a day of its window only where
    the scrubbed events' fingerprint now differs: a day rewritten by this run's scrub,
    by a run whose dbt step failed after its scrub, by a backfill, or by hand. A day
    whose events were all removed differs too (it has a fingerprint built, none now)
    and is emptied. Not "the run's days": a run that failed before dbt would leave
    its days stale for ever.
-#}

{#- Every column of scrubbed.events (pipelines/warehouse/tables.py SCRUBBED_EVENTS). -#}
{% macro scrubbed_event_columns() -%}
    {{ return([
        'partition_date', 'conversation_id', 'seq', 'sent_at', 'actor', 'event_type',
        'text', 'agent_key', 'payload'
    ]) }}
{%- endmacro %}

{#- One row per day of the window with scrubbed events: their count and fingerprint
    (every column of scrubbed.events; rows_fingerprint, engine.sql). -#}
{% macro scrubbed_event_days() -%}
    select
        partition_date as conversation_date,
        count(*) as day_events,
        {{ rows_fingerprint(scrubbed_event_columns()) }} as day_fingerprint
    from {{ source('scrubbed', 'events') }}
    where {{ in_date_window('partition_date') }}
    group by partition_date
{%- endmacro %}

{#- The days of the window whose built rows in `relation` (int_conversation_event_facts)
    were not made from the scrubbed events there now, as 'YYYY-MM-DD' strings. A day
    built with a facts_version not in `current_versions` counts as changed too (default:
    the versions this invocation keeps, event_facts_kept_versions). -#}
{% macro changed_event_days(relation, current_versions=none) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set versions = current_versions if current_versions is not none else event_facts_kept_versions() -%}
    {%- set found = run_query(
        "with source_days as (" ~ scrubbed_event_days() ~ "),
        built_days as (
            select
                conversation_date,
                max(day_events) as day_events,
                max(day_fingerprint) as day_fingerprint,
                max(case when facts_version in (" ~ quoted_list(versions) ~ ") then 0 else 1 end)
                    as built_by_other_code
            from " ~ relation ~ "
            where " ~ in_date_window('conversation_date') ~ "
            group by conversation_date
        )
        select cast(coalesce(source_days.conversation_date, built_days.conversation_date) as string)
        from source_days
        full outer join built_days
            on source_days.conversation_date = built_days.conversation_date
        where
            source_days.day_events is distinct from built_days.day_events
            or source_days.day_fingerprint is distinct from built_days.day_fingerprint
            or built_days.built_by_other_code = 1
        order by 1"
    ) -%}
    {{ return(found.columns[0].values() | list) }}
{%- endmacro %}

{#- The code a row of int_conversation_event_facts was built by: the checksums of its
    own SQL and of stg_events' (dbt's file checksums), and EVENT_FACTS_LOGIC. A day built
    by other code counts as changed (changed_event_days), so an upgrade that changes how
    facts are computed rebuilds the window's days instead of leaving them as the old code
    made them beside new days made by the new code. The macros those models call
    (json_string, json_is_valid, rows_fingerprint) are not in a node's checksum: bump
    EVENT_FACTS_LOGIC when one of them changes what a fact is. -#}
{% macro event_facts_code() -%}
    {%- set event_facts_logic = 1 -%}
    {%- set checksums = [event_facts_logic | string] -%}
    {#- A unit test's graph has no nodes: its rows then carry the constant alone. -#}
    {%- set nodes = graph.get('nodes', {}) if execute else {} -%}
    {%- for name in ['int_conversation_event_facts', 'stg_events'] -%}
        {%- set node = nodes.get('model.closedloop.' ~ name) -%}
        {%- if node -%}
            {#- 16 hex digits of each sha256: enough to tell two versions apart -#}
            {%- do checksums.append(node.checksum.checksum[:16]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(checksums | join(':')) -}}
{%- endmacro %}

{#- What a built row's facts_version says: the code (event_facts_code), marked when the
    invocation that built it did not also run the scrubbed events' key check
    (keys_unique with checked_by, scrubbed_events_keys): a `dbt run`, or a `dbt build`
    that did not select the check. That check reads only the days whose events changed
    since a checked build (keys_unique.sql), so a day built unchecked must look changed
    to it. In a `dbt build` the check gates this model (a failing test on a parent
    skips its children), so an unmarked row's fingerprint is one the check passed. -#}
{% macro event_facts_version() -%}
    {%- set code = event_facts_code() -%}
    {{- return(code if event_keys_checked() else code ~ ':keys-unchecked') -}}
{%- endmacro %}

{#- The versions a build keeps as they are: a checked build keeps only checked rows (an
    unchecked day is rebuilt, and so checked, as cheaply as a changed one); an unchecked
    one (a developer's `dbt run`) also keeps rows a checked build made. -#}
{% macro event_facts_kept_versions() -%}
    {%- set code = event_facts_code() -%}
    {%- set version = event_facts_version() -%}
    {{- return([code] if version == code else [code, version]) -}}
{%- endmacro %}

{#- Whether this invocation runs, before int_conversation_event_facts, every key check
    that relies on its fingerprints (keys_unique with checked_by naming it): a `dbt
    build` that selected them. True when none exists (nothing relies on the mark). -#}
{% macro event_keys_checked() -%}
    {%- if not execute -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- set checks = [] -%}
    {%- for node in graph.get('nodes', {}).values() -%}
        {%- set meta = node.get('test_metadata') or {} -%}
        {%- if meta.get('name') == 'keys_unique'
            and (meta.get('kwargs') or {}).get('checked_by') == 'int_conversation_event_facts' -%}
            {%- do checks.append(node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if checks | length == 0 -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- if flags.WHICH != 'build' -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- for check in checks -%}
        {%- if check not in selected_resources -%}
            {{- return(false) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return(true) -}}
{%- endmacro %}

{#- 'a', 'b' for a SQL IN list. -#}
{% macro quoted_list(values) -%}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {{- return(quoted | join(', ')) -}}
{%- endmacro %}

{#- `column` is one of `days` (false for none). -#}
{% macro in_days(column, days) -%}
    {%- if days | length == 0 -%}
        false
    {%- else -%}
        {{ column }} in ({% for day in days %}cast('{{ day }}' as date){% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of int_conversation_event_facts: remove the changed days' rows before
    they are inserted again (delete+insert alone would keep a day now empty). On
    Spark, drop their partitions (as spark__clear_window). If the build then fails,
    those days are missing: their fingerprint differs next run, which rebuilds them. -#}
{% macro clear_changed_event_days() -%}
    {{ return(adapter.dispatch('clear_changed_event_days', 'closedloop')()) }}
{%- endmacro %}

{% macro default__clear_changed_event_days() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ in_days('conversation_date', changed_event_days(this)) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{% macro spark__clear_changed_event_days() -%}
    {%- if is_incremental() and execute -%}
        {%- for day in changed_event_days(this) -%}
            {%- do run_query(
                "alter table " ~ this ~ " drop if exists partition (conversation_date = '" ~ day ~ "')"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
