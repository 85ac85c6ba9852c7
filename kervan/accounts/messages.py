"""Codes of what the accounts say to a person (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

ROLE_MAY_NOT = "accounts.role-may-not"
PASSWORD_WEAK = "accounts.password-weak"
USERNAME_TAKEN = "accounts.username-taken"
STATE_OF_NODE = "accounts.state-of-node"

MESSAGES = {
    ROLE_MAY_NOT: N_("Your role does not allow this action."),
    PASSWORD_WEAK: N_("The password is too weak."),
    USERNAME_TAKEN: N_("A user named %(username)s exists already."),
    STATE_OF_NODE: N_(
        "Accounts of this role act for this node's state (%(node)s), not %(state)s; only a "
        "consular officer acts for another state."
    ),
}
