"""What the audit page calls each action and outcome, in the officer's language. The log stores
stable codes (``person.read``); an action missing here is shown as its code, and
``tests/unit/accounts/test_audit_labels.py`` fails for an action the code records without one.

The first-wave capabilities' actions are listed here; a capability package added later names
its own (``AUDIT_ACTIONS`` in its ``messages.py``) and adds them in ``install(app)`` with
``add_actions``."""

from __future__ import annotations

from collections.abc import Mapping

from kervan.messages import N_

ACTIONS: dict[str, str] = {
    "access.denied": N_("Access refused"),
    "accreditation.imported": N_("Accreditations imported"),
    "accreditation.list": N_("Accreditations listed"),
    "accreditation.saved": N_("Accreditation saved"),
    "accreditation.withdrawn": N_("Accreditation withdrawn"),
    "airport_access.granted": N_("Airport access granted"),
    "airport_access.list": N_("Airport access requests listed"),
    "airport_access.read": N_("Airport access request read"),
    "airport_access.refused": N_("Airport access refused"),
    "airport_access.requested": N_("Airport access requested"),
    "airport_access.revoked": N_("Airport access revoked"),
    "audit.checkpoint": N_("Audit checkpoint signed"),
    "audit.checkpoints": N_("Audit checkpoints listed"),
    "audit.export": N_("Audit log exported"),
    "audit.search": N_("Audit log searched"),
    "audit.verify": N_("Audit chain checked"),
    "auth.sign_in": N_("Sign-in"),
    "auth.sign_out": N_("Sign-out"),
    "benefit.apply": N_("Benefit applied for"),
    "benefit.approve": N_("Benefit approved"),
    "benefit.grant_all": N_("Benefit granted to all eligible"),
    "benefit.grant_all.preview": N_("Benefit grant to all previewed"),
    "benefit.read": N_("Benefit application read"),
    "benefit.reject": N_("Benefit rejected"),
    "benefit_kind.create": N_("Benefit kind created"),
    "benefit_kind.update": N_("Benefit kind changed"),
    "exchange.dead_letters.retry": N_("Undelivered messages sent again"),
    "exchange.evidence.read": N_("Envelope proof read"),
    "exit.check": N_("Exit check"),
    "foreign_measures.list": N_("Other states' measures listed"),
    "foreign_measures.read": N_("Another state's measure read"),
    "measure.activate": N_("Measure brought into force"),
    "measure.apply": N_("Measure applied"),
    "measure.create": N_("Measure created"),
    "measure.lift": N_("Measure lifted"),
    "measure.preview": N_("Measure previewed"),
    "measure.update": N_("Measure changed"),
    "measures.explain": N_("Measure explained for a person"),
    "nationals_abroad.read": N_("National abroad read"),
    "nationals_abroad.search": N_("Nationals abroad searched"),
    "pass.issued": N_("Airport pass issued"),
    "pass.revoked": N_("Airport pass revoked"),
    "pass.scanned": N_("Airport pass scanned"),
    "pass.verified": N_("Airport pass verified"),
    "peer_query.answer": N_("Another state's question answered"),
    "peer_query.ask": N_("Another state asked"),
    "person.change": N_("Person changed"),
    "person.correct": N_("Person corrected"),
    "person.create": N_("Person registered"),
    "person.history": N_("Person's history read"),
    "person.list": N_("Persons listed"),
    "person.read": N_("Person read"),
    "person.search": N_("Persons searched"),
    "register.export": N_("Register exported"),
    "register.import": N_("Register imported"),
    "stay_document.change": N_("Stay document changed"),
    "stay_document.history": N_("Stay document's history read"),
    "stay_document.list": N_("Stay documents listed"),
    "stay_document.read": N_("Stay document read"),
    "token.create": N_("API token created"),
    "token.revoke": N_("API token revoked"),
    "user.create": N_("User created"),
    "user.disable": N_("User disabled"),
    "user.enable": N_("User enabled"),
    "user.list": N_("Users listed"),
    "user.reset_password": N_("Password reset"),
    "violation.record": N_("Violation recorded"),
    "violation.waive": N_("Violation waived"),
}

OUTCOMES: dict[str, str] = {
    "ok": N_("done"),
    "failed": N_("failed"),
    "denied": N_("refused"),
    "not_found": N_("not found"),
}


def add_actions(labels: Mapping[str, str]) -> None:
    """A package's audit actions and their labels (from its ``install(app)``)."""
    for action, label in labels.items():
        if ACTIONS.setdefault(action, label) != label:
            raise ValueError(f"the audit action {action} is labelled twice")
