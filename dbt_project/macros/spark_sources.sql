{#-
    The sources on Spark: the warehouse's input tables (scrubbed.*, main.*) exported to
    Parquet by pipelines.warehouse.spark.export_sources under
    <spark_dir>/sources/<schema>/<table>/<partition folder>/*.parquet, registered here as
    views over those files (run at on-run-start), so every model reads
    source('scrubbed', 'events') on both engines. The glob over the partition folders
    keeps Spark from discovering them as partition columns: the files hold the column
    (partition_date) in its place. A view re-lists the files at each query: a re-export
    is picked up without a metastore refresh.
    On DuckDB the sources are the warehouse's own tables: nothing to do.
-#}
{% macro register_sources() -%}
    {{ return(adapter.dispatch('register_sources', 'closedloop')()) }}
{%- endmacro %}

{% macro default__register_sources() -%}
{%- endmacro %}

{% macro spark__register_sources() -%}
    {%- if execute -%}
        {%- set root = var('spark_dir', env_var('CLOSEDLOOP_SPARK_DIR', '../data/spark')) ~ '/sources' -%}
        {%- for node in graph.sources.values() | selectattr('package_name', 'equalto', project_name) -%}
            {%- do run_query('create schema if not exists ' ~ node.schema) -%}
            {%- do run_query(
                'create or replace view ' ~ node.schema ~ '.' ~ node.identifier
                ~ ' as select * from parquet.`' ~ root ~ '/' ~ node.schema ~ '/' ~ node.identifier ~ '/*/*.parquet`'
            ) -%}
        {%- endfor -%}
        {#- The run's window (var window_from_warehouse; date_window.sql), exported with
            the sources: main.dbt_run_window on both engines. -#}
        {%- if var_is_true('window_from_warehouse') -%}
            {%- do run_query(
                'create or replace view main.dbt_run_window as select * from parquet.`'
                ~ root ~ '/main/dbt_run_window/*/*.parquet`'
            ) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
