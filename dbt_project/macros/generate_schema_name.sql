{#- Use a model's custom schema as-is (staging, intermediate) instead of dbt's default
    <target>_<custom> concatenation, so marts live in `main` and analysts query them
    unqualified, while staging/intermediate views stay out of their way. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
