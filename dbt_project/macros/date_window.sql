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
