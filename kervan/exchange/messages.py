"""Codes of what the exchange says to an officer (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

QUERY_RATE_LIMITED = "exchange.query-rate-limited"
QUERY_REFUSED = "exchange.query-refused"
PEER_SILENT = "exchange.peer-silent"
ANSWER_UNVERIFIED = "exchange.answer-unverified"
NOT_CONFIGURED = "exchange.not-configured"
NOT_A_PEER = "exchange.not-a-peer"

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
}
