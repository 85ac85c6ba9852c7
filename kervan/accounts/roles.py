"""Roles, permissions and the principal a request acts as.

A permission is granted to roles here, in one table, so that a reader can see every rule at once;
where a rule also depends on the record (state scoping), the service layer applies it in SQL.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass


class Role(enum.StrEnum):
    ADMIN = "admin"
    MIGRATION_OFFICER = "migration_officer"
    CONSULAR_OFFICER = "consular_officer"
    BORDER_OFFICER = "border_officer"
    SECRETARIAT_ANALYST = "secretariat_analyst"


class Permission(enum.StrEnum):
    PUBLIC = "public"  # no sign-in needed (sign-in page, health, API docs)
    AUTHENTICATED = "authenticated"  # any signed-in user (own profile, own tokens)
    REGISTER_READ = "register.read"
    REGISTER_WRITE = "register.write"
    REGISTER_IMPORT = "register.import"
    REGISTER_EXPORT = "register.export"
    DOCUMENT_CHECK = "document.check"  # a border officer's lookup by travel document
    REPORTS_READ = "reports.read"
    REPORTS_GENERATE = "reports.generate"  # make (again) this node's situation report
    ACCOUNTS_MANAGE = "accounts.manage"
    AUDIT_READ = "audit.read"
    MEASURES_READ = "measures.read"  # a measure is public law: its text, scope and status
    MEASURES_MANAGE = "measures.manage"  # draft, preview, bring into force, apply, lift
    BENEFITS_READ = "benefits.read"  # benefit kinds and a person's benefits
    BENEFITS_DECIDE = "benefits.decide"  # enter, approve, reject; grant to every eligible person
    BENEFITS_CONFIGURE = "benefits.configure"  # the kinds a state offers and their rules
    EXCHANGE_READ = "exchange.read"  # the message log, its evidence and the dead letters
    EXCHANGE_MANAGE = "exchange.manage"  # retry dead letters
    NATIONALS_ABROAD_READ = "nationals_abroad.read"  # what host states reported about nationals
    PEER_QUERY = "peer.query"  # ask a host state about one of our nationals
    ACCREDITATIONS_READ = "accreditations.read"  # the register of accredited diplomatic staff
    ACCREDITATIONS_MANAGE = "accreditations.manage"  # enter, import, accept signed lists, withdraw
    AIRPORT_ACCESS_READ = "airport_access.read"  # own mission's requests, or own airports'
    AIRPORT_ACCESS_REQUEST = "airport_access.request"  # a mission asks for airport access
    AIRPORT_ACCESS_DECIDE = "airport_access.decide"  # grant, refuse, revoke (assigned airports)
    PASSES_VERIFY = "passes.verify"  # check a pass through the API, send in verifier scans
    CASES_READ = "cases.read"  # assistance cases (a consular officer: own nationals only)
    CASES_WORK = "cases.work"  # open, triage, edit, note, give aid, refer, accept, close
    REPATRIATION_READ = "repatriation.read"  # return requests, legs, manifests (own scope)
    REPATRIATION_MANAGE = "repatriation.manage"  # requests, legs, allocation, manifests
    RETURN_LEGS_DECIDE = "return_legs.decide"  # the host state agrees or refuses a leg
    BOARDING_RECORD = "boarding.record"  # the gate's MRZ scan of a departing passenger


GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.PUBLIC: frozenset(Role),
    Permission.AUTHENTICATED: frozenset(Role),
    Permission.REGISTER_READ: frozenset({Role.MIGRATION_OFFICER, Role.CONSULAR_OFFICER}),
    Permission.REGISTER_WRITE: frozenset({Role.MIGRATION_OFFICER}),
    Permission.REGISTER_IMPORT: frozenset({Role.MIGRATION_OFFICER}),
    Permission.REGISTER_EXPORT: frozenset({Role.MIGRATION_OFFICER}),
    Permission.DOCUMENT_CHECK: frozenset({Role.MIGRATION_OFFICER, Role.BORDER_OFFICER}),
    Permission.REPORTS_READ: frozenset(
        {Role.MIGRATION_OFFICER, Role.SECRETARIAT_ANALYST, Role.ADMIN}
    ),
    Permission.REPORTS_GENERATE: frozenset({Role.MIGRATION_OFFICER, Role.ADMIN}),
    Permission.ACCOUNTS_MANAGE: frozenset({Role.ADMIN}),
    Permission.AUDIT_READ: frozenset({Role.ADMIN}),
    # Explaining a measure for a person also needs REGISTER_READ (and its state scoping).
    Permission.MEASURES_READ: frozenset(
        {Role.MIGRATION_OFFICER, Role.CONSULAR_OFFICER, Role.SECRETARIAT_ANALYST, Role.ADMIN}
    ),
    Permission.MEASURES_MANAGE: frozenset({Role.MIGRATION_OFFICER}),
    Permission.BENEFITS_READ: frozenset({Role.MIGRATION_OFFICER, Role.CONSULAR_OFFICER}),
    Permission.BENEFITS_DECIDE: frozenset({Role.MIGRATION_OFFICER}),
    Permission.BENEFITS_CONFIGURE: frozenset({Role.MIGRATION_OFFICER}),
    Permission.EXCHANGE_READ: frozenset({Role.ADMIN}),
    Permission.EXCHANGE_MANAGE: frozenset({Role.ADMIN}),
    Permission.NATIONALS_ABROAD_READ: frozenset({Role.CONSULAR_OFFICER}),
    Permission.PEER_QUERY: frozenset({Role.CONSULAR_OFFICER}),
    # Diplomacy: the border officer is the airport authority, scoped to the airports assigned
    # to them (kervan.diplomacy.service.scoped); a consular officer sees their own state's staff.
    Permission.ACCREDITATIONS_READ: frozenset(
        {Role.MIGRATION_OFFICER, Role.CONSULAR_OFFICER, Role.BORDER_OFFICER}
    ),
    Permission.ACCREDITATIONS_MANAGE: frozenset({Role.MIGRATION_OFFICER}),
    Permission.AIRPORT_ACCESS_READ: frozenset({Role.CONSULAR_OFFICER, Role.BORDER_OFFICER}),
    Permission.AIRPORT_ACCESS_REQUEST: frozenset({Role.CONSULAR_OFFICER}),
    Permission.AIRPORT_ACCESS_DECIDE: frozenset({Role.BORDER_OFFICER}),
    Permission.PASSES_VERIFY: frozenset({Role.BORDER_OFFICER}),
    # Assistance cases; analysts see their counts through REPORTS_READ only.
    Permission.CASES_READ: frozenset({Role.MIGRATION_OFFICER, Role.CONSULAR_OFFICER}),
    Permission.CASES_WORK: frozenset({Role.MIGRATION_OFFICER, Role.CONSULAR_OFFICER}),
    # Repatriation: the home state's consuls organise; the host state agrees legs and its border
    # officers see the manifests of the legs leaving their country and board passengers.
    Permission.REPATRIATION_READ: frozenset(
        {Role.CONSULAR_OFFICER, Role.MIGRATION_OFFICER, Role.BORDER_OFFICER}
    ),
    Permission.REPATRIATION_MANAGE: frozenset({Role.CONSULAR_OFFICER}),
    Permission.RETURN_LEGS_DECIDE: frozenset({Role.MIGRATION_OFFICER}),
    Permission.BOARDING_RECORD: frozenset({Role.BORDER_OFFICER}),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting: a signed-in user, an API token's owner, or the node itself (CLI, jobs)."""

    user_id: uuid.UUID | None
    username: str
    role: Role
    state: str
    # Where the request came from, for the audit log.
    address: str = ""

    @property
    def actor(self) -> str:
        return self.username

    def can(self, permission: Permission) -> bool:
        return self.role in GRANTS[permission]

    @property
    def sees_only_nationality(self) -> str | None:
        """A consular officer sees their own state's nationals only; others are not limited by
        nationality (the node holds only its own host state's register)."""
        return self.state if self.role is Role.CONSULAR_OFFICER else None


def state_problem(role: Role, state: str, node_state: str) -> str | None:
    """Accounts of a node act for its state; only a consular officer acts for another (the
    home state of the mission they serve). None when ``state`` is right for ``role``."""
    if role is Role.CONSULAR_OFFICER or state == node_state:
        return None
    return f"a {role.value} of this node acts for {node_state}, not {state}"


def system_principal(state: str, name: str = "system") -> Principal:
    """The node acting on its own behalf: CLI commands run by the operator, background jobs."""
    return Principal(user_id=None, username=name, role=Role.MIGRATION_OFFICER, state=state)
