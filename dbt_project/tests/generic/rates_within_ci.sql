{#-
    Every rate in the model that has Wilson interval columns (<rate>_ci_low,
    <rate>_ci_high) must satisfy 0 <= ci_low <= rate <= ci_high <= 1, and the interval
    must be null exactly when the rate is (denominator 0). The rates are found from the
    relation's columns, so a rate added to a mart is checked without editing this test.
    `expected_rates` guards against the check silently checking nothing.
-#}
{% test rates_within_ci(model, expected_rates) %}

{%- set rates = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(model) -%}
        {%- if column.name.endswith('_ci_low') -%}
            {%- do rates.append(column.name[:-7]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if rates | length < expected_rates -%}
        {%- do exceptions.raise_compiler_error(
            model ~ ": found " ~ rates | length ~ " rates with intervals, expected at least "
            ~ expected_rates ~ ": " ~ rates | join(', ')
        ) -%}
    {%- endif -%}
{%- endif -%}

{%- for rate in rates %}
select
    '{{ rate }}' as rate_name,
    {{ rate }} as rate,
    {{ rate }}_ci_low as ci_low,
    {{ rate }}_ci_high as ci_high
from {{ model }}
where
    ({{ rate }} is null) <> ({{ rate }}_ci_low is null)
    or ({{ rate }} is null) <> ({{ rate }}_ci_high is null)
    or {{ rate }} < 0
    or {{ rate }} > 1
    or {{ rate }}_ci_low < 0
    or {{ rate }}_ci_high > 1
    or {{ rate }}_ci_low > {{ rate }}
    or {{ rate }}_ci_high < {{ rate }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- if rates | length == 0 %}
select null as rate_name where false
{%- endif %}

{% endtest %}
