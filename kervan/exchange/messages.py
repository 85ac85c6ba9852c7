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
}
