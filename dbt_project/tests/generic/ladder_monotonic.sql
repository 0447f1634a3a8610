{#-
    The resolution ladder only narrows: every rung's count is at most the one above it,
    and bot-involved conversations split exactly into contained and handed off.
-#}
{% test ladder_monotonic(model) %}

select *
from {{ model }}
where not (
    conversations >= bot_involved
    and bot_involved >= contained
    and contained >= assumed_resolved
    and assumed_resolved >= confirmed_resolved
    and assumed_resolved >= durable_resolved
    and durable_resolved >= verified_resolved
    and contained >= abandoned
    and contained + bot_handed_off = bot_involved
    and assumed_resolved + abandoned <= contained
    and handed_off >= bot_handed_off
    and bot_handed_off >= bot_handoffs_answered
    and bot_handoffs_answered >= bot_handoffs_answered_not_recontacted
    and rated >= csat_top2
    and conversations >= rated
)

{% endtest %}
