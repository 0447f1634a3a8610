{#-
    A DuckDB incremental strategy, 'changed_rows', for a model that replaces its run's
    window (fct_conversations): the window's rows are computed whole, as for
    delete+insert, but only the rows that differ from the stored ones are written. A
    stored row of the window whose (row_key, row hash) the new rows lack is deleted; a
    new row whose pair the stored rows lack is inserted. The table then holds exactly
    what delete+insert leaves (a row edited by hand differs, so it is replaced too).

    Why: a night at 100k conversations a day rebuilds a 13-day window (1.36M rows of
    fct_conversations), of which about 210k are new or changed: the new day, the
    conversations whose customer came back, the day that turned final. Writing only
    those took fct_conversations from 2.9 to 2.3 s wall and 4.8 to 3.5 CPU-s on night
    31 of a 100k/day warehouse (docs/performance.md, *Only the changed rows of
    fct_conversations*).

    The row hash is DuckDB's 64-bit hash of every column, a list of plain values with
    its length and other nested values as their JSON text (DuckDB's hash gives NULL, []
    and [NULL] one value), as the snapshot's publish matches rows
    (pipelines/warehouse/publish.py). A changed row whose hash collides
    with its old one's would be kept: about 2^-64 a row. Values DuckDB holds equal but
    spells apart (0.0 and -0.0) may keep the older spelling.

    Config: unique_key (the day column, which bounds the window's stored rows) and
    row_key (a column meant to be unique per row; fct_conversations: conversation_id,
    which its data tests check). A key held by more than one row on either side (a
    duplicate the tests then report, or a stored copy left by hand) is replaced whole, as
    delete+insert would. Spark has no DELETE on Parquet tables: models call
    changed_rows_strategy(), which is insert_overwrite there (delete+insert on any other
    adapter).
-#}

{#- DuckDB's own (it reads rowid); Spark's insert_overwrite; any other adapter the
    marts' default, delete+insert. -#}
{% macro changed_rows_strategy() -%}
    {%- if target.type == 'duckdb' -%}
        {{ return('changed_rows') }}
    {%- endif -%}
    {{ return('insert_overwrite' if target.type == 'spark' else 'delete+insert') }}
{%- endmacro %}

{#- Pre-hook of such a model: clear the window where the strategy replaces whole days or
    partitions; 'changed_rows' (DuckDB) deletes what differs itself. -#}
{% macro clear_window_unless_changed_rows(column) -%}
    {%- if target.type == 'duckdb' -%}
        select 1
    {%- else -%}
        {{ clear_window(column) }}
    {%- endif -%}
{%- endmacro %}

{#- The 64-bit hash of a row of `columns` (dbt Column objects), as the publish's
    (pipelines/warehouse/publish.py _row_hash): a list of plain values with its length,
    other nested values as JSON. -#}
{% macro changed_rows_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- set name = adapter.quote(column.name) -%}
        {%- set data_type = column.data_type | upper -%}
        {%- set element_type = data_type[:-2] -%}
        {%- if data_type.endswith('[]') and not element_type.endswith(']')
            and not element_type.startswith(('STRUCT', 'MAP', 'UNION')) -%}
            {%- do parts.append(name ~ ', len(' ~ name ~ ')') -%}
        {%- elif data_type.endswith(']') or data_type.startswith(('STRUCT', 'MAP', 'UNION')) -%}
            {%- do parts.append('to_json(' ~ name ~ ')') -%}
        {%- else -%}
            {%- do parts.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    hash({{ parts | join(', ') }})
{%- endmacro %}

{#- The rowids of `side`'s rows to write (delete from the stored side, insert from the
    built one): those whose (row_key, row_hash) `other` lacks, and every row of a key in
    `repeated`. -#}
{% macro changed_row_ids(side, other, repeated) -%}
    select row_id from {{ side }} anti join {{ other }} using (row_key, row_hash)
    union all
    select row_id from {{ side }} where row_key in (select row_key from {{ repeated }})
{%- endmacro %}

{% macro get_incremental_changed_rows_sql(arg_dict) -%}
    {%- set target_relation = arg_dict['target_relation'] -%}
    {%- set temp_relation = arg_dict['temp_relation'] -%}
    {%- set columns = arg_dict['dest_columns'] -%}
    {%- set day_column = arg_dict['unique_key'] -%}
    {%- set row_key = config.get('row_key') -%}
    {%- if not row_key or not day_column or day_column is not string -%}
        {%- do exceptions.raise_compiler_error(
            "incremental_strategy 'changed_rows' needs unique_key (the day column) and row_key"
        ) -%}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for column in columns -%}
        {%- do quoted.append(adapter.quote(column.name)) -%}
    {%- endfor -%}
    {%- set stored = target_relation.identifier ~ '__stored_rows' -%}
    {%- set built = target_relation.identifier ~ '__built_rows' -%}
    {%- set repeated = target_relation.identifier ~ '__repeated_keys' -%}
    {#- rowid: the stored rows' own (what to delete) and the new rows' in the temp table
        (what to insert) -#}
    create or replace temp table {{ stored }} as
    select rowid as row_id, {{ adapter.quote(row_key) }} as row_key, {{ changed_rows_hash(columns) }} as row_hash
    from {{ target_relation }}
    where {{ in_date_window(adapter.quote(day_column)) }};

    create or replace temp table {{ built }} as
    select rowid as row_id, {{ adapter.quote(row_key) }} as row_key, {{ changed_rows_hash(columns) }} as row_hash
    from {{ temp_relation }};

    {#- A key held by more than one row on either side is replaced whole: matching pairs
        alone would keep a stored copy that matches a new row, and drop a new copy that
        matches a stored one (delete+insert leaves the new rows' count). -#}
    create or replace temp table {{ repeated }} as
    select row_key from {{ stored }} group by row_key having count(*) > 1
    union
    select row_key from {{ built }} group by row_key having count(*) > 1;

    delete from {{ target_relation }}
    where rowid in ({{ changed_row_ids(stored, built, repeated) }});

    insert into {{ target_relation }} ({{ quoted | join(', ') }})
    select {{ quoted | join(', ') }}
    from {{ temp_relation }}
    where rowid in ({{ changed_row_ids(built, stored, repeated) }});

    drop table {{ stored }};
    drop table {{ built }};
    drop table {{ repeated }}
{%- endmacro %}
