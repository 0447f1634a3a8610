{#-
    Many column conditions of one model in one query (one scan, one dbt node), instead
    of a dbt test per column: dbt's per-test overhead, not the scan, was most of the
    build's test time (161 tests, ~0.1 s each before any SQL ran).

    Each check keeps the semantics of the single test it replaces:
    - not_null: [col, ...]              fails on null (dbt's not_null)
    - accepted_values: {col: [v, ...]}  fails on a non-null value outside the list (dbt's accepted_values)
    - accepted_range: {col: [min, max]} fails on a non-null value outside [min, max] (tests/generic/accepted_range)
    - expressions: {name: sql}          fails where the expression is not true, null included (tests/generic/expression_is_true)
    - unique: [[col, ...], ...]         fails on every row whose key occurs more than once, nulls compared
                                        equal (tests/generic/unique_combination_of_columns)
    - window: column | window_period: week/month
        checks only the rows of the run's rebuild window (macros/date_window.sql): the
        rows this run wrote. Rows outside it were written, and checked, by the run that
        built them; only the window's rows can change here. A check of one row, or a
        key that contains the window column (a duplicate then lies inside the window),
        reads the window's rows only. A `unique` key without the window column (with
        `window`, not `window_period`) is checked as "no key of a window row occurs
        twice among all rows": the keys of the window's rows are counted among every
        row of the model (a join on those keys, not a group-by of every key). Same
        guarantee as a check over every row: a duplicate pair that is new since the
        last run's check has a row this run wrote, so a row in the window; a pair of
        two rows outside it was there when an earlier run, whose window held the
        newer of the two, checked it. With the default window (all time: a plain
        `dbt build`) every row is a window row.

    The test returns one row per failed check, `failed_check` naming it (a check and its
    column, never a value) with its `failing_rows`; dbt's failure count is the sum of
    failing rows, as with one test per check.
-#}
{% test row_checks(
    model,
    not_null=[],
    accepted_values={},
    accepted_range={},
    expressions={},
    unique=[],
    window=none,
    window_period=none
) %}
{{ config(fail_calc="coalesce(sum(failing_rows), 0)") }}

{%- set checks = [] -%}
{%- for column in not_null -%}
    {%- do checks.append(("not_null(" ~ column ~ ")", column ~ " is null")) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {%- do checks.append((
        "accepted_values(" ~ column ~ ")",
        column ~ " is not null and " ~ column ~ " not in (" ~ quoted | join(", ") ~ ")"
    )) -%}
{%- endfor -%}
{%- for column, bounds in accepted_range.items() -%}
    {%- do checks.append((
        "accepted_range(" ~ column ~ ", " ~ bounds[0] ~ ", " ~ bounds[1] ~ ")",
        column ~ " < " ~ bounds[0] ~ " or " ~ column ~ " > " ~ bounds[1]
    )) -%}
{%- endfor -%}
{%- for name, expression in expressions.items() -%}
    {%- do checks.append(("expression(" ~ name ~ ")", "not coalesce((" ~ expression ~ "), false)")) -%}
{%- endfor -%}
{%- for key in unique -%}
    {%- do checks.append((
        "unique(" ~ key | join(", ") ~ ")",
        "occurrences_" ~ loop.index ~ " > 1"
    )) -%}
{%- endfor -%}
{%- if checks | length == 0 -%}
    {%- do exceptions.raise_compiler_error(model ~ ": row_checks without a check") -%}
{%- endif %}

{#- keys counted among every row (see `window` above), by their index in `unique` -#}
{%- set wide = [] -%}
{%- for key in unique -%}
    {%- if window and not window_period and window not in key -%}
        {%- do wide.append(loop.index) -%}
    {%- endif -%}
{%- endfor %}

with window_rows as (
    select * from {{ model }}
    {%- if window_period %}
    where {{ period_in_date_window(window_period, window) }}
    {%- elif window %}
    where {{ in_date_window(window) }}
    {%- endif %}
),
{%- for key in unique %}
{%- if loop.index in wide %}
{%- set index = loop.index %}

-- the window's keys that occur twice among every row of the model (nulls equal), found
-- by their 64-bit hashes first: hashing every row's key and a semi join on integers
-- cost about half a join on the key's strings (0.74 -> 0.38 CPU-s for 1.35M window ids
-- among 3.16M); only the keys whose hash repeats are counted exactly, so a collision
-- costs time, never a wrong count
repeated_hashes_{{ index }} as (
    select all_rows.key_hash
    from (select hash({{ key | join(", ") }}) as key_hash from {{ model }}) as all_rows
    -- the window's keys read again, not from window_rows: DuckDB materializes a CTE
    -- that is read twice (every column of every window row)
    semi join (
        select hash({{ key | join(", ") }}) as key_hash from {{ model }}
        {%- if window_period %}
        where {{ period_in_date_window(window_period, window) }}
        {%- else %}
        where {{ in_date_window(window) }}
        {%- endif %}
    ) as window_hashes
        on all_rows.key_hash = window_hashes.key_hash
    group by all_rows.key_hash
    having count(*) > 1
),

key_counts_{{ index }} as (
    select
        {%- for column in key %}
        {{ column }},
        {%- endfor %}
        count(*) as occurrences
    from {{ model }}
    where hash({{ key | join(", ") }}) in (select key_hash from repeated_hashes_{{ index }})
    group by {{ key | join(", ") }}
),
{%- endif %}
{%- endfor %}

checked_rows as (
    select
        window_rows.*
        {%- for key in unique %},
        {%- if loop.index in wide %}
        key_counts_{{ loop.index }}.occurrences as occurrences_{{ loop.index }}
        {%- else %}
        count(*) over (partition by window_rows.{{ key | join(", window_rows.") }})
            as occurrences_{{ loop.index }}
        {%- endif %}
        {%- endfor %}
    from window_rows
    {%- for key in unique %}
    {%- if loop.index in wide %}
    {%- set index = loop.index %}
    left join key_counts_{{ index }}
        on
        {%- for column in key %}
            window_rows.{{ column }} is not distinct from key_counts_{{ index }}.{{ column }}
            {%- if not loop.last %} and{% endif %}
        {%- endfor %}
    {%- endif %}
    {%- endfor %}
),

failures as (
    select
        {%- for name, failed in checks %}
        sum(case when {{ failed }} then 1 else 0 end) as check_{{ loop.index }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from checked_rows
)

{% for name, failed in checks -%}
select
    '{{ name }}' as failed_check,
    check_{{ loop.index }} as failing_rows
from failures
where check_{{ loop.index }} > 0
{% if not loop.last %}union all
{% endif -%}
{%- endfor %}

{% endtest %}
