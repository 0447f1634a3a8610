{#-
    Every key (the `columns` together) that occurs more than once in the model, over
    all its rows: a group-by of the key columns alone. row_checks' `unique` counts each
    row's key with a window over every row and column of the model (for a view, every
    column computed), which is what made stg_events' test grow with all of history
    (docs/performance.md). Keys with a null column are left to the not_null checks.
-#}
{% test keys_unique(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
where {% for column in columns -%}
    {{ column }} is not null{% if not loop.last %} and {% endif %}
    {%- endfor %}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
