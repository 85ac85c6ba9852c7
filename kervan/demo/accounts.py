"""The demo's accounts: one per role, with passwords printed when the demo starts.

Only ``kervan demo`` calls this, on its own SQLite file. The passwords are fixed so that the
printed list stays right on every run; an account whose password was changed gets it back.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts import service
from kervan.accounts.models import User
from kervan.accounts.passwords import verify_password
from kervan.accounts.roles import Role, system_principal

# (user name prefix, role, password)
DEMO_ACCOUNTS: tuple[tuple[str, Role, str], ...] = (
    ("admin", Role.ADMIN, "caravan-keeper-2020"),
    ("migration", Role.MIGRATION_OFFICER, "caravan-register-2020"),
    ("consular", Role.CONSULAR_OFFICER, "caravan-mission-2020"),
    ("border", Role.BORDER_OFFICER, "caravan-airport-2020"),
    ("analyst", Role.SECRETARIAT_ANALYST, "caravan-reports-2020"),
)


def consular_state(node_state: str) -> str:
    """The home state whose mission the demo's consular officer serves: Uzbekistan, whose
    nationals the demo register has many of — or Kyrgyzstan on an Uzbek node."""
    return "UZB" if node_state != "UZB" else "KGZ"


def ensure_demo_accounts(db: Session, state: str) -> list[tuple[str, str, str]]:
    """Create (or restore) the demo accounts; return (username, role, password) of each."""
    actor = system_principal(state, "demo")
    accounts: list[tuple[str, str, str]] = []
    for prefix, role, password in DEMO_ACCOUNTS:
        acting_for = consular_state(state) if role is Role.CONSULAR_OFFICER else state
        username = f"{prefix}.{acting_for.lower()}"
        user = db.scalar(select(User).where(User.username == username))
        if user is None:
            service.create_user(
                db,
                actor,
                username=username,
                password=password,
                role=role,
                state=acting_for,
                full_name=f"Demo {role.value.replace('_', ' ')}",
                demo=True,
            )
        elif not user.is_active or not verify_password(user.password_hash, password):
            service.reset_password(db, actor, username, password, demo=True)
            service.set_active(db, actor, username, True)
        elif user.locked_until is not None:
            user.failed_logins, user.locked_until = 0, None
        accounts.append((username, role.value, password))
    return accounts
