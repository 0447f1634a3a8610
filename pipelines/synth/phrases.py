"""What the customers, the bot and the agents say, in en-US and es-US.

Templates use ``{slot}`` placeholders. PII slots (``order``, ``email``, ``phone``,
``name``, ``address``, ``card``, ``ssn``) are filled from the faker pools and
recorded as ground-truth spans; the other slots (``amount``, ``coins``, ``days``,
``device``, ``item``, ``carrier``) are harmless fills that vary the text. Bot and
agent lines never contain PII so the truth sidecar is complete: every PII value
in a written file is a planted, recorded span.

Several phrasings per turn type, not one template per intent; typos, slang and
emojis are layered on at generation time (see ``text.py``).
"""

from __future__ import annotations

# intent -> language -> turn kind -> templates.
#   open: first customer message without PII; open_pii: with a PII slot the intent
#   naturally asks for; answer: the bot's substantive reply.
INTENT_PHRASES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "login_2fa": {
        "en": {
            "open": (
                "I'm not getting the 2FA code",
                "the verification code never shows up when I try to log in",
                "cant log in, it keeps asking for a code I never receive",
                "2 step verification is broken?? no text for the last hour",
                "Logged out on my new {device} and now the login code doesn't come",
            ),
            "open_pii": (
                "the login code isn't coming to my phone {phone}",
                "I never get the code at {email}, can't get in",
                "my 2fa texts go to {phone} but nothing arrives",
            ),
            "answer": (
                "Codes can take up to 5 minutes. Tap 'Resend code', check that your phone has signal, and make sure the app is updated. You can also pick 'Use authenticator app' if you set one up.",
                "Let's get you back in. On the login screen tap 'Try another way' and choose email or backup codes. If texts still don't arrive, check that short codes aren't blocked by your carrier.",
                "Sorry about that! Please wait 60 seconds, then tap Resend. If you changed numbers recently, choose 'I no longer have this number' to verify with your email instead.",
            ),
        },
        "es": {
            "open": (
                "no me llega el código de verificación para entrar",
                "no puedo iniciar sesión, me pide un código que nunca llega",
            ),
            "open_pii": ("el código no llega a mi número {phone}",),
            "answer": (
                "Los códigos pueden tardar hasta 5 minutos. Toca 'Reenviar código' y revisa que tu teléfono tenga señal. También puedes elegir 'Probar otro método' para usar tu correo.",
                "Vamos a ayudarte a entrar. En la pantalla de inicio toca 'Probar otro método' y elige correo electrónico o códigos de respaldo.",
            ),
        },
    },
    "password_reset": {
        "en": {
            "open": (
                "forgot my password",
                "How do I reset my password? the reset link is expired",
                "password reset email never came",
                "need to change my password asap",
            ),
            "open_pii": (
                "reset link isn't arriving at {email}",
                "can you send the password reset to {email}",
                "I forgot my password, my account email is {email}",
            ),
            "answer": (
                "You can reset it from the login screen: tap 'Forgot password?', enter your email or phone, and follow the link we send. Links expire after 1 hour, so use the newest one.",
                "No problem. Go to Log in > Forgot password and we'll send a reset link. Check spam/promotions if you don't see it within a few minutes.",
                "Reset links are valid for 60 minutes. Request a new one from the login screen and open it on the same device where the app is installed.",
            ),
        },
        "es": {
            "open": ("olvidé mi contraseña", "cómo cambio mi contraseña? el enlace ya expiró"),
            "open_pii": ("no me llega el correo para restablecer a {email}",),
            "answer": (
                "Puedes restablecerla desde la pantalla de inicio: toca '¿Olvidaste tu contraseña?' y sigue el enlace que te enviamos. Los enlaces vencen en 1 hora.",
                "Sin problema. Ve a Iniciar sesión > Olvidé mi contraseña. Revisa la carpeta de spam si no lo ves en unos minutos.",
            ),
        },
    },
    "refund": {
        "en": {
            "open": (
                "I want a refund for the {item} I bought, it arrived broken",
                "how do I get my money back? item never showed up",
                "refund pls, wrong size and the seller won't answer",
                "I was charged {amount} for something I returned {days} days ago",
            ),
            "open_pii": (
                "I need a refund for order {order}",
                "refund for {order} please, the {item} was damaged",
                "where is my refund for {order}?? it's been {days} days",
                "{order} - returned it already, still no refund of {amount}",
            ),
            "answer": (
                "You can request a refund from Orders > select the order > 'Request a refund'. Once approved, refunds reach your original payment method in 3-5 business days.",
                "I'm sorry the item wasn't right. Open the order, tap 'Return or refund', and choose a reason. Damaged items don't need to be sent back.",
                "Refunds for returned items are issued once the carrier scans the package. If it's been more than 10 business days, I can escalate it for you.",
            ),
        },
        "es": {
            "open": (
                "quiero un reembolso, el {item} llegó roto",
                "cómo pido que me devuelvan el dinero? nunca llegó mi pedido",
            ),
            "open_pii": (
                "necesito reembolso del pedido {order}",
                "todavía no recibo el reembolso de {order}",
            ),
            "answer": (
                "Puedes pedir el reembolso en Pedidos > elige el pedido > 'Solicitar reembolso'. Una vez aprobado, llega a tu método de pago en 3 a 5 días hábiles.",
                "Lamento que el producto no llegara bien. Abre el pedido, toca 'Devolución o reembolso' y elige un motivo.",
            ),
        },
    },
    "order_status": {
        "en": {
            "open": (
                "where is my order",
                "order status?",
                "when will my {item} arrive",
                "tracking says label created for {days} days, whats going on",
            ),
            "open_pii": (
                "where's my order {order}",
                "can u check {order}",
                "status of order {order} please",
                "Hi, order {order} still says processing",
            ),
            "answer": (
                "Your order is on its way with {carrier}. You can follow it in Orders > Track package; most orders arrive within 5-8 business days.",
                "I checked: the seller shipped it and it's in transit with {carrier}. The estimated delivery date is shown on the order page.",
                "Orders usually ship within 2 business days. Once it ships you'll get a notification with the {carrier} tracking link.",
            ),
        },
        "es": {
            "open": ("dónde está mi pedido", "cuándo llega mi {item}?"),
            "open_pii": ("me puedes decir dónde va el pedido {order}", "estado del pedido {order}"),
            "answer": (
                "Tu pedido va en camino con {carrier}. Puedes seguirlo en Pedidos > Rastrear paquete.",
                "El vendedor ya lo envió y está en tránsito con {carrier}. La fecha estimada aparece en la página del pedido.",
            ),
        },
    },
    "shipping_delay": {
        "en": {
            "open": (
                "my package is late, it was supposed to come {days} days ago",
                "{carrier} tracking hasn't moved in a week",
                "delivery date keeps getting pushed back, this is ridiculous",
                "says delivered but I never got it",
            ),
            "open_pii": (
                "order {order} is way past the delivery date",
                "tracking for {order} hasn't updated since last week",
                "it says delivered to {address} but nothing is here",
            ),
            "answer": (
                "Sorry for the wait. If the package hasn't moved for 7+ days, it may be delayed at the carrier. You can tap 'Item not received' on the order to open a claim and get a refund or replacement.",
                "Carriers are running behind this week. If it's not there 3 days after the estimated date, open Orders > Help > 'Package not received' and we'll make it right.",
                "When tracking shows delivered but you don't have it, check with neighbors and your mailbox area, then report it from the order page within 48 hours.",
            ),
        },
        "es": {
            "open": (
                "mi paquete va retrasado",
                "el rastreo de {carrier} no se mueve desde hace días",
            ),
            "open_pii": ("el pedido {order} ya debió llegar",),
            "answer": (
                "Lamentamos el retraso. Si el paquete no se ha movido en 7 días, toca 'No recibí el artículo' en el pedido para abrir un reclamo.",
            ),
        },
    },
    "payment_failed": {
        "en": {
            "open": (
                "my payment keeps failing at checkout",
                "card declined but my bank says its fine??",
                "payment failed but I still got charged {amount}",
                "can't pay with apple pay, error every time",
            ),
            "open_pii": (
                "it keeps declining my card {card}",
                "tried card {card} three times and it fails",
                "payment failed, card number {card}, bank says no issue",
            ),
            "answer": (
                "Declines usually come from the card issuer or a mismatch in the billing ZIP. Double-check the billing address, try again in a few minutes, or use a different payment method. Pending charges from failed attempts drop off within 3-5 days.",
                "Please make sure your card supports online purchases and that the app is up to date. If it still fails, try PayPal or Apple Pay. Never share your full card number in chat.",
                "A failed payment isn't charged; what you see is a temporary authorization that your bank releases in a few business days.",
            ),
        },
        "es": {
            "open": ("mi pago no pasa", "me rechaza la tarjeta pero el banco dice que está bien"),
            "open_pii": ("no acepta mi tarjeta {card}",),
            "answer": (
                "Los rechazos suelen venir del banco emisor o de un código postal distinto. Revisa la dirección de facturación o usa otro método de pago.",
            ),
        },
    },
    "ads_billing": {
        "en": {
            "open": (
                "I got billed twice for my ad campaign",
                "why was my ads account charged {amount} when the campaign was paused",
                "need an invoice for our ad spend last month",
                "ads manager charged me but the ad never ran",
            ),
            "open_pii": (
                "billing contact for our ads account is {email}, we got double charged",
                "ads charge on card {card} is wrong",
            ),
            "answer": (
                "Ad charges are billed at thresholds or monthly, so a paused campaign can still be charged for delivery before the pause. You can see each charge in Ads Manager > Billing > Transactions.",
                "Invoices are in Ads Manager > Billing > Payments. If you see a duplicate charge, it's often a threshold charge plus the monthly bill; select it and tap 'Dispute' if it doesn't match delivery.",
            ),
        },
        "es": {
            "open": ("me cobraron dos veces por la campaña de anuncios",),
            "open_pii": ("el correo de facturación es {email}, nos cobraron de más",),
            "answer": (
                "Los cargos de anuncios se cobran por umbral o mensualmente. Puedes ver cada cargo en Administrador de anuncios > Facturación.",
            ),
        },
    },
    "creator_payout": {
        "en": {
            "open": (
                "my creator payout didn't come this month",
                "where's my creator fund money, it's been {days} days",
                "payout says pending forever",
                "I can't withdraw my earnings, button is greyed out",
            ),
            "open_pii": (
                "payout still missing, my SSN {ssn} is on the tax form",
                "my payout email is {email} and nothing arrived",
                "do you need my ssn for payouts? it's {ssn}",
            ),
            "answer": (
                "Payouts are sent on the 15th for the previous month once your balance is over $50 and your tax info is complete. Check Creator tools > Earnings > Payout status.",
                "A pending payout usually means the tax form or payout method needs verification. Open Creator tools > Payout settings and confirm your details. Please don't share tax IDs in chat.",
            ),
        },
        "es": {
            "open": ("no me llegó el pago de creador este mes",),
            "open_pii": ("mi número de seguro social es {ssn}, ya llené el formulario y nada",),
            "answer": (
                "Los pagos se envían el día 15 si tu saldo supera $50 y tu información fiscal está completa. Revisa Herramientas de creador > Ganancias.",
            ),
        },
    },
    "account_banned_appeal": {
        "en": {
            "open": (
                "my account got banned for no reason",
                "why was I permanently banned?? I didn't do anything",
                "how do I appeal a ban",
                "account suspended, I need it back for my business",
            ),
            "open_pii": (
                "account under {email} was banned, please review",
                "I'm {name} and my account was suspended by mistake",
            ),
            "answer": (
                "I'm sorry your account was restricted. You can appeal from the notice in the app: tap 'Disagree' and add details. Appeals are reviewed by our team within 3 days.",
                "Bans happen when content or activity goes against the Community Guidelines. You can submit an appeal from Settings > Account status.",
            ),
        },
        "es": {
            "open": ("me banearon la cuenta sin razón", "cómo apelo una suspensión?"),
            "open_pii": ("soy {name} y suspendieron mi cuenta por error",),
            "answer": (
                "Lamentamos la restricción. Puedes apelar desde el aviso en la app tocando 'No estoy de acuerdo'. Revisamos las apelaciones en 3 días.",
            ),
        },
    },
    "content_removed": {
        "en": {
            "open": (
                "my video got taken down and it didn't break any rules",
                "why was my post removed",
                "they deleted my live replay for 'violations' lol what violations",
                "my sound got muted on my video, copyright claim is wrong",
            ),
            "open_pii": ("video on {email} account got removed, pls check",),
            "answer": (
                "When content is removed, the notice in your inbox explains which guideline applied. If you think we got it wrong, tap the notice and choose 'Submit an appeal'.",
                "Muted audio is usually a music licensing issue, not a strike. You can swap the sound with one from the commercial library and repost.",
            ),
        },
        "es": {
            "open": ("me borraron un video y no rompía ninguna regla",),
            "open_pii": ("borraron el video de la cuenta {email}",),
            "answer": (
                "El aviso en tu bandeja explica qué norma se aplicó. Si crees que es un error, toca el aviso y elige 'Apelar'.",
            ),
        },
    },
    "report_harassment": {
        "en": {
            "open": (
                "someone keeps harassing me in my comments",
                "how do I report an account that's threatening me",
                "a user is sending me creepy DMs",
                "people are spamming hate on my live",
            ),
            "open_pii": (
                "this person keeps messaging my number {phone}, how did they get it",
                "someone posted my address {address} in comments",
                "the guy harassing me uses the name {name}",
            ),
            "answer": (
                "I'm sorry you're dealing with this. Press and hold the comment or message, tap Report > Harassment. You can also block the account and turn on comment filters in Settings > Privacy.",
                "Your safety matters. Report the account from its profile (••• > Report), and use Restrict or Block. If you're in immediate danger, contact local authorities.",
            ),
        },
        "es": {
            "open": ("alguien me está acosando en los comentarios",),
            "open_pii": ("publicaron mi dirección {address} en los comentarios",),
            "answer": (
                "Lamentamos que pases por esto. Mantén presionado el comentario y toca Reportar > Acoso. También puedes bloquear la cuenta.",
            ),
        },
    },
    "privacy_data_request": {
        "en": {
            "open": (
                "how do I download all my data",
                "I want you to delete all my personal data (CCPA)",
                "what data do you have about me",
                "request to opt out of sale of my personal info",
            ),
            "open_pii": (
                "please delete all data tied to {email}",
                "send my data export to {email}",
                "CCPA request for {name}, email {email}",
            ),
            "answer": (
                "You can request a copy of your data in Settings > Privacy > Download your data. The file is ready within a few days and we'll notify you.",
                "To delete your data, go to Settings > Account > Deactivate or delete account. California residents can also submit requests from our privacy center.",
            ),
        },
        "es": {
            "open": ("cómo descargo toda mi información",),
            "open_pii": ("borren todos mis datos de {email}",),
            "answer": (
                "Puedes pedir una copia de tus datos en Configuración > Privacidad > Descargar tus datos.",
            ),
        },
    },
    "subscription_cancel": {
        "en": {
            "open": (
                "how do I cancel my subscription",
                "cancel my premium plan please",
                "I keep getting charged {amount} a month and want to stop",
                "unsubscribe me from the creator subscription",
            ),
            "open_pii": ("cancel the subscription on {email}",),
            "answer": (
                "If you subscribed in the app, cancel from your app store: iPhone Settings > your name > Subscriptions, or Google Play > Payments & subscriptions. Web subscriptions can be canceled in Settings > Subscriptions.",
                "You can cancel anytime in Settings > Subscriptions > Cancel. You'll keep access until the end of the billing period.",
            ),
        },
        "es": {
            "open": ("cómo cancelo mi suscripción", "quiero dejar de pagar {amount} al mes"),
            "open_pii": ("cancelen la suscripción de {email}",),
            "answer": (
                "Puedes cancelar en Configuración > Suscripciones > Cancelar. Mantendrás el acceso hasta el final del periodo.",
            ),
        },
    },
    "coins_purchase": {
        "en": {
            "open": (
                "I bought {coins} coins and they never showed up",
                "coins missing after purchase",
                "charged {amount} for coins but my balance is 0",
                "gift didn't send but coins were taken",
            ),
            "open_pii": (
                "bought coins with card {card} and got nothing",
                "coins purchase on {email} not credited",
            ),
            "answer": (
                "Coin purchases can take a few minutes to appear. Restart the app and check Profile > Balance. If they're still missing after an hour, tap 'Restore purchases' in the coin store.",
                "If a gift fails to send, the coins are returned to your balance automatically within 24 hours.",
            ),
        },
        "es": {
            "open": ("compré {coins} monedas y no aparecen",),
            "open_pii": ("pagué con la tarjeta {card} y no me dieron las monedas",),
            "answer": (
                "Las monedas pueden tardar unos minutos. Reinicia la app y revisa Perfil > Saldo. Si siguen sin aparecer, toca 'Restaurar compras'.",
            ),
        },
    },
    "age_verification": {
        "en": {
            "open": (
                "it says I'm under 18 but I'm not",
                "how do I verify my age to go live",
                "age check keeps failing on my selfie",
            ),
            "open_pii": (
                "I'm 24, my name is {name}, please fix my age",
                "can I just give you my SSN {ssn} to prove my age",
            ),
            "answer": (
                "To update your age, go to Settings > Account > Date of birth > Verify. You can verify with a selfie estimate or a government ID.",
                "Going LIVE requires being 18+. If your age is wrong, submit a verification request from the LIVE setup screen.",
            ),
        },
        "es": {
            "open": ("dice que soy menor de edad pero no lo soy",),
            "open_pii": ("me llamo {name} y tengo 22, arreglen mi edad",),
            "answer": (
                "Para actualizar tu edad ve a Configuración > Cuenta > Fecha de nacimiento > Verificar.",
            ),
        },
    },
    "live_stream_issue": {
        "en": {
            "open": (
                "my live keeps freezing",
                "LIVE button disappeared",
                "stream lags so bad on my {device}",
                "viewers can't see my live, it says offline",
            ),
            "open_pii": ("live issues on account {email}",),
            "answer": (
                "For smoother LIVEs, use Wi-Fi or strong 5G, close background apps and update the app. Lower the stream quality in LIVE settings if it keeps freezing.",
                "The LIVE button needs 1,000 followers and 18+. If you had it before, a recent guideline strike may have paused LIVE access; check Settings > Account status.",
            ),
        },
        "es": {
            "open": ("mi transmisión en vivo se congela",),
            "open_pii": ("problemas con el live en la cuenta {email}",),
            "answer": (
                "Usa Wi-Fi o buena señal, cierra otras apps y actualiza la app. Baja la calidad del live si se congela.",
            ),
        },
    },
    "account_hacked": {
        "en": {
            "open": (
                "my account got hacked",
                "someone changed my password and email",
                "I think I've been hacked, there are posts I didn't make",
                "hacker locked me out!!! help",
            ),
            "open_pii": (
                "hacked. they changed the email from {email}",
                "my account was hacked, my phone {phone} was removed from it",
                "someone hacked me, my real email is {email}, please restore",
            ),
            "answer": (
                "I'm sorry. Go to the login screen, tap 'Forgot password' and choose 'My account was hacked'. We'll verify you through your original email or phone and help you secure the account.",
                "To recover a hacked account, use Log in > Need help > 'Account hacked'. After you're back in, turn on 2-step verification and remove unknown devices.",
            ),
        },
        "es": {
            "open": ("me hackearon la cuenta", "alguien cambió mi contraseña y mi correo"),
            "open_pii": ("me hackearon, mi correo real es {email}",),
            "answer": (
                "Lo siento. En la pantalla de inicio toca '¿Olvidaste tu contraseña?' y elige 'Me hackearon la cuenta'.",
            ),
        },
    },
    "verification_badge": {
        "en": {
            "open": (
                "how do I get verified",
                "how do I get the blue check",
                "I applied for verification and got rejected",
            ),
            "open_pii": ("I'm {name}, public figure, want the badge",),
            "answer": (
                "Verification is for authentic, notable accounts. You can apply in Settings > Account > Verification; we review applications within 30 days.",
                "If your request was declined, you can apply again after 30 days. Press coverage and a complete profile help.",
            ),
        },
        "es": {
            "open": ("cómo consigo la insignia de verificado",),
            "open_pii": ("soy {name} y quiero la verificación",),
            "answer": (
                "Puedes solicitarla en Configuración > Cuenta > Verificación. Revisamos las solicitudes en 30 días.",
            ),
        },
    },
    "shop_seller_issue": {
        "en": {
            "open": (
                "the seller sent me a fake {item}",
                "seller isn't responding to my messages",
                "I'm a seller and my shop got deactivated",
                "received a totally different item than the listing",
            ),
            "open_pii": (
                "seller on order {order} sent the wrong thing",
                "I'm a seller, shop email {email}, my payouts are frozen",
                "send the replacement to {address} please",
            ),
            "answer": (
                "If an item isn't as described, open the order and tap 'Return or refund' > 'Item not as described'. If the seller doesn't respond within 48 hours we step in.",
                "Shop account issues are handled in Seller Center > Account health. You'll find the reason and an appeal option there.",
            ),
        },
        "es": {
            "open": ("el vendedor me mandó un {item} falso",),
            "open_pii": ("el vendedor del pedido {order} no contesta",),
            "answer": (
                "Si el artículo no es como se describe, abre el pedido y toca 'Devolución o reembolso'.",
            ),
        },
    },
    "update_profile": {
        "en": {
            "open": (
                "how do I change my username",
                "can't update my email",
                "how do I change the phone number on my account",
                "need to change my shipping address",
            ),
            "open_pii": (
                "please change my email to {email}",
                "update my phone number to {phone}",
                "new address is {address}",
                "change the name on the account to {name}",
            ),
            "answer": (
                "You can edit your profile in Profile > Edit profile. Email and phone are under Settings > Account > User information; we'll send a code to confirm the change.",
                "For security I can't change account details in chat, but you can do it in Settings > Account in a few taps. Shipping addresses are in Shop > Addresses.",
            ),
        },
        "es": {
            "open": ("cómo cambio mi nombre de usuario",),
            "open_pii": ("cambien mi correo a {email}", "mi nueva dirección es {address}"),
            "answer": (
                "Puedes editar tu perfil en Perfil > Editar perfil. El correo y el teléfono están en Configuración > Cuenta.",
            ),
        },
    },
    "app_crash": {
        "en": {
            "open": (
                "app keeps crashing when I open it",
                "the app crashes every time I try to upload",
                "black screen after the update on my {device}",
                "app freezes then closes, already reinstalled",
            ),
            "open_pii": ("app crashes on my {device}, account {email}",),
            "answer": (
                "Sorry about that. Please update to the latest version, restart your phone, and clear the cache in Settings > Free up space. If it still crashes, report it from Settings > Report a problem.",
                "Crashes on upload are often storage-related. Free up space on your device and try uploading on Wi-Fi.",
            ),
        },
        "es": {
            "open": ("la app se cierra sola cada vez que la abro",),
            "open_pii": ("la app falla en mi {device}, cuenta {email}",),
            "answer": (
                "Actualiza a la última versión, reinicia el teléfono y borra la caché en Configuración > Liberar espacio.",
            ),
        },
    },
    "promo_code": {
        "en": {
            "open": (
                "promo code isn't working",
                "my coupon says invalid at checkout",
                "I didn't get the new user discount",
            ),
            "open_pii": ("coupon didn't apply to order {order}",),
            "answer": (
                "Promo codes apply only to eligible items and have a minimum spend. Check the code's terms in Shop > Coupons; expired or already-used codes show as invalid.",
                "New user discounts apply to the first order only and can't be combined with other coupons.",
            ),
        },
        "es": {
            "open": ("el código de promoción no funciona",),
            "open_pii": ("el cupón no se aplicó al pedido {order}",),
            "answer": (
                "Los códigos aplican solo a artículos elegibles y con compra mínima. Revisa las condiciones en Tienda > Cupones.",
            ),
        },
    },
}

# language -> turn kind -> templates shared by every intent.
GENERIC: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "greeting": (
            "Hi! I'm the virtual assistant. What can I help you with today?",
            "Hey there 👋 I'm here to help. Tell me what's going on.",
            "Hi, welcome to Support. How can I help?",
        ),
        "detail": (
            "it started {days} days ago",
            "I'm on {device} if that matters",
            "ok. it's kind of urgent",
            "thank you",
            "sure",
        ),
        "was_helpful": ("Was this helpful?", "Did that answer your question?"),
        "thanks": (
            "that worked, thanks!",
            "ok got it ty",
            "Perfect, thank you so much",
            "thx",
            "oh that fixed it 🙏",
            "ok cool",
            "great thanks, that's all",
        ),
        "anything_else": (
            "Glad I could help! Is there anything else?",
            "Happy to help. Anything else I can do for you?",
        ),
        "no_thanks": ("no that's it", "nope", "no thanks"),
        "ask_human": (
            "can I talk to a real person",
            "agent",
            "REPRESENTATIVE",
            "human please",
            "I want to speak to a human, not a bot",
            "transfer me to live support",
            "just connect me w someone pls",
        ),
        "frustrated": (
            "wow super helpful 🙄",
            "that's not what I asked",
            "I already tried that",
            "this doesn't help at all",
            "great, another useless bot",
            "yeah no, didn't work",
            "are you even reading what I write",
            "I've done all that 3 times already 😤",
        ),
        "rephrase": (
            "no I mean the thing I said before",
            "that's not it. let me explain again",
            "??? I said it doesn't work",
            "still the same problem",
            "not that, the other issue",
        ),
        "fallback": (
            "Sorry, I didn't quite get that. Could you rephrase?",
            "I'm not sure I understand. Can you say it another way?",
            "Hmm, I couldn't find an answer for that. Could you give me more details?",
        ),
        "connect": (
            "I'll connect you with a member of our support team. Please hold on.",
            "Let me transfer you to an agent who can help with this.",
            "Connecting you to a specialist now. Typical wait is a few minutes.",
        ),
        "fallback_connect": (
            "Sorry I couldn't help with that. Let me get you to someone who can.",
            "I'm having trouble understanding, so I'm connecting you with an agent.",
        ),
        "policy": (
            "For your security, this needs to be reviewed by our team. I'm connecting you with a specialist.",
            "This type of request has to be handled by a person on our Trust & Safety team. Transferring you now.",
            "I can't make changes to this myself, so I'm passing you to a specialist.",
        ),
        "agent_hello": (
            "Hi, thanks for waiting. I'm taking over from the assistant, let me look into this.",
            "Hello! I've read the conversation so far. Give me a moment to check your account.",
            "Thanks for your patience. I'm reviewing this now.",
        ),
        "agent_work": (
            "I've escalated this to the right team and added a note to your account. You'll get an email update within 24-48 hours.",
            "I've fixed this on our side. It can take up to an hour to show up in the app.",
            "I've submitted the request for you. You'll see a notification once it's processed.",
            "I'm sorry for the trouble. I've issued the correction and you should see it within 3-5 business days.",
        ),
        "customer_ok": ("ok thank you", "thanks", "alright", "ok", "appreciate it!"),
        "agent_close": (
            "Is there anything else I can help you with today?",
            "Thanks for contacting us, have a great day!",
        ),
        "still_there": ("hello??", "anyone there", "hellooo", "?"),
        "returning": (
            "I already contacted you about this and it's still not fixed.",
            "this is my second time asking.",
            "following up, same issue as before.",
            "still broken from last time.",
        ),
        "volunteer": (
            "my email is {email}",
            "you can reach me at {phone}",
            "my phone number is {phone}",
            "name on the account is {name}",
            "my address is {address}",
            "email: {email}",
            "it's {name}",
        ),
        "system_open": (
            "Conversation started from Help Center",
            "Customer opened chat from order page",
            "Chat session created",
        ),
    },
    "es": {
        "greeting": (
            "¡Hola! Soy el asistente virtual. ¿En qué te puedo ayudar?",
            "Hola 👋 Cuéntame qué pasó y te ayudo.",
        ),
        "detail": ("empezó hace {days} días", "uso {device}", "ok, es urgente", "gracias"),
        "was_helpful": ("¿Te sirvió esta respuesta?",),
        "thanks": ("listo, gracias!", "ya funcionó, mil gracias", "ok gracias", "perfecto 🙏"),
        "anything_else": (
            "¡Me alegra ayudarte! ¿Algo más?",
            "¿Hay algo más en lo que te pueda ayudar?",
        ),
        "no_thanks": ("no, eso es todo", "nada más"),
        "ask_human": (
            "quiero hablar con una persona",
            "agente por favor",
            "pásame con alguien real",
            "can I talk to someone in english or spanish, a person",
        ),
        "frustrated": (
            "eso no me ayuda",
            "ya hice eso y nada",
            "qué bot tan inútil 🙄",
            "no es lo que pregunté",
        ),
        "rephrase": ("no, me refiero a otra cosa", "sigue igual", "no entiendes lo que digo"),
        "fallback": (
            "Perdón, no entendí. ¿Lo puedes decir de otra forma?",
            "No estoy seguro de entender. ¿Me das más detalles?",
        ),
        "connect": (
            "Te comunico con un miembro de nuestro equipo. Un momento por favor.",
            "Te transfiero con un agente que te puede ayudar.",
        ),
        "fallback_connect": ("Perdón que no pude ayudarte. Te paso con una persona.",),
        "policy": (
            "Por tu seguridad, esto lo revisa nuestro equipo. Te comunico con un especialista.",
            "Este tipo de solicitud la maneja una persona. Te transfiero ahora.",
        ),
        "agent_hello": (
            "Hola, gracias por esperar. Ya revisé la conversación, déjame ver tu cuenta.",
            "¡Hola! Voy a ayudarte con esto, dame un momento.",
        ),
        "agent_work": (
            "Ya lo escalé al equipo correcto. Recibirás un correo en 24 a 48 horas.",
            "Listo, ya lo corregí. Puede tardar hasta una hora en verse en la app.",
        ),
        "customer_ok": ("ok gracias", "gracias", "va", "ok"),
        "agent_close": ("¿Algo más en lo que te pueda ayudar?", "¡Gracias por contactarnos!"),
        "still_there": ("hola??", "hay alguien?", "?"),
        "returning": ("ya les escribí por esto y sigue igual.", "es la segunda vez que pregunto."),
        "volunteer": (
            "mi correo es {email}",
            "mi teléfono es {phone}",
            "me llamo {name}",
            "mi dirección es {address}",
        ),
        "system_open": ("Conversación iniciada desde el Centro de ayuda", "Chat creado"),
    },
}

# language -> (bot clarifying question, customer answers that fit it).
CLARIFY: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "en": (
        (
            "Got it. Can you tell me a bit more so I can find the right steps?",
            (
                "it started {days} days ago",
                "been like this for {days} days, tried everything",
                "idk it just doesn't work",
                "like I said, it's broken",
            ),
        ),
        (
            "Thanks! Just to make sure I understand, is this about your account or a purchase?",
            ("account", "a purchase, I bought a {item}", "purchase", "both i guess??"),
        ),
        (
            "I can help with that. Which device are you using?",
            ("{device}", "on my {device}", "iphone", "android", "the website on my laptop"),
        ),
    ),
    "es": (
        (
            "Entendido. ¿Me das un poco más de detalle?",
            ("empezó hace {days} días", "nomás no funciona", "ya intenté todo"),
        ),
        (
            "¿Esto es sobre tu cuenta o sobre una compra?",
            ("la cuenta", "una compra, un {item}", "compra"),
        ),
        ("¿Qué dispositivo usas?", ("{device}", "en mi {device}", "android")),
    ),
}

# language -> (customer follow-up question, bot reply) after the bot's answer.
FOLLOW_UP: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("how long does that take?", "Usually a few minutes, but it can take up to 24 hours."),
        (
            "where is that setting exactly?",
            "Open your Profile, tap the menu in the top right, then Settings and privacy.",
        ),
        (
            "ok and if that doesn't work?",
            "If it still doesn't work after that, reply here and I'll find another option.",
        ),
        ("will I lose anything?", "No, your videos, followers and purchases stay as they are."),
        ("is this gonna cost me anything", "No, there's no charge for this."),
    ),
    "es": (
        ("cuánto tarda eso?", "Normalmente unos minutos, pero puede tardar hasta 24 horas."),
        ("y si no funciona?", "Si sigue sin funcionar, escríbeme aquí y buscamos otra opción."),
        ("voy a perder algo?", "No, tus videos, seguidores y compras se quedan igual."),
    ),
}

# Email-channel wrapping of the first customer message; {name} signs it (a PERSON span).
EMAIL_WRAP: dict[str, tuple[str, ...]] = {
    "en": (
        "Hi,\n\n{body}\n\nThanks,\n{name}",
        "Hello support team,\n\n{body}\n\n{name}",
        "{body}\n\nSent from my iPhone",
        "To whom it may concern,\n\n{body}\n\nRegards,\n{name}",
    ),
    "es": ("Hola,\n\n{body}\n\nGracias,\n{name}", "{body}\n\nEnviado desde mi iPhone"),
}

# Harmless slot fills (never PII).
FILLS: dict[str, tuple[str, ...]] = {
    "amount": ("$4.99", "$9.99", "$14.99", "$24.99", "$39.00", "$62.50", "$119.99", "$7.49"),
    "coins": ("70", "350", "700", "1,400", "3,500", "7,000"),
    "days": ("2", "3", "4", "5", "6", "8", "10", "12"),
    "device": ("iPhone 15", "iPhone 13", "Galaxy S23", "Pixel 8", "iPad", "Moto G", "iphone 12"),
    "item": ("phone case", "hoodie", "LED strip lights", "air fryer", "lip gloss set", "sneakers"),
    "carrier": ("USPS", "UPS", "FedEx"),
}

EMOJIS = ("😡", "🙏", "😭", "💀", "🙄", "😤", "🤦", "😩", "👍", "😂")

# Casual rewrites customers really type (applied word-wise to literal text only).
SLANG = {
    "you": "u",
    "please": "pls",
    "thanks": "thx",
    "because": "bc",
    "your": "ur",
    "are": "r",
    "with": "w",
    "really": "rly",
    "don't": "dont",
    "can't": "cant",
    "I'm": "im",
}

# intent -> what an agent does about it (en); other languages use GENERIC agent_work.
AGENT_RESOLUTIONS: dict[str, tuple[str, ...]] = {
    "login_2fa": (
        "I've reset the 2-step verification on your account. Log in with your password and you'll be asked to set it up again.",
    ),
    "password_reset": ("I've sent a fresh reset link; it's valid for the next hour.",),
    "refund": (
        "I've approved the refund of {amount}. It goes back to your original payment method in 3-5 business days.",
        "The seller didn't respond in time, so I've issued the refund from our side.",
    ),
    "order_status": (
        "I contacted {carrier}: the package is at the local facility and should arrive tomorrow.",
    ),
    "shipping_delay": (
        "I've opened a lost-package claim and a replacement is on its way.",
        "I've added a {amount} credit for the delay, and the package is moving again.",
    ),
    "payment_failed": (
        "The failed attempts were authorizations only; I've asked the bank to release them early.",
    ),
    "ads_billing": (
        "I've confirmed the duplicate charge and credited {amount} to your ads account.",
    ),
    "creator_payout": (
        "Your payout was held because the tax form was incomplete. I've reopened it; once it's resubmitted, the payout goes out in the next cycle.",
    ),
    "account_banned_appeal": (
        "I've sent your appeal to the review team with a priority flag. You'll get a decision by email within 3 days.",
        "After review, the ban has been lifted. Sorry for the trouble.",
    ),
    "content_removed": (
        "I've asked for a second review of the video; you'll get a notification with the result.",
    ),
    "report_harassment": (
        "I've escalated the reported account to our safety team and restricted it from contacting you.",
    ),
    "privacy_data_request": (
        "I've logged your privacy request; we'll confirm by email within 45 days as required.",
    ),
    "subscription_cancel": ("I've canceled the subscription and refunded this month's {amount}.",),
    "coins_purchase": ("I've credited the missing {coins} coins to your balance.",),
    "age_verification": (
        "I've started a manual age review. Please upload an ID photo from the link in your inbox.",
    ),
    "live_stream_issue": (
        "I've reset your LIVE eligibility; please restart the app and try going live again.",
    ),
    "account_hacked": (
        "I've locked the account, removed the hacker's email and phone, and sent a recovery link to your original email.",
    ),
    "verification_badge": (
        "I've forwarded your application to the verification team for another look.",
    ),
    "shop_seller_issue": (
        "I've opened a case with the seller and put a hold on their payout until it's resolved.",
    ),
    "update_profile": (
        "I've sent a confirmation code to the new contact info; enter it in the app to finish the change.",
    ),
    "app_crash": (
        "Our engineers know about this crash; a fix ships in the next update. I've added your report to the ticket.",
    ),
    "promo_code": ("I've applied a {amount} credit to your account to make up for the coupon.",),
}
