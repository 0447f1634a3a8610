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
        built them; only the window's rows can change here. Use it only for checks of
        one row, or keys that contain the window column (a duplicate then lies inside
        the window).

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

with checked_rows as (
    select
        *
        {%- for key in unique %},
        count(*) over (partition by {{ key | join(", ") }}) as occurrences_{{ loop.index }}
        {%- endfor %}
    from {{ model }}
    {%- if window_period %}
    where {{ period_in_date_window(window_period, window) }}
    {%- elif window %}
    where {{ in_date_window(window) }}
    {%- endif %}
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
