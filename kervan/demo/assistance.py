"""Assistance in the demos: a few hundred realistic cases on ``kervan demo``'s node, and the
federation step of ``kervan demo --federation`` — a case referred from KAZ to UZB, accepted,
worked on both sides (a concurrent change of one field shown as a conflict and resolved), and
closed. The step goes through the nodes' own APIs, signed in as their officers."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kervan.accounts.roles import system_principal
from kervan.assistance import service
from kervan.assistance.models import NEEDS, Case, CaseStatus
from kervan.assistance.schemas import AidIn, CaseCreate, ConsentIn
from kervan.assistance.sla import DEFAULT_SLA
from kervan.db.base import utcnow
from kervan.demo.waiting import until

# Names as the people write them, by nationality (home states of the council).
_NAMES = {
    "UZB": ["Karimov Jasur", "Tursunova Dilnoza", "Rakhimov Bekzod", "Yusupova Malika"],
    "KGZ": ["Asanov Nurlan", "Toktosunova Aizada", "Bekmuratov Ulan", "Sydykova Gulnara"],
    "TUR": ["Yılmaz Mehmet", "Kaya Ayşe", "Demir Emre", "Şahin Elif"],
    "AZE": ["Məmmədov Rəşad", "Əliyeva Günay", "Hüseynov Elvin", "Quliyeva Nərmin"],
    "KAZ": ["Nurlanov Askar", "Seitkali Aigerim", "Omarov Daniyar", "Zhaksylykova Aruzhan"],
    "HUN": ["Nagy Péter", "Kovács Anna", "Tóth Gábor", "Szabó Eszter"],
}
_CITIES = {
    "KAZ": [("Almaty", "Almaty"), ("Astana", "Astana"), ("Turkistan", "Shymkent")],
    "UZB": [("Tashkent", "Tashkent"), ("Samarkand", "Samarkand")],
    "KGZ": [("Chüy", "Bishkek"), ("Osh", "Osh")],
    "TUR": [("İstanbul", "İstanbul"), ("Ankara", "Ankara")],
    "AZE": [("Absheron", "Baku")],
    "HUN": [("Pest", "Budapest")],
}
_STORIES = [
    ("wages_or_job", "The construction site closed in quarantine; two months of wages unpaid."),
    ("return_travel", "Flights cancelled; ticket expired, no money for a new one."),
    ("documents", "Passport lost at the market; needs a return certificate."),
    ("medical", "Hospitalised with pneumonia; no insurance."),
    ("shelter", "Evicted from a dormitory when the factory stopped."),
    ("legal", "Employer keeps the passport and refuses to pay."),
    ("money_from_home", "Family cannot send money since the banks stopped transfers."),
    ("detention", "Held for overstay although the measure extended the stay."),
]


def seed_cases(session: Session, state: str, count: int = 300, seed: int = 15) -> int:
    """``count`` cases in every status, of nationals of the other member states, opened over
    the last weeks; some with consent, notes and aid. Leaves a node that has cases alone."""
    if session.scalar(select(func.count()).select_from(Case)):
        return 0
    rng = random.Random(seed)
    actor = system_principal(state, "demo")
    homes = [s for s in _NAMES if s != state]
    now = utcnow()
    for _ in range(count):
        home = rng.choice(homes)
        need, story = rng.choice(_STORIES)
        needs = sorted({need, *rng.sample(NEEDS, k=rng.choice((0, 0, 1, 2)))})
        region, city = rng.choice(_CITIES.get(state, [("", "")]))
        opened = now - dt.timedelta(hours=rng.uniform(1, 24 * 40))
        data = CaseCreate(
            full_name=rng.choice(_NAMES[home]),
            nationality=home,
            birth_date=dt.date(rng.randint(1960, 2006), rng.randint(1, 12), rng.randint(1, 28)),
            document_number=f"{home[:2]}{rng.randint(1_000_000, 9_999_999)}",
            requester=rng.choice(("person", "consulate", "employer", "ngo", "person")),
            needs=needs,
            vulnerabilities=rng.sample(
                ["minor", "pregnancy", "elderly", "chronic_illness"], k=rng.choice((0, 0, 0, 1))
            ),
            urgency=rng.choice(("critical", "high", "normal", "normal", "normal", "low")),
            region=region,
            city=city,
            language={"UZB": "uz", "KGZ": "ky", "TUR": "tr", "AZE": "az", "KAZ": "kk", "HUN": "hu"}[
                home
            ],
            contact=f"+{rng.randint(70000000000, 99899999999)}",
            description=story,
            consent=ConsentIn(given_by="the person", how="in_person")
            if rng.random() < 0.7
            else None,
        )
        case, _ = service.create_case(
            session, actor, data, node_state=state, sla=DEFAULT_SLA, now=opened
        )
        case.status = rng.choice(
            [CaseStatus.NEW] * 3
            + [CaseStatus.TRIAGED] * 3
            + [CaseStatus.IN_PROGRESS] * 5
            + [CaseStatus.RESOLVED, CaseStatus.CLOSED]
        )
        if case.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
            case.resolved_at = opened + dt.timedelta(hours=rng.uniform(2, 200))
            case.closed_at = case.resolved_at if case.status is CaseStatus.CLOSED else None
        case.team = rng.choice((None, "almaty", "astana", "helpline"))
        if case.status is CaseStatus.IN_PROGRESS and rng.random() < 0.6:
            service.add_note(
                session, actor, case.id, "Called the person; documents checked.", opened
            )
            if rng.random() < 0.5:
                aid = AidIn(kind="food", quantity=rng.randint(1, 5), description="food parcels")
                service.add_aid(session, actor, case.id, aid, opened)
        session.flush()
    return count


# ----------------------------------------------------------------------------------------------
# The federation step


WAIT_SECONDS = 60.0


def _until(check: Any, what: str) -> Any:
    return until(check, what, WAIT_SECONDS)


def referral_step(kaz: Any, uzb: Any) -> dict[str, Any]:
    """KAZ refers an Uzbek worker's case to UZB; UZB's consul accepts it; both change the
    contact at once (a conflict on both nodes), UZB's consul resolves it; KAZ records aid, UZB
    closes. Returns the case as KAZ sees it at the end."""
    from kervan.demo.federation import NodeSession

    with NodeSession(kaz, "migration.kaz") as officer, NodeSession(uzb, "consular.uzb") as consul:
        case = officer.post(
            "/api/v1/cases",
            {
                "full_name": "Karimov Jasur",
                "nationality": "UZB",
                "document_number": "FA1234567",
                "requester": "employer",
                "needs": ["wages_or_job", "return_travel"],
                "urgency": "high",
                "region": "Almaty",
                "city": "Almaty",
                "language": "uz",
                "contact": "+7 701 555 12 34",
                "description": "Site closed by quarantine; wages unpaid; wants to go home.",
                "consent": {"given_by": "Karimov Jasur", "how": "in_person"},
            },
        )
        path = f"/api/v1/cases/{case['id']}"
        officer.post(f"{path}/referral?reason=labour%20migrant%20without%20wages")
        _until(lambda: consul.get_raw(path).status_code == 200, "UZB receiving the referral")
        consul.post(f"{path}/referral/decision", {"accept": True, "reason": ""})
        _until(lambda: officer.get(path)["case"]["referral"] == "accepted", "KAZ hearing of it")
        officer.post(
            f"{path}/changes",
            {"changes": [{"field": "contact", "value": "+7 701 000 11 22", "based_on": []}]},
        )
        consul.post(
            f"{path}/changes",
            {"changes": [{"field": "contact", "value": "+998 90 123 45 67", "based_on": []}]},
        )
        _until(lambda: consul.get(path)["conflicts"], "UZB seeing the conflict")
        consul.post(f"{path}/conflicts/contact", {"value": "+998 90 123 45 67"})
        officer.post(f"{path}/aid", {"kind": "legal", "description": "wage claim filed"})
        consul.post(f"{path}/notes", {"text": "Ticket Almaty–Tashkent booked by the consulate."})
        consul.post(f"{path}/status", {"status": "resolved"})
        consul.post(f"{path}/status", {"status": "closed"})
        return _until(
            lambda: (
                (r := officer.get(path))["case"]["partner_closed_at"] and not r["conflicts"] and r
            ),
            "KAZ hearing the case closed",
        )


def describe(result: dict[str, Any], kaz_url: str) -> str:
    case = result["case"]
    return (
        f"\nKAZ → UZB: case {case['reference']} referred by migration.kaz, accepted by "
        "consular.uzb; both changed the contact at once, the conflict was shown on both nodes "
        f"and resolved to {case['contact']}; aid and notes merged ({len(result['aid'])} aid, "
        f"{len(result['notes'])} notes); closed by UZB. Open {kaz_url}/cases/{case['id']}."
    )
