"""Codes of what the accounts say to a person (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

ROLE_MAY_NOT = "accounts.role-may-not"
PASSWORD_WEAK = "accounts.password-weak"
USERNAME_TAKEN = "accounts.username-taken"
STATE_OF_NODE = "accounts.state-of-node"
CANNOT_DISABLE_SELF = "accounts.cannot-disable-self"
TOKENS_USERS_ONLY = "accounts.tokens-users-only"
SIGN_IN_FAILED = "accounts.sign-in-failed"
SIGN_IN_LOCKED = "accounts.sign-in-locked"
STATE_CODE = "accounts.state-code"
USERNAME_REQUIRED = "accounts.username-required"
ROLE_REQUIRED = "accounts.role-required"
TOKEN_NAME_REQUIRED = "accounts.token-name-required"
CHECKPOINT_MALFORMED = "audit.checkpoint-malformed"
CHECKPOINT_UNKNOWN_KEY = "audit.checkpoint-unknown-key"
CHECKPOINT_ALTERED = "audit.checkpoint-altered"
CHECKPOINT_FILE_TOO_LARGE = "audit.checkpoint-file-too-large"
CHAIN_MISMATCH = "audit.chain-mismatch"

MESSAGES = {
    USERNAME_REQUIRED: N_("Enter a username."),
    ROLE_REQUIRED: N_("Choose a role."),
    TOKEN_NAME_REQUIRED: N_("Give the token a name, such as the system that will use it."),
    ROLE_MAY_NOT: N_("Your role does not allow this action."),
    PASSWORD_WEAK: N_("The password is too weak."),
    USERNAME_TAKEN: N_("A user named %(username)s exists already."),
    STATE_OF_NODE: N_(
        "Accounts of this role act for this node's state (%(node)s), not %(state)s; only a "
        "consular officer acts for another state."
    ),
    CANNOT_DISABLE_SELF: N_("You cannot disable your own account."),
    TOKENS_USERS_ONLY: N_("Only a user account can hold API tokens."),
    SIGN_IN_FAILED: N_("Wrong user name or password."),
    SIGN_IN_LOCKED: N_("Too many failed sign-ins; try again after %(time)s UTC."),
    STATE_CODE: N_("%(state)s is not the code of a state."),
    CHECKPOINT_MALFORMED: N_("This is not a signed audit checkpoint of this node."),
    CHECKPOINT_UNKNOWN_KEY: N_("The checkpoint is signed by %(kid)s, not by a key of this node."),
    CHECKPOINT_ALTERED: N_("The checkpoint's signature does not verify: it was altered."),
    CHECKPOINT_FILE_TOO_LARGE: N_("The checkpoint file is larger than %(megabytes)s MB."),
    CHAIN_MISMATCH: N_(
        "The audit log's entry %(seq)s is not the one checkpointed at %(at)s; verify the log."
    ),
}
