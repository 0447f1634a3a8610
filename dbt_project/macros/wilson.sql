{#-
    Wilson score interval for a binomial proportion successes / n.

    Written as plain Jinja (no dbt context) so tests/dbt renders it outside dbt and
    compares it with statsmodels' proportion_confint(method="wilson").
    The default z is the exact 97.5% normal quantile (what statsmodels uses for
    alpha=0.05), not the rounded 1.96, so the two agree to floating-point precision.

    Closed form, multiplied through by n to avoid dividing by n twice:
        (s + z²/2 ± z * sqrt(s (n - s) / n + z²/4)) / (n + z²)
    The bounds are pinned to exactly 0 (s = 0) and 1 (s = n): the formula gives
    them only up to rounding, and "ci_low <= rate <= ci_high" must hold exactly.
    n = 0 (or null) gives null: there is no interval without observations.
-#}
{% macro wilson_low(successes, n, z=1.959963984540054) -%}
    {%- set z2 = z * z -%}
    case
        when coalesce({{ n }}, 0) = 0 then null
        when {{ successes }} = 0 then 0.0
        else (
            cast({{ successes }} as double) + {{ z2 / 2 }}
            - {{ z }} * sqrt(
                cast({{ successes }} as double) * ({{ n }} - {{ successes }}) / {{ n }} + {{ z2 / 4 }}
            )
        ) / ({{ n }} + {{ z2 }})
    end
{%- endmacro %}

{% macro wilson_high(successes, n, z=1.959963984540054) -%}
    {%- set z2 = z * z -%}
    case
        when coalesce({{ n }}, 0) = 0 then null
        when {{ successes }} = {{ n }} then 1.0
        else (
            cast({{ successes }} as double) + {{ z2 / 2 }}
            + {{ z }} * sqrt(
                cast({{ successes }} as double) * ({{ n }} - {{ successes }}) / {{ n }} + {{ z2 / 4 }}
            )
        ) / ({{ n }} + {{ z2 }})
    end
{%- endmacro %}
