"""The repatriation step of ``kervan demo --federation``: UZB brings its nationals home from
KAZ and TUR. A few thousand return requests are loaded into UZB's node (as a consulate's lists
would be imported), among them UZB nationals that KAZ's register holds; UZB's consul schedules
five legs through UZB's API, KAZ and TUR agree theirs, the consul allocates the seats, confirms
the first Almaty leg and sends its manifest, and KAZ's exit check shows the agreed leg for one
of its passengers. The manifests are saved in the demo folder."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from kervan.db.base import utcnow
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.db.ids import uuid7
from kervan.demo.waiting import until
from kervan.registry.models import Person, TravelDocument
from kervan.repatriation.models import (
    Channel,
    DocumentStatus,
    RequestStatus,
    ReturnRequest,
    Traveller,
)
from kervan.repatriation.priority import RANK, PriorityReason
from kervan.uow import unit_of_work
from kervan.web.public_intake import new_receipt

REQUESTS = 3000
WAIT_SECONDS = 90.0
API = "/api/v1/repatriation"
LEGS = (  # host, mode, operator, number, origin, origin name, destination, name, day, seats
    ("KAZ", "flight", "Uzbekistan Airways", "HY 2712", "ALA", "Almaty", "TAS", "Tashkent", 1, 150),
    ("KAZ", "train", "Uzbekistan Railways", "T 64", "CIT", "Shymkent", "TAS", "Tashkent", 2, 300),
    ("KAZ", "bus", "Saryarka Trans", "B 12", "ALA", "Almaty", "SKD", "Samarkand", 3, 45),
    ("TUR", "flight", "Uzbekistan Airways", "HY 278", "IST", "Istanbul", "TAS", "Tashkent", 2, 250),
    ("TUR", "flight", "Turkish Airlines", "TK 3760", "IST", "Istanbul", "SKD", "Samarkand", 4, 180),
)  # fmt: skip


def _until(check: Any, what: str) -> Any:
    return until(check, what, WAIT_SECONDS)


def kaz_passengers(kaz_url: str, count: int = 20) -> list[dict[str, Any]]:
    """UZB nationals in KAZ's register with a UZB passport: the first passengers of HY 2712."""
    engine = make_engine(kaz_url)
    try:
        with make_sessionmaker(engine)() as session:
            rows = session.execute(
                select(Person, TravelDocument.number)
                .join(TravelDocument, TravelDocument.person_id == Person.id)
                .where(Person.nationality == "UZB", TravelDocument.issuing_state == "UZB")
                .order_by(Person.id)
                .limit(count)
            ).all()
            return [
                {
                    "primary_identifier": p.primary_identifier,
                    "secondary_identifier": p.secondary_identifier,
                    "birth_date": dt.date(p.birth_year, p.birth_month or 1, p.birth_day or 1),
                    "sex": p.sex.value if p.sex.value in "MF" else "X",
                    "passport_number": number,
                }
                for p, number in rows
            ]
    finally:
        engine.dispose()


def load_requests(uzb_url: str, known: list[dict[str, Any]], seed: int = 2020) -> int:
    """The consulates' lists: ``known`` first (medical priority, Almaty → Tashkent), then
    generated requests from Almaty, Shymkent and Istanbul, some with families."""
    r = random.Random(seed)
    today = utcnow().date()
    requests: list[dict[str, Any]] = []
    travellers: list[dict[str, Any]] = []

    def add(origin: str, host: str, destination: str, level_reason: PriorityReason | None,
            group: list[dict[str, Any]], earliest: dt.date) -> None:  # fmt: skip
        request_id = uuid7()
        reasons = [level_reason] if level_reason else []
        requests.append(
            {
                "id": request_id,
                "reference": new_receipt("R").reference,
                "home_state": "UZB",
                "host_state": host,
                "origin": origin,
                "destination": destination,
                "destination_city": "",
                "earliest_date": earliest,
                "document_status": DocumentStatus.VALID_PASSPORT,
                "priority_reasons": ",".join(x.value for x in reasons),
                "level": max((RANK[x] for x in reasons), default=0),
                "size": len(group),
                "contact": "",
                "consent_at": utcnow(),
                "channel": Channel.CONSUL,
                "status": RequestStatus.WAITING,
                "pinned": False,
                "registered_at": utcnow(),
                "updated_at": utcnow(),
            }
        )
        for position, person in enumerate(group):
            travellers.append(
                {"request_id": request_id, "position": position, "nationality": "UZB",
                 "passport_state": "UZB", "relationship_to_applicant":
                 "self" if position == 0 else "family", **person}
            )  # fmt: skip

    for person in known:
        add("ALA", "KAZ", "TAS", PriorityReason.MEDICAL, [person], today)
    names = ("KARIMOV", "RASHIDOVA", "YUSUPOV", "TOSHEVA", "NAZAROV", "ERGASHEVA", "SAIDOV")
    given = ("ALISHER", "DILNOZA", "BOBUR", "MALIKA", "JASUR", "NODIRA", "SARDOR")
    corridors = (("ALA", "KAZ", "TAS"), ("CIT", "KAZ", "TAS"), ("ALA", "KAZ", "SKD"),
                 ("IST", "TUR", "TAS"), ("IST", "TUR", "SKD"))  # fmt: skip
    reasons = [None, None, None, *PriorityReason]
    for i in range(REQUESTS - len(known)):
        origin, host, destination = r.choice(corridors)
        size = r.choice((1, 1, 1, 1, 2, 3, 4))
        family = r.choice(names)
        group = [
            {
                "primary_identifier": family,
                "secondary_identifier": r.choice(given),
                "birth_date": dt.date(r.randint(1950, 2020), r.randint(1, 12), r.randint(1, 28)),
                "sex": r.choice("MF"),
                "passport_number": f"FD{3000000 + i * 10 + k}",
            }
            for k in range(size)
        ]
        add(
            origin,
            host,
            destination,
            r.choice(reasons),
            group,
            today + dt.timedelta(r.randint(0, 4)),
        )
    engine = make_engine(uzb_url)
    try:
        with unit_of_work(make_sessionmaker(engine)) as session:
            session.execute(insert(ReturnRequest), requests)
            session.execute(insert(Traveller), travellers)
    finally:
        engine.dispose()
    return len(requests)


def _leg_body(row: tuple[Any, ...], now: dt.datetime) -> dict[str, Any]:
    host, mode, operator, number, origin, origin_name, destination, name, day, seats = row
    departs = (now + dt.timedelta(days=day)).replace(hour=9, minute=30, second=0, microsecond=0)
    return {
        "host_state": host, "mode": mode, "operator": operator, "number": number,
        "origin": origin, "origin_name": origin_name, "destination": destination,
        "destination_name": name, "departs_at": departs.isoformat(),
        "arrives_at": (departs + dt.timedelta(hours=2)).isoformat(), "seats": seats,
        "held_seats": 4,
    }  # fmt: skip


def return_step(uzb: Any, kaz: Any, tur: Any, folder: Path) -> dict[str, Any]:
    """Run the step on running demo nodes (``DemoNode``s)."""
    from kervan.demo.federation import NodeSession

    known = kaz_passengers(kaz.settings.database_url)
    loaded = load_requests(uzb.settings.database_url, known)
    now = utcnow()
    hosts = {"KAZ": kaz, "TUR": tur}
    with NodeSession(uzb, "consular.uzb") as consul:
        legs = [consul.post(f"{API}/legs", _leg_body(row, now)) for row in LEGS]
        for leg in legs:
            node = hosts[leg["host_state"]]
            with NodeSession(node, f"migration.{node.state.lower()}") as officer:
                _until(
                    lambda leg=leg, officer=officer: any(
                        x["id"] == leg["id"] for x in officer.get(f"{API}/legs")
                    ),
                    f"{node.state} receiving {leg['label']}",
                )
                officer.post(f"{API}/legs/{leg['id']}/decision", {"agree": True})
        _until(
            lambda: all(x["status"] == "agreed" for x in consul.get(f"{API}/legs")),
            "UZB receiving the agreements",
        )
        summary = consul.post(f"{API}/allocation", {})
        first = legs[0]
        consul.post(f"{API}/legs/{first['id']}/confirm-seats", {})
        sent = consul.post(f"{API}/legs/{first['id']}/manifest/send", {})
        for fmt in ("pdf", "edi", "csv"):
            (folder / f"manifest-HY2712.{fmt}").write_bytes(
                consul.get_raw(f"{API}/legs/{first['id']}/manifest.{fmt}").content
            )
    with NodeSession(kaz, "border.kaz") as border:
        path = f"{API}/legs/{first['id']}/manifest.csv"
        _until(lambda: border.get_raw(path).text.count("\n") > 1, "KAZ receiving the manifest")
        check = border.post(
            "/api/v1/exit-check",
            {"passport_number": known[0]["passport_number"], "issuing_state": "UZB"},
        ) if known else {"notes": []}  # fmt: skip
    return {"requests": loaded, "summary": summary, "sent": sent, "check": check}


def describe(result: dict[str, Any], uzb_url: str, kaz_url: str, folder: Path) -> str:
    s = result["summary"]
    notes = result["check"].get("notes") or [{"message": "(no passenger of KAZ's register)"}]
    return (
        f"\nUZB ← KAZ, TUR: {result['requests']:,} return requests, five legs agreed by KAZ and "
        f"TUR; the allocation seated {s['people_seated']:,} people ({s['waiting']:,} requests "
        f"wait), each with its explanation ({uzb_url}/repatriation as consular.uzb).\n"
        f"  The manifest of HY 2712 ({result['sent']['passengers']} passengers) went to KAZ "
        f"({folder}/manifest-HY2712.pdf, .edi, .csv); KAZ's exit check says:\n"
        f"  {notes[0]['message']}\n"
        f"  Board a passenger as border.kaz: POST {kaz_url}{API}/legs/<id>/boarding with the MRZ."
    )
