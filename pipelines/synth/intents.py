"""The intents of the simulated support bot and their behavioural propensities.

Each intent has its own base propensities so slices differ the way they do in a
real consumer app: order-status questions are easy for a bot, account bans and
hacked accounts are not, and some intents are policy-bound to a human. The
numbers are plausible shapes, not measurements of any real product.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IntentProfile:
    """How conversations about one intent tend to go.

    ``solve`` maps bot version -> probability that the bot's answer really solves
    the problem (before channel/locale/incident effects). ``handoff`` is the share
    of unsolved conversations that end with a human (customer request or fallback
    loop) rather than a silent exit; ``abandon`` is the chance the customer leaves
    before the bot answers; ``policy`` is the chance a human is required by policy
    (bans, age checks, legal) regardless of the bot; ``pii`` is the chance the
    opening message carries a PII value the intent naturally asks for.
    """

    name: str
    weight: float
    solve: dict[str, float]
    handoff: float
    abandon: float
    policy: float
    pii: float
    # A planted topic the bot has been taught (pipelines.synth.planted.answered): its
    # bot answer is the planted topic's "answered" phrase instead of a non-answer.
    answered: bool = False


BOT_VERSIONS = ("v1", "v2")

INTENTS: tuple[IntentProfile, ...] = (
    IntentProfile("login_2fa", 9.0, {"v1": 0.62, "v2": 0.71}, 0.45, 0.06, 0.0, 0.06),
    IntentProfile("password_reset", 8.0, {"v1": 0.78, "v2": 0.82}, 0.30, 0.05, 0.0, 0.07),
    IntentProfile("refund", 7.0, {"v1": 0.40, "v2": 0.52}, 0.60, 0.05, 0.0, 0.33),
    IntentProfile("order_status", 9.0, {"v1": 0.80, "v2": 0.84}, 0.35, 0.04, 0.0, 0.42),
    IntentProfile("shipping_delay", 6.0, {"v1": 0.50, "v2": 0.58}, 0.50, 0.05, 0.0, 0.36),
    IntentProfile("payment_failed", 6.0, {"v1": 0.55, "v2": 0.63}, 0.45, 0.05, 0.0, 0.15),
    IntentProfile("ads_billing", 3.0, {"v1": 0.45, "v2": 0.55}, 0.65, 0.03, 0.0, 0.09),
    # v2 regresses on payouts: the new model drops a tax-form step (a slice story for monitoring).
    IntentProfile("creator_payout", 4.0, {"v1": 0.50, "v2": 0.41}, 0.60, 0.04, 0.0, 0.15),
    IntentProfile("account_banned_appeal", 5.0, {"v1": 0.15, "v2": 0.20}, 0.70, 0.05, 0.55, 0.03),
    IntentProfile("content_removed", 5.0, {"v1": 0.35, "v2": 0.45}, 0.55, 0.06, 0.20, 0.02),
    IntentProfile("report_harassment", 4.0, {"v1": 0.55, "v2": 0.62}, 0.50, 0.05, 0.25, 0.05),
    IntentProfile("privacy_data_request", 2.0, {"v1": 0.60, "v2": 0.70}, 0.40, 0.04, 0.15, 0.12),
    IntentProfile("subscription_cancel", 5.0, {"v1": 0.75, "v2": 0.80}, 0.35, 0.05, 0.0, 0.06),
    IntentProfile("coins_purchase", 5.0, {"v1": 0.60, "v2": 0.68}, 0.45, 0.05, 0.0, 0.12),
    IntentProfile("age_verification", 3.0, {"v1": 0.30, "v2": 0.35}, 0.50, 0.07, 0.50, 0.09),
    IntentProfile("live_stream_issue", 4.0, {"v1": 0.45, "v2": 0.57}, 0.45, 0.07, 0.0, 0.01),
    IntentProfile("account_hacked", 4.0, {"v1": 0.25, "v2": 0.33}, 0.70, 0.04, 0.35, 0.12),
    IntentProfile("verification_badge", 2.0, {"v1": 0.65, "v2": 0.72}, 0.35, 0.05, 0.0, 0.02),
    IntentProfile("shop_seller_issue", 3.0, {"v1": 0.45, "v2": 0.53}, 0.55, 0.05, 0.0, 0.18),
    IntentProfile("update_profile", 3.0, {"v1": 0.82, "v2": 0.85}, 0.25, 0.04, 0.0, 0.21),
    IntentProfile("app_crash", 4.0, {"v1": 0.40, "v2": 0.50}, 0.40, 0.08, 0.0, 0.01),
    IntentProfile("promo_code", 3.0, {"v1": 0.70, "v2": 0.76}, 0.35, 0.05, 0.0, 0.09),
)

INTENT_NAMES = tuple(profile.name for profile in INTENTS)
INTENTS_BY_NAME = {profile.name: profile for profile in INTENTS}
