"""Support-conversation language the signals judge looks for, in English and Spanish.

Each pattern is an RE2 regular expression (Arrow's ``match_substring_regex``; no
look-around) matched case-insensitively against one message, after curly quotes
are straightened. They describe how support bots, agents and customers talk in
general — failure notices, confirmations, thanks, frustration — and were written
from support-chat conventions, not from any evaluation corpus: the evaluation in
``pipelines/judge/evaluation.py`` holds out dialogues the patterns were never
checked against (see ``datasets.SPLITS``).

Spanish covers the es-US customers of the platform; other locales fall back to
the structural signals (loops, unanswered questions, disconnects, handoffs).
"""

from __future__ import annotations

_APOSTROPHE = "['\u2019]"


def any_of(*alternatives: str) -> str:
    """One pattern matching any of ``alternatives``; a straight apostrophe in them also
    matches the curly one that phone keyboards type."""
    joined = "|".join(alternatives).replace(_APOSTROPHE, "'")  # nested any_of: once only
    return "(?:" + joined.replace("'", _APOSTROPHE) + ")"


_I = r"\b(?:i|we)(?:'m|'re|'ve| am| are| was| were| have| had)?"
_CANNOT = any_of(
    r"unable to",
    r"not able to",
    r"wasn't able to",
    r"weren't able to",
    r"couldn't",
    r"could not",
    r"can't",
    r"cannot",
    r"can not",
    r"failed to",
)

_DONE = (
    r"(?:confirmed|booked|reserved|scheduled|placed|processed|completed|submitted|sent|made|"
    r"cancell?ed|updated|issued|refunded|reset|credited|fixed|resolved|activated|unlocked|"
    r"restored|approved|added|changed|created|transferred|paid|ordered|shipped|delivered|"
    r"set up|taken care of)"
)

# The service (bot or system) says the thing did not happen: the strongest sign of an
# unresolved contact ("I'm unable to", "that didn't go through", error messages).
FAILURE = any_of(
    _I + r"\s+(?:\w+\s+)?" + _CANNOT,  # "I was unable to", "we couldn't", "I really can't"
    r"\b(?:was|were|is|has been|have been)\s+(?:not\s+)?(?:unsuccessful|declined|rejected|denied)\b",
    r"\b(?:was|were|is)\s+not\s+(?:successful|possible|completed|processed|available)\b",
    r"\bunsuccessful\b",
    # negated passive: "the ride could not be booked", "your payment wasn't processed"
    r"\b(?:could not|couldn't|cannot|can't|can not|was not|wasn't|were not|weren't|is not|"
    r"isn't|are not|aren't|has not|hasn't|have not|haven't)\s+(?:be\s+|been\s+)?(?:\w+\s+)?"
    + _DONE
    + r"\b",
    r"^\W*(?:sorry,?\s+)?unable to\b",
    r"\bi'm afraid\b",
    r"\b(?:there was|there's been|there has been|we had|we ran into|i ran into)\s+"
    r"(?:a|an|some)\s+(?:\w+\s+)?(?:problem|issue|error)\b",
    r"\b(?:that|it|this)\s+(?:didn't|did not)\s+work\b",
    r"\bno\s+(?:more\s+)?(?:\w+\s+)?(?:left|remaining)\b",
    # "the payment failed.", "failed to book" -- not "a failed payment isn't charged"
    r"\bfailed(?:\s+to\b|\s*[.,;!]|\s*$)",
    r"\b(?:did not|didn't|won't|will not|could not|couldn't)\s+go\s+through\b",
    r"\bsomething went wrong\b",
    r"\b(?:an|unexpected|internal|system|technical)\s+(?:error|issue|problem|difficulties)\b",
    r"\berror\s+(?:occurred|code|message)\b",
    r"\b(?:fully booked|sold out|out of stock|no longer available|not available|unavailable)\b",
    r"\bno\b[^.?!]{0,40}\b(?:available|availability|results?|matches|match your|openings)\b",
    r"\bnothing\s+(?:matches|matching|available|was found|found)\b",
    r"\b(?:you are|you're|you)\s+(?:not|aren't)\s+(?:authorized|allowed|permitted|eligible)\b",
    r"\b(?:access|request|payment|card|transaction)\s+(?:was\s+|has been\s+)?(?:denied|declined)\b",
    # es
    r"\bno\s+(?:pude|pudimos|podemos|puedo|se pudo|fue posible|es posible)\b",
    r"\b(?:ocurri[oó]|hubo)\s+un\s+(?:error|problema)\b",
    r"\b(?:no\s+(?:hay|tenemos|quedan)\s+(?:\w+\s+)?disponib|agotad[oa]s?)\b",
)

# The service confirms the action happened. Checked only where FAILURE does not
# match the same message ("the booking was not successful" is no confirmation).
SUCCESS = any_of(
    r"\bsuccessful(?:ly)?\b",
    # perfect or past passive: "your table has been reserved", "it was sent"
    r"(?:\b(?:has|have|had)\s+been|\b(?:was|were)|'s\s+been|\b(?:is|are)\s+now)\s+(?:\w+\s+)?"
    + _DONE
    + r"\b",
    # present passive only for states that mean done ("is booked"), not for how things
    # work in general ("refunds are issued once...", "make sure the app is updated")
    r"(?:\b(?:is|are)|'s|'re)\s+(?:\w+\s+)?(?:confirmed|booked|reserved|scheduled|placed|"
    r"complete|completed|done|all set|on (?:its|the|their) way|set up|taken care of)\b",
    r"\b(?:i|we)(?:'ve| have)?\s+(?:successfully\s+|just\s+|now\s+|already\s+)?" + _DONE + r"\b",
    r"\b(?:i|we)\s+(?:was|were|have been|'ve been)\s+able\s+to\b",
    r"\b(?:you're|you are)\s+(?:now\s+)?all\s+set\b",
    r"\bconfirmation\s+(?:number|code|#|email)\b",
    r"\b(?:reservation|booking|order|request|appointment|payment|purchase|transfer|refund|"
    r"cancell?ation|change|update)\s+(?:is\s+)?(?:now\s+)?(?:complete|completed|confirmed|done)\b",
    # es
    r"\b(?:listo|hecho)\b[.!]",
    r"\b(?:ya\s+)?(?:qued[oó]|est[aá]|fue|ha sido)\s+"
    r"(?:confirmad|reservad|cancelad|actualizad|enviad|procesad|reembolsad|agendad|programad)[oa]s?\b",
    r"\bcon [eé]xito\b",
)

# A failure-looking sentence that is an explanation or a redirect, not a notice:
# "If your request was declined, you can apply again", "I can't change it in chat,
# but you can do it in Settings".
EXPLANATION = any_of(
    r"^\W*(?:if|when|once|in case|si|cuando)\b",
    r"\bbut\s+(?:you|we)\s+can\b",
    r"\bpero\s+(?:puedes|podemos)\b",
)

# The service asks the customer to approve an action it has not done yet ("shall I
# book it?", "please confirm"): the request is on the table, not fulfilled.
OFFER = any_of(
    r"\b(?:shall|should|can|may)\s+i\s+(?:\w+\s+){0,2}(?:book|reserve|make|place|go ahead|proceed|"
    r"schedule|cancel|submit|order|try|process|send|transfer|buy|purchase|confirm|set)\b",
    r"\b(?:would|do)\s+you\s+(?:\w+\s+)?(?:like|want)\s+me\s+to\b",
    r"\bplease confirm\b",
    r"\b(?:is that|is this|does that sound|sound)\s+(?:ok|okay|correct|right|good)\b",
    # es
    r"\b(?:quieres|deseas|te gustar[ií]a)\s+que\s+(?:lo\s+|la\s+|te\s+)?\w+",
    r"\bconfirm[ae]s?\b.{0,20}\?",
)

# The bot could not understand or answer: a fallback turn.
NOT_UNDERSTOOD = any_of(
    r"\b(?:didn't|did not|don't|do not)\s+(?:quite\s+)?(?:understand|get that|get what|follow)\b",
    r"\bnot sure (?:i|what you)\b",
    r"\brephrase\b",
    r"\b(?:say|put|ask)\s+(?:it|that)\s+(?:another|a different)\s+way\b",
    r"\b(?:couldn't|could not|can't|cannot)\s+find\s+(?:an|any)\s+(?:answer|information)\b",
    r"\bi(?:'m| am)\s+only\s+able\s+to\b",
    # es
    r"\bno\s+(?:te\s+)?entend[ií]\b",
    r"\bno estoy segur[oa] de entender\b",
    r"\bde otra forma\b",
)

# The service passes the customer to a person (platforms do not always export the
# handoff event, so the words count too).
HANDOFF_TEXT = any_of(
    r"\b(?:connect|connecting|transfer|transferring|pass|passing|escalat\w*|hand\w*)\s+(?:you\s+)?"
    r"(?:over\s+)?(?:to|with)\s+(?:a|an|our|the|one of our)?\s*"
    r"(?:agent|human|person|specialist|representative|colleague|member|team|someone)\b",
    r"\bte\s+(?:comunico|transfiero|paso)\s+con\b",
)

# A service question that closes a conversation rather than asks for information
# ("anything else?", "was this helpful?"): no reply to it is not a disconnect.
CLOSING = any_of(
    r"\banything else\b",
    r"\bsomething else\b",
    r"\banything more\b",
    r"\bhelp (?:you )?with (?:anything|something)\b",
    r"\b(?:was|is)\s+(?:this|that)\s+helpful\b",
    r"\bdid\s+(?:this|that)\s+(?:help|answer|solve|fix)\b",
    r"\bhave an?\s+(?:good|great|nice|wonderful)\b",
    r"\b(?:goodbye|bye)\b",
    r"\bthank(?:s| you) for (?:contacting|reaching|chatting|your patience|waiting)\b",
    r"\bglad (?:i|we) could help\b",
    # es
    r"\balgo m[aá]s\b",
    r"\bte sirvi[oó]\b",
    r"\bgracias por (?:contactar|escribir|esperar)\b",
)

# The service asks whether its answer worked: a "no" to this is a complaint.
DID_IT_HELP = any_of(
    r"\b(?:was|is)\s+(?:this|that)\s+helpful\b",
    r"\bdid\s+(?:this|that)\s+(?:help|answer|solve|fix|work)\b",
    r"\b(?:does|did)\s+(?:this|that|it)\s+(?:help|work|solve|fix)\b",
    r"\bte sirvi[oó]\b|\bfuncion[oó]\b",
)

# The customer is satisfied or signs off.
THANKS = any_of(
    r"\b(?:thanks?|thank\s*(?:you|u)|thx|ty|tysm|appreciated?|cheers)\b",
    r"\b(?:perfect|great|awesome|excellent|wonderful|amazing|sweet|cool)\b",
    r"\b(?:that|it|this)\s+(?:worked|works|helped|helps|fixed it|did it|did the trick)\b",
    r"\b(?:got it|makes sense|all good|problem solved|sorted)\b",
    r"\b(?:very|really|so|most|super)\s+helpful\b",
    r"\b(?:gracias|perfecto|genial|excelente|ya funcion[oó]|me sirvi[oó])\b",
    "[\U0001f64f\U0001f44d\U0001f60a\U0001f642\u2764]",
)
GOODBYE = any_of(
    r"\b(?:bye|goodbye|good night|see you)\b",
    r"\b(?:that|this)(?:'s| is| was| would be| will be|'ll be)\s+(?:all|it|everything)\b",
    r"\b(?:i'm|i am)\s+(?:all\s+)?(?:done|good|set)\b",
    r"\bgot what i (?:need|needed|wanted|was looking for)\b",
    r"\bnothing else\b",
    r"\b(?:no|nope),?\s+(?:thanks?|thank you|that's it|that's all|i'm good|all good)\b",
    r"\bhave an?\s+(?:good|great|nice)\b",
    r"\b(?:eso es todo|nada m[aá]s|adi[oó]s|hasta luego)\b",
)

# The customer is unhappy with the answer.
FRUSTRATION = any_of(
    r"\b(?:useless|unhelpful|pointless|ridiculous|terrible|awful|horrible|worst|stupid|"
    r"pathetic|joke|nonsense|wtf|ugh|smh)\b",
    r"\bnot\s+(?:very\s+|at all\s+)?helpful\b",
    r"\b(?:doesn't|does not|didn't|did not|don't|do not|isn't|is not|won't)\s+(?:\w+\s+)?help\b",
    r"\bnot what i (?:asked|wanted|meant|need|said)\b",
    r"\b(?:already\s+(?:tried|did|done|checked)|tried (?:that|this|everything))\b",
    r"\bwaste of (?:my )?time\b",
    r"\bfrustrat\w*|\bannoy\w*|\bangry\b|\bfed up\b",
    r"\bare you (?:even|a bot|real|listening|reading)\b",
    r"\byou(?:'re| are)\s+not\s+(?:listening|helping|understanding)\b",
    r"\?\?\?",
    # es
    r"\b(?:in[uú]til|no sirve|no me (?:ayuda|ayudas|sirve)|ya (?:hice|intent[eé])|no es lo que)\b",
    r"\bno entiendes\b",
    "[\U0001f644\U0001f624\U0001f621\U0001f92c\U0001f620]",
)
STILL_BROKEN = any_of(
    r"\bstill\s+(?:not|doesn't|does not|isn't|is not|can't|cannot|won't|broken|the same|"
    r"having|getting|no|nothing|waiting|didn't|don't)\b",
    r"\b(?:didn't|did not|doesn't|does not|isn't|is not|wasn't|not|never)\s+(?:\w+\s+)?"
    r"(?:work|works|working|worked|fixed|resolved|solved)\b",
    r"\bsame\s+(?:problem|issue|error|thing)\b",
    r"\b(?:sigue|sigo)\s+(?:igual|sin|con)\b|\bno funciona\b|\btodav[ií]a no\b",
)
# A customer reply that declines (a proposal, or "did that help?").
NEGATION = any_of(
    r"^\W*(?:no|nope|nah|not really|negative|not quite|para nada)\W*$",
    r"^\W*(?:no|nope|nah)\s*[,.!;]",
    r"^\W*(?:no|nope|nah)\s+(?:i|it|that|this|thanks?|thank you|gracias)\b",
)
ASK_HUMAN = any_of(
    r"\b(?:real|live|actual)\s+(?:person|human|agent|support)\b",
    r"\b(?:speak|talk|chat)\s+(?:to|with)\s+(?:a|an|someone|somebody|the)\b",
    r"\b(?:human|representative|operator|supervisor|manager)\b",
    r"^\W*agent\W*$",
    r"\b(?:persona|agente|alguien real)\b",
)
# The customer says the same thing again in other words.
REPHRASE = any_of(
    r"\b(?:i|as i|like i)\s+(?:already\s+)?(?:said|told you|asked|mentioned)\b",
    r"\blet me (?:explain|say it|ask)\s+(?:again|differently)\b",
    r"\bi repeat\b",
    r"\bagain[:,]",
    r"\bcomo (?:te )?dije\b|\bya te dije\b",
)
# A plain yes: confirming a detail, no verdict on the outcome.
AFFIRM = any_of(
    r"^\W*(?:yes|yeah|yep|yup|sure|ok|okay|correct|right|exactly|sounds good|s[ií]|claro|vale|dale)\b",
    r"^\W*that(?:'s| is| would be| sounds)\s+(?:right|correct|fine|good|great|perfect)\b",
)
# A question from the service: it ends on a question mark (a statement quoting a button
# "tap 'Forgot password?' and..." does not), or opens with the Spanish mark.
QUESTION = any_of(r"\?[\s\W]*$", r"¿")
# A customer's hypothetical ("and if that doesn't work?") is not a report that it failed.
HYPOTHETICAL = any_of(r"\b(?:if|what if|in case|unless|si)\b")
