{#- The run's rebuild window: `column` between vars min_date and max_date (inclusive).
    Defaults cover all time, so a plain `dbt build` rebuilds everything. -#}
{% macro in_date_window(column) -%}
    {{ column }} between cast('{{ var("min_date") }}' as date) and cast('{{ var("max_date") }}' as date)
{%- endmacro %}

{#- Rollups replace whole periods: every week (month) that overlaps the window is
    recomputed from fct_conversations, which holds all its days. -#}
{% macro period_in_date_window(period, column) -%}
    date_trunc('{{ period }}', {{ column }})
    between date_trunc('{{ period }}', cast('{{ var("min_date") }}' as date))
    and cast('{{ var("max_date") }}' as date)
{%- endmacro %}

{#- A var passed on the command line arrives as a string ("false"); read it as a bool. -#}
{% macro var_is_true(name) -%}
    {{ return(var(name) | string | lower in ["true", "1", "yes", "on"]) }}
{%- endmacro %}

{#- Duration of the recontact window as an exact number of hours: adding calendar
    "days" to a timestamptz would follow the session time zone's DST shifts. -#}
{% macro recontact_window() -%}
    to_hours(24 * {{ var("recontact_days") }})
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
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
        {% if period -%}
            {{ column }} between date_trunc('{{ period }}', cast('{{ var("min_date") }}' as date))
            and cast('{{ var("max_date") }}' as date)
        {%- else -%}
            {{ in_date_window(column) }}
        {%- endif %}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
