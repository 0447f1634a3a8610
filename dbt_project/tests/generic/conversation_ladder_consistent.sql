{#- Per conversation, each rung of the ladder implies the rung above it. -#}
{% test conversation_ladder_consistent(model) %}

select *
from {{ model }}
where not (
    (not contained or bot_involved)
    and (contained = (bot_involved and not handed_off))
    and (not abandoned or (contained and not bot_answered))
    and (not assumed_resolved or (contained and bot_answered))
    and (not confirmed_resolved or assumed_resolved)
    and (durable_resolved = (assumed_resolved and not recontacted))
    and (not verified_resolved or (durable_resolved and judge_verdict = 'resolved'))
    and ((handoff_reason is null) = (not handed_off))
    and (not human_answered or handed_off)
)

{% endtest %}
