{#-
    Every key (the `columns` together) that occurs more than once in the model: a
    group-by of the key columns alone. row_checks' `unique` counts each row's key with
    a window over every row and column of the model (for a view, every column
    computed), which is what made stg_events' test grow with all of history
    (docs/performance.md). Keys with a null column are left to the not_null checks.

    Without `window`, over every row. With `window` (the model's day column) and a
    `parent_source` ([source name, table]: a source whose `parent_key` column, one of
    `columns`, is unique over all its rows, with the same day column), over the run's
    window only, and as sure:

    1. Every window row must lie in its parent's day: a window row without a parent
       row of the same key on the same day fails (one failing row each; this also
       checks that the parent exists, like dbt's relationships test, for the window).
    2. Every key must be unique among the window's rows.

    Why that is every row's check: two rows with the same key share their parent key,
    so their one parent (unique over all its rows, checked over all of them by its own
    test) and, by 1., the same day. So a duplicate lies inside one day. A day inside
    the window is checked here (2.); a day outside it was not rewritten since a run
    whose window held it checked it (a run rewrites only days inside its window, as
    for row_checks' `window`), and 1. still holds for its rows: their parent rows sit
    in the same day, which was not rewritten either, and a parent moved to another
    day would leave two parent rows, which the parent's own test fails. A plain
    `dbt build` (window: all time) checks every row, parents included.

    With `checked_by` (a model that stores, per day, the fingerprint of the events it
    was built from and whether the build ran this check: int_conversation_event_facts,
    macros/event_days.sql), 2. reads only the window's days whose events changed since
    a checked build: a day with the same fingerprint (the row count and the sum of every
    row's 64-bit hash) holds the rows this check passed when that build ran it, since in
    a `dbt build` a failing test skips the model. 1. still reads the whole window, so a
    key repeated across two days still fails there. A nightly's window is 13 days and its
    changed days usually one (the group-by of the window's 10M keys was 1 of 1.8 s at
    100k conversations a day). A plain `dbt build` (window: all time) reads every row.
-#}
{% test keys_unique(model, columns, window=none, parent_source=none, parent_key=none, checked_by=none) %}

{%- if window and not (parent_source and parent_key) -%}
    {%- do exceptions.raise_compiler_error(
        model ~ ": keys_unique with a window needs the parent_source and parent_key it is sound for"
    ) -%}
{%- endif -%}

{#- The parent is looked up in the graph, not named with source(): a second parent node
    would leave the test without the one node dagster-dbt attaches a source test's
    asset check to, and the pipeline's dbt steps would not run it (they do not run the
    relationships test on scrubbed.events either, for that reason). -#}
{%- set parent = none -%}
{%- if window and execute -%}
    {%- set found = graph.sources.values()
        | selectattr('source_name', 'equalto', parent_source[0])
        | selectattr('name', 'equalto', parent_source[1]) | list -%}
    {%- if found | length != 1 -%}
        {%- do exceptions.raise_compiler_error(model ~ ": no source " ~ parent_source | join('.')) -%}
    {%- endif -%}
    {%- set parent = api.Relation.create(
        database=found[0].database, schema=found[0].schema, identifier=found[0].identifier
    ) -%}
{%- endif -%}

{#- The days part 2 reads: none = the whole window. -#}
{%- set changed_days = none -%}
{%- if window and checked_by and execute and window_date('min_date') > '1900-01-01' -%}
    {%- set built = graph.nodes.get('model.closedloop.' ~ checked_by) -%}
    {%- if not built -%}
        {%- do exceptions.raise_compiler_error(model ~ ": no model " ~ checked_by) -%}
    {%- endif -%}
    {%- set relation = adapter.get_relation(
        database=built.database, schema=built.schema, identifier=built.alias
    ) -%}
    {%- if relation is not none -%}
        {%- set changed_days = changed_event_days(relation, [event_facts_code()]) -%}
    {%- endif -%}
{%- endif -%}

{%- if window %}

-- Each part reads the source itself: DuckDB materializes a CTE that is read twice,
-- which cost more than the two scans (10M events, a 12-day window at 100k a day).

-- 1. a window row whose parent is missing, or lies on another day
select
    {%- for column in columns %}
    window_rows.{{ column }},
    {%- endfor %}
    1 as occurrences
from {{ model }} as window_rows
left join (
    select
        {{ parent_key }},
        {{ window }}
    from {{ parent }}
    where {{ in_date_window(window) }}
) as parent_rows
    on
        window_rows.{{ parent_key }} = parent_rows.{{ parent_key }}
        and window_rows.{{ window }} = parent_rows.{{ window }}
where
    {{ in_date_window('window_rows.' ~ window) }}
    and parent_rows.{{ parent_key }} is null

union all

-- 2. a key that repeats among the window's rows{% if changed_days is not none %} (of the days changed since checked){% endif %}
select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
where
    {{ in_date_window(window) }}
    {%- if changed_days is not none %}
    and {{ in_days(window, changed_days) }}
    {%- endif %}
    and {% for column in columns -%}
        {{ column }} is not null{% if not loop.last %} and {% endif %}
    {%- endfor %}
group by {{ columns | join(', ') }}
having count(*) > 1

{%- else %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
where {% for column in columns -%}
    {{ column }} is not null{% if not loop.last %} and {% endif %}
    {%- endfor %}
group by {{ columns | join(', ') }}
having count(*) > 1

{%- endif %}

{% endtest %}
