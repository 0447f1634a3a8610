{#-
    SQL that differs between the two engines (Settings.engine, docs/scale-out.md), each
    behind adapter.dispatch: `default__` is DuckDB's, `spark__` is Spark SQL's. Every
    model, macro and test uses these instead of an engine's own function, so the same
    project builds identical marts on both (tests/dbt/test_spark_parity.py).
    Everything else the models use (FILTER clauses, min_by/max_by, median, bool_and,
    date_trunc, ||, try_cast) means the same on both.
-#}

{#- Seconds since the epoch of a timestamp (with its fraction), as a double. -#}
{% macro epoch_seconds(ts) -%}
    {{ return(adapter.dispatch('epoch_seconds', 'closedloop')(ts)) }}
{%- endmacro %}

{% macro default__epoch_seconds(ts) -%}
    epoch({{ ts }})
{%- endmacro %}

{% macro spark__epoch_seconds(ts) -%}
    cast(unix_micros({{ ts }}) as double) / 1000000
{%- endmacro %}

{#- A date plus a number of days (negative: minus), through dbt's cross-database
    dateadd (a timestamp at midnight on both engines; compare it with dates). -#}
{% macro add_days(day, days) -%}
    {{ dbt.dateadd('day', days, day) }}
{%- endmacro %}

{#- A timestamp plus an exact number of hours: adding calendar "days" to a timestamp
    with a time zone would follow the session time zone's DST shifts. dbt's dateadd
    is not used here: on Spark it truncates to whole seconds. -#}
{% macro add_hours(ts, hours) -%}
    {{ return(adapter.dispatch('add_hours', 'closedloop')(ts, hours)) }}
{%- endmacro %}

{% macro default__add_hours(ts, hours) -%}
    ({{ ts }} + to_hours({{ hours }}))
{%- endmacro %}

{% macro spark__add_hours(ts, hours) -%}
    ({{ ts }} + make_dt_interval(0, {{ hours }}))
{%- endmacro %}

{#- Whether a string is valid JSON (null for null). -#}
{% macro json_is_valid(column) -%}
    {{ return(adapter.dispatch('json_is_valid', 'closedloop')(column)) }}
{%- endmacro %}

{% macro default__json_is_valid(column) -%}
    json_valid({{ column }})
{%- endmacro %}

{% macro spark__json_is_valid(column) -%}
    case when {{ column }} is not null then try_parse_json({{ column }}) is not null end
{%- endmacro %}

{#- The scalar at a JSONPath ('$.key') as a string; null when absent or not JSON. -#}
{% macro json_string(column, path) -%}
    {{ return(adapter.dispatch('json_string', 'closedloop')(column, path)) }}
{%- endmacro %}

{% macro default__json_string(column, path) -%}
    json_extract_string({{ column }}, '{{ path }}')
{%- endmacro %}

{% macro spark__json_string(column, path) -%}
    get_json_object({{ column }}, '{{ path }}')
{%- endmacro %}

{#- The q-quantile with linear interpolation between the two nearest values. -#}
{% macro quantile_cont(column, q) -%}
    {{ return(adapter.dispatch('quantile_cont', 'closedloop')(column, q)) }}
{%- endmacro %}

{% macro default__quantile_cont(column, q) -%}
    quantile_cont({{ column }}, {{ q }})
{%- endmacro %}

{% macro spark__quantile_cont(column, q) -%}
    percentile({{ column }}, {{ q }})
{%- endmacro %}

{#- A fingerprint of a set of rows (an aggregate, as a string): the sum of a 64-bit
    hash of each row's `columns`, so equal multisets of rows give equal fingerprints
    and a changed, added or removed row changes it (up to a hash collision). Compared
    only with fingerprints made on the same engine. -#}
{% macro rows_fingerprint(columns) -%}
    {{ return(adapter.dispatch('rows_fingerprint', 'closedloop')(columns)) }}
{%- endmacro %}

{% macro default__rows_fingerprint(columns) -%}
    cast(sum(cast(hash({{ columns | join(', ') }}) as hugeint)) as string)
{%- endmacro %}

{% macro spark__rows_fingerprint(columns) -%}
    cast(sum(cast(xxhash64({{ columns | join(', ') }}) as decimal(38, 0))) as string)
{%- endmacro %}

{#- A 64-bit hash of one row's `columns` (equal rows, equal hashes). Compared only
    with hashes made on the same engine. -#}
{% macro row_hash(columns) -%}
    {{ return(adapter.dispatch('row_hash', 'closedloop')(columns)) }}
{%- endmacro %}

{% macro default__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__row_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
