"""Codes of what the exchange says to an officer (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

QUERY_RATE_LIMITED = "exchange.query-rate-limited"
QUERY_REFUSED = "exchange.query-refused"
PEER_SILENT = "exchange.peer-silent"
ANSWER_UNVERIFIED = "exchange.answer-unverified"
NOT_CONFIGURED = "exchange.not-configured"
NOT_A_PEER = "exchange.not-a-peer"
TRUST_NONE_YET = "exchange.trust-none-yet"
TRUST_REFUSED = "exchange.trust-refused"
TRUST_PRIVATE_KEY = "exchange.trust-private-key"
TRUST_KID_STATE = "exchange.trust-kid-state"
TRUST_NO_VALID_FROM = "exchange.trust-no-valid-from"
TRUST_NO_SECRETARIAT = "exchange.trust-no-secretariat"
TRUST_THRESHOLD = "exchange.trust-threshold"
TRUST_MALFORMED = "exchange.trust-malformed"
BATCH_TOO_LARGE = "exchange.batch-too-large"
CONSULAR_ONLY = "exchange.consular-only"
RETRY_WHAT = "exchange.retry-what"
MESSAGE_ID = "exchange.message-id"
TOO_MANY_REFUSALS = "exchange.too-many-refusals"
# The consular question's form (``views/ask.py``).
ASK_PASSPORT = "exchange.ask-passport"
ASK_BIRTH_YEAR = "exchange.ask-birth-year"
ASK_SURNAME_TOO_LONG = "exchange.ask-surname-too-long"
ASK_TEXT_LENGTH = "exchange.ask-text-length"
# What each check of an envelope's proof found (``kervan.exchange.evidence``).
PROOF_NOT_JWS = "proof.not-jws"
PROOF_NOT_OBJECT = "proof.not-object"
PROOF_UNKNOWN_KEY = "proof.unknown-key"
PROOF_SIGNED_BY = "proof.signed-by"
PROOF_KEY_NOT_VALID = "proof.key-not-valid"
PROOF_BAD_SIGNATURE = "proof.bad-signature"
PROOF_SAME_ID = "proof.same-id"
PROOF_OTHER_ID = "proof.other-id"
PROOF_NO_RECEIPT = "proof.no-receipt"
PROOF_RECEIPT_COVERS = "proof.receipt-covers"
PROOF_RECEIPT_OTHER = "proof.receipt-other"
PROOF_RECEIPT_ACCEPTED = "proof.receipt-accepted"
PROOF_RECEIPT_SUPERSEDED = "proof.receipt-superseded"
PROOF_RECEIPT_REJECTED = "proof.receipt-rejected"
PROOF_RECEIPT_UNKNOWN = "proof.receipt-unknown"
RECEIPT_STATUS_CODES = {
    "accepted": PROOF_RECEIPT_ACCEPTED,
    "superseded": PROOF_RECEIPT_SUPERSEDED,
    "rejected": PROOF_RECEIPT_REJECTED,
}

MESSAGES = {
    QUERY_RATE_LIMITED: N_(
        "%(state)s answers only so many questions a minute from each state. "
        "Wait a minute and ask again."
    ),
    QUERY_REFUSED: N_("%(state)s refused the question (reason: %(reason)s)."),
    PEER_SILENT: N_(
        "The node of %(state)s did not answer. Try again later; if it keeps failing, "
        "tell your node administrator."
    ),
    ANSWER_UNVERIFIED: N_(
        "The answer could not be verified and was discarded. Tell your node administrator."
    ),
    NOT_CONFIGURED: N_(
        "The exchange is not set up on this node yet (signing key or trust list). "
        "Tell your node administrator."
    ),
    NOT_A_PEER: N_("Choose a host state from the trust list."),
    TRUST_NONE_YET: N_("No trust list is installed yet; install the first one with --bootstrap."),
    TRUST_REFUSED: N_("The trust list was refused: %(reason)s"),
    TRUST_PRIVATE_KEY: N_("The trust list holds a private key; only public keys belong there."),
    TRUST_KID_STATE: N_("The key %(kid)s is listed under %(state)s; its id must begin %(state)s:."),
    TRUST_NO_VALID_FROM: N_("The key %(kid)s has no start of validity."),
    TRUST_NO_SECRETARIAT: N_("The trust list has no secretariat node."),
    TRUST_THRESHOLD: N_("The threshold %(threshold)s is not between 1 and %(members)s members."),
    TRUST_MALFORMED: N_("The trust list is malformed."),
    BATCH_TOO_LARGE: N_("At most %(limit)s envelopes in one request."),
    CONSULAR_ONLY: N_("Only consular officers of %(state)s ask other nodes from this node."),
    RETRY_WHAT: N_("Name the message or the peer to retry."),
    MESSAGE_ID: N_("The message id is not a UUID."),
    TOO_MANY_REFUSALS: N_(
        "More than %(limit)s refused envelopes from this address in the last minute; "
        "try again later."
    ),
    ASK_PASSPORT: N_("Give the passport number: 3 to 20 letters and digits."),
    ASK_BIRTH_YEAR: N_("Give the year of birth as four digits, or none."),
    ASK_SURNAME_TOO_LONG: N_("The surname is too long."),
    ASK_TEXT_LENGTH: N_("Write between %(min)s and %(max)s characters."),
    PROOF_NOT_JWS: N_("Not a signed document (compact JWS)."),
    PROOF_NOT_OBJECT: N_("The signed content is not a JSON object."),
    PROOF_UNKNOWN_KEY: N_("The key %(kid)s is in no trust list this node accepted."),
    PROOF_SIGNED_BY: N_("Signed by %(kid)s (trust list version %(version)s)."),
    PROOF_KEY_NOT_VALID: N_("The key %(kid)s was not valid when the envelope was made."),
    PROOF_BAD_SIGNATURE: N_("The signature does not verify."),
    PROOF_SAME_ID: N_("The signed envelope names this message."),
    PROOF_OTHER_ID: N_("The signed envelope names another message."),
    PROOF_NO_RECEIPT: N_("No receipt is stored yet (not delivered)."),
    PROOF_RECEIPT_COVERS: N_("The receipt names exactly these bytes."),
    PROOF_RECEIPT_OTHER: N_("The receipt names other bytes (SHA-256 %(sha256)s)."),
    PROOF_RECEIPT_ACCEPTED: N_("The receiver accepted the envelope."),
    PROOF_RECEIPT_SUPERSEDED: N_("The receiver had a newer version already."),
    PROOF_RECEIPT_REJECTED: N_("The receiver refused the envelope."),
    PROOF_RECEIPT_UNKNOWN: N_("The receipt's answer is unknown: %(status)s."),
}
