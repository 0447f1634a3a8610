{#- The run's rebuild window, 'YYYY-MM-DD': window_date('min_date') or ('max_date').
    From vars min_date and max_date, whose defaults cover all time (a plain `dbt build`
    rebuilds everything); or, with var window_from_warehouse, from the one row of
    main.dbt_run_window, which the pipeline writes before each invocation (on Spark: a
    view over its export, spark_sources.sql), on both engines: its --vars
    then stay the same from run to run and dbt keeps its partial parse instead of
    parsing the whole project again (a change of --vars forces a full parse). Read
    when a node runs (execute); parsing never needs the window. -#}
{% macro window_date(bound) -%}
    {%- if execute and var_is_true('window_from_warehouse') -%}
        {#- `string`: a type name both engines know (Spark's varchar needs a length) -#}
        {%- set found = run_query("select cast(" ~ bound ~ " as string) from main.dbt_run_window") -%}
        {%- if found.rows | length != 1 -%}
            {%- do exceptions.raise_compiler_error("main.dbt_run_window must hold one row") -%}
        {%- endif -%}
        {{- return(found.columns[0].values()[0]) -}}
    {%- endif -%}
    {{- return(var(bound) | string) -}}
{%- endmacro %}

{#- The run's rebuild window: `column` between its first and last day (inclusive). -#}
{% macro in_date_window(column) -%}
    {{ column }} between cast('{{ window_date("min_date") }}' as date) and cast('{{ window_date("max_date") }}' as date)
{%- endmacro %}

{#- Rollups replace whole periods: every week (month) that overlaps the window is
    recomputed from fct_conversations, which holds all its days. -#}
{% macro period_in_date_window(period, column) -%}
    date_trunc('{{ period }}', {{ column }})
    between date_trunc('{{ period }}', cast('{{ window_date("min_date") }}' as date))
    and cast('{{ window_date("max_date") }}' as date)
{%- endmacro %}

{#- A var passed on the command line arrives as a string ("false"); read it as a bool. -#}
{% macro var_is_true(name) -%}
    {{ return(var(name) | string | lower in ["true", "1", "yes", "on"]) }}
{%- endmacro %}

{#- The end of the recontact window that starts at `started_at`: an exact number of
    hours later (add_hours), not calendar days, which follow DST shifts. -#}
{% macro recontact_window(started_at) -%}
    {{ add_hours(started_at, '24 * ' ~ var("recontact_days")) }}
{%- endmacro %}

{#- Days after conversation_date that must be loaded before the day is final (the same
    vars give schemas.metrics.finality_lag_days). A recontact of day D starts up to
    D + recontact_days (+1 when a spring-forward night stretches the 24-hour window);
    a conversation of that day can still land in a folder up to landing_lookback_days
    later, which that folder day's nightly run reads; and the last loaded day may be
    today, loaded part-way by the intraday refresh, whose nightly is still to come (+1). -#}
{% macro final_lag_days() -%}
    ({{ var("recontact_days") }} + {{ var("dst_slack_days") }}
     + {{ var("landing_lookback_days") }} + {{ var("partial_day_slack_days") }})
{%- endmacro %}

{#- Pre-hook for incremental marts: delete every row of the run's window (or of every
    period overlapping it) before delete+insert runs. delete+insert alone only
    replaces the keys present in the new batch, so a day that became empty upstream
    (a re-delivered, now empty partition) would keep its stale rows. -#}
{% macro clear_window(column, period=none) -%}
    {{ return(adapter.dispatch('clear_window', 'closedloop')(column, period)) }}
{%- endmacro %}

{% macro default__clear_window(column, period=none) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
        {% if period -%}
            {{ column }} between date_trunc('{{ period }}', cast('{{ window_date("min_date") }}' as date))
            and cast('{{ window_date("max_date") }}' as date)
        {%- else -%}
            {{ in_date_window(column) }}
        {%- endif %}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- Spark's Parquet tables have no DELETE: drop the window's partitions of the table
    (partition_by is the model's day or period column) before insert_overwrite
    replaces the partitions the new rows fall in. A hook must be one statement, so
    the drops run here and the hook itself is a no-op. -#}
{% macro spark__clear_window(column, period=none) -%}
    {%- if is_incremental() and execute -%}
        {%- set low -%}
            {%- if period -%}
                date_trunc('{{ period }}', cast('{{ window_date("min_date") }}' as date))
            {%- else -%}
                cast('{{ window_date("min_date") }}' as date)
            {%- endif -%}
        {%- endset -%}
        {%- set stale = run_query(
            "select distinct cast(" ~ column ~ " as string) as day from " ~ this
            ~ " where " ~ column ~ " between " ~ low
            ~ " and cast('" ~ window_date("max_date") ~ "' as date)"
        ) -%}
        {%- for day in stale.columns[0].values() -%}
            {%- do run_query(
                "alter table " ~ this ~ " drop if exists partition (" ~ column ~ " = '" ~ day ~ "')"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
