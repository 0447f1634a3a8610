{#-
    How an incremental model replaces its window on each engine (the marts' defaults
    in dbt_project.yml say the same inline, where project macros cannot be called):
    DuckDB deletes the window's days and inserts (delete+insert on unique_key, after
    clear_window); Spark has no DELETE on Parquet tables, so the table is partitioned
    by the day (or period) column and insert_overwrite replaces whole partitions,
    after clear_window dropped the window's partitions that may now be empty.
-#}
{% macro incremental_strategy() -%}
    {{ return('insert_overwrite' if target.type == 'spark' else 'delete+insert') }}
{%- endmacro %}

{#- The partition column on Spark; none on DuckDB (dbt-duckdb would warn about it). -#}
{% macro partition_column(column) -%}
    {{ return(column if target.type == 'spark' else none) }}
{%- endmacro %}
