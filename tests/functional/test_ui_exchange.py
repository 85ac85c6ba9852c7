"""The exchange in the officer UI: our nationals abroad with the proof of each envelope, asking
a host state, and the dead letters.

UZB — the consulate's node, whose pages are under test — runs on each test database; KAZ, the
host state, on a SQLite file of its own. They are in-process apps joined by a loopback line
(the same HTTP routes a real federation uses); nothing of ours is mocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Role
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.exchange.keys import SigningKey
from kervan.exchange.models import ExchangeMessage, OutboxMessage, TrustListVersion
from kervan.exchange.views import nationals
from kervan.exchange.worker import Worker
from kervan.uow import unit_of_work
from tests.functional.exchange_support import (
    Loopback,
    exchange_node,
    federation_fixture,  # noqa: F401 - the fed fixture
    node_settings,
    sqlite_node,
    token_client,
)
from tests.functional.register_data import document_body, person_body
from tests.functional.ui_support import (
    UiClientFactory,
    csrf_from,
    post_form,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)
from tests.unit.exchange.support import ENDPOINTS

Federation = tuple[dict[str, Any], dict[str, SigningKey], Any]

QUESTION = {
    "host_state": "KAZ",
    "travel_document_number": "FA1234567",
    "primary_identifier": "",
    "birth_year": "",
    "purpose": "consular assistance after the flood",
    "legal_basis": "Vienna Convention on Consular Relations, art. 5",
}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return node_settings("UZB", database_url, tmp_path / "keys")


@pytest.fixture
def app(settings: Settings, fed: Federation) -> Iterator[FastAPI]:
    uzb = exchange_node(settings, fed[0])
    yield uzb
    uzb.state.engine.dispose()


@pytest.fixture
def kaz(tmp_path: Path, sqlite_template: Path, fed: Federation) -> Iterator[FastAPI]:
    node = sqlite_node("KAZ", tmp_path, sqlite_template, fed[0])
    yield node
    node.state.engine.dispose()


@pytest.fixture
def line(app: FastAPI, kaz: FastAPI) -> Iterator[Loopback]:
    with TestClient(app) as uzb_client, TestClient(kaz) as kaz_client:
        loopback = Loopback({ENDPOINTS["UZB"]: uzb_client, ENDPOINTS["KAZ"]: kaz_client})
        app.state.exchange_query_transport = loopback
        yield loopback


UZBEKS = [
    ("Раҳимов", "Ўткир", "FA1234567", "WK12345678"),
    ("Karimova", "Nodira", "FB7654321", "WK22222222"),
    ("Yusupov", "Bakhtiyor", "FC1111111", "WK33333333"),
]


def _register(
    officer: TestClient, primary: str, secondary: str, passport: str, **doc: Any
) -> tuple[str, str]:
    """A person with one stay document, through KAZ's API; their ids."""
    nationality = doc.pop("nationality", "UZB")
    person = officer.post(
        "/api/v1/persons",
        json=person_body(
            primary_name=primary,
            secondary_name=secondary,
            nationality=nationality,
            travel_documents=[
                {"number": passport, "issuing_state": nationality, "expiry_date": "2031-01-01"}
            ],
        ),
    )
    assert person.status_code == 201, person.text
    document = officer.post(
        f"/api/v1/persons/{person.json()['id']}/stay-documents", json=document_body(**doc)
    )
    assert document.status_code == 201, document.text
    return person.json()["id"], document.json()["id"]


def _report_uzbeks(kaz: FastAPI, line: Loopback, fed: Federation) -> dict[str, str]:
    """KAZ registers three Uzbeks (revoking one's permit, waiving another's overstay) and a Turk,
    and its worker delivers what UZB has a right to: the Uzbeks' documents and the waiver,
    signed, with UZB's signed receipts."""
    officer = token_client(kaz, Role.MIGRATION_OFFICER, "KAZ", "kaz.officer")
    registered = {
        number: _register(officer, primary, secondary, passport, number=number)
        for primary, secondary, passport, number in UZBEKS
    }
    documents = {number: ids[1] for number, ids in registered.items()}
    overstay = officer.post(
        f"/api/v1/persons/{registered['WK12345678'][0]}/violations",
        json={"kind": "overstay", "period_start": "2026-01-10", "period_end": "2026-01-20"},
    )
    assert overstay.status_code == 201, overstay.text
    waived = officer.post(
        f"/api/v1/violations/{overstay.json()['id']}/waive",
        json={"reason": "humanitarian grounds"},
    )
    assert waived.status_code == 200, waived.text
    revoked = officer.post(
        f"/api/v1/stay-documents/{documents['WK22222222']}/revoke",
        json={"reason": "the employer ended the contract"},
    )
    assert revoked.status_code == 200, revoked.text
    _register(officer, "Yılmaz", "Ahmet", "U1234567", number="WK44444444", nationality="TUR")
    worker = Worker(
        kaz.state.settings, kaz.state.session_factory, fed[1]["KAZ"], line, jitter=lambda: 0.0
    )
    assert worker.drain(max_rounds=5).delivered == 5  # three issued, one revoked, one waived
    return documents


def _rows(html: str) -> int:
    return html.count('id="national-')


def _audited(sessions: sessionmaker[Session], action: str) -> list[AuditEntry]:
    with sessions() as session:
        found = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
        return list(session.scalars(found))  # in the order written: a table has none of its own


# ----------------------------------------------------------------------------------------------
# Our nationals abroad


def test_consul_searches_nationals_abroad_opens_one_and_sees_the_proof(
    app: FastAPI, kaz: FastAPI, line: Loopback, fed: Federation, ui_as: UiClientFactory
) -> None:
    documents = _report_uzbeks(kaz, line, fed)
    consul = ui_as(Role.CONSULAR_OFFICER, state="UZB")
    listing = consul.get("/nationals-abroad")
    assert listing.status_code == 200, listing.text
    assert 'href="/nationals-abroad" aria-current="page"' in listing.text
    assert _rows(listing.text) == 3 and "YILMAZ" not in listing.text
    by_name = consul.get("/nationals-abroad", params={"q": "Раҳимов"})  # Cyrillic, stored Latin
    assert _rows(by_name.text) == 1 and "RAHIMOV UTKIR" in by_name.text
    by_stay_number = consul.get("/nationals-abroad", params={"q": "wk22222222"})
    assert _rows(by_stay_number.text) == 1 and "KARIMOVA" in by_stay_number.text
    by_passport = consul.get("/nationals-abroad", params={"q": "FC1111111"})
    assert _rows(by_passport.text) == 1 and "YUSUPOV" in by_passport.text
    revoked = consul.get("/nationals-abroad", params={"status": "revoked"})
    assert _rows(revoked.text) == 1 and "KARIMOVA" in revoked.text and "Revoked" in revoked.text
    elsewhere = consul.get("/nationals-abroad", params={"host_state": "TUR"})
    assert _rows(elsewhere.text) == 0
    assert "No document of a national abroad matches this search." in elsewhere.text
    typed = consul.get("/nationals-abroad", params={"q": "Kar"}, headers={"HX-Request": "true"})
    assert _rows(typed.text) == 1 and "<html" not in typed.text  # only the results, for htmx

    detail_url = f"/nationals-abroad/KAZ/{documents['WK12345678']}"
    detail = consul.get(detail_url)
    assert detail.status_code == 200, detail.text
    for shown in ("RAHIMOV&lt;&lt;UTKIR", "FA1234567", "WK12345678", "Work permit", "Issued"):
        assert shown in detail.text, shown
    waiver = detail.text.split('<tr id="waiver-')[1].split("</tr>")[0]
    assert "Overstay" in waiver and "humanitarian grounds" in waiver
    assert f'href="{detail_url}/evidence"' in detail.text
    proof = consul.get(f"{detail_url}/evidence")
    assert proof.status_code == 200, proof.text
    assert "Proven: the envelope is authentic" in proof.text
    assert proof.text.count('class="check-ok"') == 5 and 'class="check-failed"' not in proof.text
    assert "Signed by KAZ:" in proof.text and "Received by this node" in proof.text

    searches = _audited(app.state.session_factory, "nationals_abroad.search")
    assert [e.details["query"] for e in searches][:3] == ["", "Раҳимов", "wk22222222"]
    reads = _audited(app.state.session_factory, "nationals_abroad.read")
    assert len(reads) == 2 and {e.record_id for e in reads} == {documents["WK12345678"]}


def test_the_list_pages_by_keyset_and_speaks_the_consuls_language(
    app: FastAPI,
    kaz: FastAPI,
    line: Loopback,
    fed: Federation,
    ui_as: UiClientFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _report_uzbeks(kaz, line, fed)
    monkeypatch.setattr(nationals, "DEFAULT_PAGE_SIZE", 2)
    consul = ui_as(Role.CONSULAR_OFFICER, state="UZB", locale="ru")
    first = consul.get("/nationals-abroad")
    assert "Наши граждане за рубежом" in first.text and "Следующая страница" in first.text
    assert _rows(first.text) == 2 and "KARIMOVA" in first.text and "RAHIMOV" in first.text
    next_link = first.text.split('<p class="pager"><a href="')[1].split('"')[0]
    second = consul.get(next_link.replace("&amp;", "&"))
    assert _rows(second.text) == 1 and "YUSUPOV" in second.text
    assert 'class="pager"' not in second.text


def test_only_this_states_consuls_see_nationals_abroad(
    app: FastAPI, kaz: FastAPI, line: Loopback, fed: Federation, ui_as: UiClientFactory
) -> None:
    documents = _report_uzbeks(kaz, line, fed)
    detail_url = f"/nationals-abroad/KAZ/{documents['WK12345678']}"
    turkish_consul = ui_as(Role.CONSULAR_OFFICER, state="TUR")
    home = turkish_consul.get("/")
    assert "/nationals-abroad" not in home.text and "/peer-query" not in home.text
    assert _rows(turkish_consul.get("/nationals-abroad").text) == 0
    assert turkish_consul.get(detail_url).status_code == 404
    assert turkish_consul.get(f"{detail_url}/evidence").status_code == 404
    elsewhere = turkish_consul.get("/peer-query")
    assert elsewhere.status_code == 200 and 'action="/peer-query"' not in elsewhere.text
    assert "Ask through the node of your own state." in elsewhere.text
    assert _ask(turkish_consul).status_code == 403
    officer = ui_as(Role.MIGRATION_OFFICER, state="UZB")
    refused = officer.get("/nationals-abroad")
    assert refused.status_code == 403 and "You are not allowed to do this" in refused.text
    assert officer.get(detail_url).status_code == 403
    assert officer.get("/peer-query").status_code == 403
    assert officer.get("/exchange/dead-letters").status_code == 403
    consul = ui_as(Role.CONSULAR_OFFICER, state="UZB")
    menu = consul.get("/").text
    assert 'href="/nationals-abroad"' in menu and 'href="/peer-query"' in menu
    assert 'href="/exchange/dead-letters"' not in menu
    assert consul.get("/exchange/dead-letters").status_code == 403
    with app.state.session_factory() as session:
        envelope_id = session.scalars(select(ExchangeMessage.id)).first()
    assert consul.get(f"/exchange/messages/{envelope_id}/evidence").status_code == 403
    admin = ui_as(Role.ADMIN, state="UZB")
    admin_menu = admin.get("/").text
    assert 'href="/exchange/dead-letters"' in admin_menu and "/nationals-abroad" not in admin_menu
    assert admin.get(f"/exchange/messages/{envelope_id}/evidence").status_code == 200
    proofs = _audited(app.state.session_factory, "exchange.evidence.read")
    assert [e.record_id for e in proofs] == [str(envelope_id)]
    denied = _audited(app.state.session_factory, "access.denied")
    assert {e.details["path"] for e in denied} >= {"/nationals-abroad", "/peer-query"}


# ----------------------------------------------------------------------------------------------
# Asking a host state


def _ask(consul: TestClient, **changes: str) -> Any:
    return post_form(consul, "/peer-query", "/peer-query", {**QUESTION, **changes})


def test_consul_asks_the_host_state_through_the_node_and_sees_the_answer(
    app: FastAPI, kaz: FastAPI, line: Loopback, ui_as: UiClientFactory
) -> None:
    officer = token_client(kaz, Role.MIGRATION_OFFICER, "KAZ", "kaz.officer")
    _register(officer, "Раҳимов", "Ўткир", "FA1234567", number="WK12345678")
    kaz.state.settings = kaz.state.settings.model_copy(update={"exchange_query_rate_per_minute": 2})
    consul = ui_as(Role.CONSULAR_OFFICER, state="UZB")
    form = consul.get("/peer-query")
    assert form.status_code == 200
    assert '<option value="KAZ"' in form.text and '<option value="TUR"' in form.text
    assert '<option value="UZB"' not in form.text and '<option value="OTS"' not in form.text

    answered = _ask(consul)
    assert answered.status_code == 200, answered.text
    assert "RAHIMOV&lt;&lt;UTKIR" in answered.text and "WK12345678" in answered.text
    assert "Current stay documents: 1" in answered.text and "Work permit" in answered.text
    unknown = _ask(consul, travel_document_number="ZZ0000000")
    assert unknown.status_code == 200
    assert "has no national of ours with the passport ZZ0000000" in unknown.text
    limited = _ask(consul)  # the third question within a minute
    assert limited.status_code == 502
    assert "answers only so many questions a minute" in limited.text
    silent = _ask(consul, host_state="TUR")  # on the trust list, not on the line
    assert silent.status_code == 502 and "did not answer" in silent.text
    invalid = _ask(consul, host_state="UZB", purpose="x", travel_document_number="?")
    assert invalid.status_code == 422
    for message in (
        "Choose a host state from the trust list.",
        "Give the passport number: 3 to 20 letters and digits.",
        "Write between 3 and 500 characters.",
    ):
        assert message in invalid.text, message
    no_token = consul.post("/peer-query", data=QUESTION)
    assert no_token.status_code == 403 and "The form has expired" in no_token.text

    asked = _audited(app.state.session_factory, "peer_query.ask")
    assert [e.outcome for e in asked] == ["ok", "ok", "failed", "failed"]
    assert asked[0].purpose == QUESTION["purpose"]
    with app.state.session_factory() as session:
        logged = session.scalars(select(ExchangeMessage.type)).all()
    assert sorted(logged) == ["query.request"] * 2 + ["query.response"] * 2
    assert len(_audited(kaz.state.session_factory, "peer_query.answer")) == 2


# ----------------------------------------------------------------------------------------------
# Dead letters


def test_admin_sees_dead_letters_per_peer_and_retries_one_or_all(
    app: FastAPI, kaz: FastAPI, line: Loopback, fed: Federation, ui_as: UiClientFactory
) -> None:
    officer = token_client(app, Role.MIGRATION_OFFICER, "UZB", "uzb.officer")
    for passport, number in (("N1111111", "WK55555555"), ("N2222222", "WK66666666")):
        _register(officer, "Ахметов", "Ерлан", passport, number=number, nationality="KAZ")
    with unit_of_work(app.state.session_factory) as session:
        session.execute(  # made in 2020: outside KAZ's replay window, refused with a reason
            update(OutboxMessage).values(created_at=utcnow().replace(year=2020))
        )
    worker = Worker(
        app.state.settings, app.state.session_factory, fed[1]["UZB"], line, jitter=lambda: 0.0
    )
    assert worker.drain(max_rounds=3).rejected == 2
    admin = ui_as(Role.ADMIN, state="UZB")
    page = admin.get("/exchange/dead-letters")
    assert page.status_code == 200, page.text
    assert 'id="dead-KAZ"' in page.text and page.text.count('id="letter-') == 2
    assert "Refused by the peer" in page.text and "too-old" in page.text
    letter_id = page.text.split('id="letter-')[1].split('"')[0]
    proof = admin.get(f"/exchange/messages/{letter_id}/evidence")
    assert "Not proven" in proof.text and "Refused" in proof.text
    # Received and receipted, but refused: made "in 2020", before the key was valid.
    assert '<tr class="check-failed">\n    <td>The receipt accepts the envelope' in proof.text

    one = post_form(
        admin, "/exchange/dead-letters", "/exchange/dead-letters/retry", {"message_id": letter_id}
    )
    assert one.status_code == 303
    after = admin.get(one.headers["location"])
    assert "Messages queued again: 1." in after.text and after.text.count('id="letter-') == 1
    everyone = post_form(
        admin, "/exchange/dead-letters", "/exchange/dead-letters/retry", {"peer": "KAZ"}
    )
    assert admin.get(everyone.headers["location"]).text.count('id="letter-') == 0
    with app.state.session_factory() as session:
        assert set(session.scalars(select(OutboxMessage.status))) == {"pending"}
    retries = _audited(app.state.session_factory, "exchange.dead_letters.retry")
    assert [(e.details["count"], e.details["peer"]) for e in retries] == [(1, ""), (1, "KAZ")]
    nothing = post_form(admin, "/exchange/dead-letters", "/exchange/dead-letters/retry", {})
    assert nothing.status_code == 422
    consul = ui_as(Role.CONSULAR_OFFICER, state="UZB")
    token = csrf_from(consul.get("/peer-query").text)
    refused = consul.post("/exchange/dead-letters/retry", data={"peer": "KAZ", "csrf_token": token})
    assert refused.status_code == 403


def test_a_node_without_a_trust_list_says_so_instead_of_failing(
    app: FastAPI, ui_as: UiClientFactory
) -> None:
    with unit_of_work(app.state.session_factory) as session:
        session.execute(delete(TrustListVersion))
    consul = ui_as(Role.CONSULAR_OFFICER, state="UZB")
    form = consul.get("/peer-query")
    assert form.status_code == 200 and "This node has no trust list yet" in form.text
    asked = _ask(consul)
    assert asked.status_code == 422 and "Choose a host state from the trust list." in asked.text
    assert _rows(consul.get("/nationals-abroad").text) == 0
    admin = ui_as(Role.ADMIN, state="UZB")
    assert "No dead letters" in admin.get("/exchange/dead-letters").text
