"""The diplomacy step of ``kervan demo --federation``: UZB's consul (accredited in KAZ) asks TUR
for Istanbul's transit hall through UZB's node; TUR's border officer, the authority for IST,
grants it; the pass comes back to UZB and is saved as text, PNG and PDF in the demo folder.
Everything goes through the nodes' own APIs, signed in as those officers; only the airport
assignment is written to TUR's database directly, as ``kervan airports assign`` does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kervan.accounts.models import User
from kervan.db.base import utcnow
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.demo.waiting import until
from kervan.diplomacy.models import AirportAssignment
from kervan.uow import unit_of_work

CONSUL_CARD = "KZ-DC-004512"
WAIT_SECONDS = 60.0


def _iso(at: dt.datetime) -> str:
    return at.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def assign_airport(database_url: str, username: str, airport: str) -> None:
    engine = make_engine(database_url)
    try:
        with unit_of_work(make_sessionmaker(engine)) as session:
            user = session.scalars(select(User).where(User.username == username)).one()
            if session.get(AirportAssignment, (user.id, airport)) is None:
                session.add(AirportAssignment(user_id=user.id, airport=airport))
    finally:
        engine.dispose()


def _until(check: Any, what: str) -> Any:
    return until(check, what, WAIT_SECONDS)


def airport_access_step(uzb: Any, tur: Any, folder: Path) -> dict[str, Any]:
    """Run the step on running demo nodes (``DemoNode``s); returns the request and the pass."""
    from kervan.demo.federation import NodeSession

    assign_airport(tur.settings.database_url, "border.tur", "IST")
    now = utcnow()
    with NodeSession(uzb, "migration.uzb") as officer:
        accreditation = officer.post(
            "/api/v1/accreditations",
            {
                "home_state": "UZB",
                "accredited_in": "KAZ",
                "card_number": CONSUL_CARD,
                "primary_identifier": "ALIMOV",
                "secondary_identifier": "BOBUR",
                "name_as_written": "Алимов Бобур",
                "function": "consul",
                "mission": "Consulate General of Uzbekistan in Almaty",
                "valid_from": (now - dt.timedelta(days=200)).date().isoformat(),
                "valid_until": (now + dt.timedelta(days=500)).date().isoformat(),
            },
        )
    with NodeSession(uzb, "consular.uzb") as consul, NodeSession(tur, "border.tur") as border:
        request = consul.post(
            "/api/v1/airport-access",
            {
                "accreditation_id": accreditation["id"],
                "airport": "IST",
                "terminal": "T1",
                "zones": ["transit"],
                "window_start": _iso(now - dt.timedelta(minutes=5)),
                "window_end": _iso(now + dt.timedelta(days=2)),
                "purpose": "Repatriation flight HY-278 to TAS: Uzbek nationals in the transit hall",
            },
        )
        path = f"/api/v1/airport-access/{request['id']}"
        _until(lambda: border.get_raw(path).status_code == 200, "TUR receiving the request")
        border.post(f"{path}/grant", {"conditions": "escorted by airport staff"})
        granted = _until(
            lambda: (r := consul.get(path))["status"] == "granted" and r, "UZB receiving the pass"
        )
        issued = granted["passes"][0]
        (folder / "diplomat-pass.txt").write_text(issued["text"] + "\n")
        (folder / "diplomat-pass.png").write_bytes(
            consul.get_raw(f"/api/v1/passes/{issued['id']}/qr.png").content
        )
        (folder / "diplomat-pass.pdf").write_bytes(
            consul.get_raw(f"/api/v1/passes/{issued['id']}/pass.pdf").content
        )
    return {"request": granted, "pass": issued}


def describe(result: dict[str, Any], tur_url: str, folder: Path) -> str:
    issued = result["pass"]
    return (
        f"\nUZB → TUR: consular.uzb asked for Istanbul's transit hall; border.tur granted it; "
        f"pass {issued['id']} is back on UZB's node ({folder}/diplomat-pass.png, .pdf, .txt).\n"
        f"  Verify it offline: open {tur_url}/verify, paste the text of diplomat-pass.txt "
        "(or show the PNG to the camera): green.\n"
        f"  Revoke it as border.tur on {tur_url}/airport-access; after the verifier's next "
        "sync (Update now) the same pass shows red: revoked."
    )
