"""The consulate's search of its nationals abroad, on both databases: documents arrive through
the real inbox (signed envelopes from the host states), and a consul finds a surname however
it is spelled - by its folded form, by its ICAO form as typed, or by its skeleton, ranked in
that order - and pages through the matches by keyset without losing or repeating one."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import Date, Integer, String, Uuid, column, insert, table, text

from kervan.accounts.roles import Principal, Role
from kervan.config import Settings
from kervan.db.base import UTCDateTime, utcnow
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.db.migrate import upgrade
from kervan.exchange import consular
from kervan.exchange.keys import SigningKey
from kervan.identity.names import fold
from tests.functional.conftest import ClientFactory
from tests.functional.exchange_support import (
    exchange_node,
    federation_fixture,  # noqa: F401 - the fed fixture
    node_settings,
)
from tests.unit.exchange.support import envelope, stay_body

INBOX = "/api/v1/exchange/inbox"
SEARCH = "/api/v1/exchange/nationals-abroad"
HOME = "UZB"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return node_settings(HOME, database_url, tmp_path / "keys")


@pytest.fixture
def app(settings: Settings, fed: tuple) -> Iterator[FastAPI]:
    app = exchange_node(settings, fed[0])
    yield app
    app.state.engine.dispose()


@pytest.fixture
def peer(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=True) as client:
        yield client


@pytest.fixture
def consul(client_as: ClientFactory) -> TestClient:
    return client_as(Role.CONSULAR_OFFICER, state=HOME)


class Host:
    """Host states reporting stay documents of our nationals through the inbox."""

    def __init__(self, peer: TestClient, signers: dict[str, SigningKey]):
        self.peer, self.signers, self.serial = peer, signers, 0

    def report(self, *surnames: str, host: str = "KAZ") -> dict[str, uuid.UUID]:
        """One envelope per surname, one batch; the document ids by surname."""
        documents: dict[str, uuid.UUID] = {}
        envelopes = []
        for surname in surnames:
            self.serial += 1
            body = stay_body(nationality=HOME, host=host, document_id=uuid.uuid4())
            body["person"]["primary_identifier"] = surname
            body["person"]["travel_document_number"] = f"FA{self.serial:07d}"
            body["documents"][0]["number"] = f"WK{self.serial:08d}"
            documents[surname] = uuid.UUID(body["documents"][0]["id"])
            envelopes.append(envelope(self.signers[host], to=HOME, body=body))
        response = self.peer.post(INBOX, json={"envelopes": envelopes})
        assert response.status_code == 200, response.text
        for receipt in response.json()["receipts"]:
            payload = receipt.split(".")[1]
            decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            assert decoded["status"] == "accepted", decoded
        return documents


@pytest.fixture
def hosts(peer: TestClient, fed: tuple) -> Host:
    return Host(peer, fed[1])


def _search(consul: TestClient, query: str, **params: Any) -> list[dict[str, Any]]:
    response = consul.get(SEARCH, params={"q": query, "limit": 500, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _names(consul: TestClient, query: str, **params: Any) -> list[str]:
    return [i["primary_identifier"] for i in _search(consul, query, **params)]


def test_a_surname_is_found_however_it_is_spelled(hosts: Host, consul: TestClient) -> None:
    hosts.report("RAHIMOV", "RAKHIMOV", "RAKHMATOV", "RASULOV", "MAMMADOV", "KARIMOV", "ALIEV")
    hosts.report("RAHIMOVA", "ALIYEV", host="TUR")

    # The Russian spelling finds the Uzbek and the ICAO one (and the feminine form).
    assert sorted(_names(consul, "Рахимов")) == ["RAHIMOV", "RAHIMOVA", "RAKHIMOV"]
    assert sorted(_names(consul, "rahimov")) == ["RAHIMOV", "RAHIMOVA", "RAKHIMOV"]
    assert sorted(_names(consul, "Raximov")) == ["RAHIMOV", "RAHIMOVA", "RAKHIMOV"]
    # Mamedov is not MAMMADOV letter for letter (E against A): the skeleton finds it.
    assert _names(consul, "Мамедов") == ["MAMMADOV"]
    assert _names(consul, "Memmedov") == ["MAMMADOV"]
    # A prefix, in either script.
    expected = ["RAHIMOV", "RAHIMOVA", "RAKHIMOV", "RAKHMATOV"]
    assert sorted(_names(consul, "Рах")) == expected
    assert sorted(_names(consul, "Rakh")) == expected
    # A prefix ending inside a spelling that fold merges still finds what starts with it.
    assert sorted(_names(consul, "Rak")) == ["RAKHIMOV", "RAKHMATOV"]
    assert sorted(_names(consul, "Али")) == ["ALIEV", "ALIYEV"]
    assert sorted(_names(consul, "Алиев")) == ["ALIEV", "ALIYEV"]
    # Unrelated names and letters are not found.
    assert _names(consul, "Петров") == []
    assert _names(consul, "Rahmon") == []
    assert _names(consul, "Ra", host_state="TUR") == ["RAHIMOVA"]
    assert _names(consul, "Ωμέγα") == []
    # Numbers still match exactly, in any letter case; a number is not a name prefix.
    by_passport = _search(consul, "fa0000005")
    assert [i["primary_identifier"] for i in by_passport] == ["MAMMADOV"]
    assert _names(consul, "WK00000002") == ["RAKHIMOV"]
    assert _names(consul, "WK0000000") == []


def test_prefix_matches_come_before_skeleton_matches(hosts: Host, consul: TestClient) -> None:
    hosts.report("MEMMEDOV", "MAMMADOV", "MAMEDOVA", "MAMEDOV", "MAHMUDOV")
    # MAMEDOV and MAMEDOVA fold with the same prefix as «Мамедов»; MAMMADOV and MEMMEDOV share
    # only its skeleton (MMTB) and follow, each group in name order. MAHMUDOV is another name.
    assert _names(consul, "Мамедов") == ["MAMEDOV", "MAMEDOVA", "MAMMADOV", "MEMMEDOV"]
    # A short or several-word query is a prefix only.
    assert _names(consul, "Ma") == ["MAHMUDOV", "MAMMADOV", "MAMEDOV", "MAMEDOVA"]
    assert _names(consul, "Mamedov Ali") == []


def _pages(consul: TestClient, query: str, size: int) -> list[str]:
    """Every page of a search, following the cursors, concatenated."""
    names: list[str] = []
    params: dict[str, Any] = {"q": query, "limit": size}
    for _ in range(50):
        page = consul.get(SEARCH, params=params).json()
        assert len(page["items"]) <= size
        names.extend(i["primary_identifier"] for i in page["items"])
        if page["next_cursor"] is None:
            return names
        params["cursor"] = page["next_cursor"]
    raise AssertionError("the pages do not end")


def _by_folded_name(names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: (fold(name), name))


def test_pages_across_ranks_return_every_match_once(hosts: Host, consul: TestClient) -> None:
    prefix = ["MAMEDOV", "MAMEDOVA", "MAMEDOV-ZADE", "MAMMEDOVA"]
    skeletal = ["MAMMADOV", "MEMMEDOV", "MOMADOV", "MUMTBA"]
    hosts.report(*prefix[:2], *skeletal[:2], "KARIMOV", "ALIEV")
    hosts.report(*prefix[2:], *skeletal[2:], "YUSUPOV", host="TUR")
    # Folded prefix matches first, then the skeleton's; each by folded name, then as written.
    everything = _names(consul, "Мамедов")
    assert everything == _by_folded_name(prefix) + _by_folded_name(skeletal)
    for size in (1, 2, 3, 4, 5):  # page boundaries inside each rank and between them
        assert _pages(consul, "Мамедов", size) == everything, size
    # The whole list pages the same way, by name as written (as the database collates it).
    whole = _names(consul, "")
    assert len(whole) == 11 == len(set(whole))
    assert _pages(consul, "", 2) == _pages(consul, "", 3) == whole
    assert consul.get(SEARCH, params={"cursor": "bm90IGEgY3Vyc29y"}).status_code == 422


# Sounds and the ways documents spell them (Latin, as a host state stores them), and how a
# consul may type them (also in Cyrillic). Every spelling of one sound folds alike.
CONSONANTS = [
    (("KH", "H", "X"), ("Х",)),
    (("ZH", "J"), ("Ж",)),
    (("SH",), ("Ш",)),
    (("CH",), ("Ч",)),
    (("TS", "C"), ("Ц",)),
    (("Q", "K"), ("Қ", "К")),
    (("GH", "G"), ("Ғ",)),
    (("V", "W"), ("В",)),
    (("M", "MM"), ("М",)),
    (("N", "NN"), ("Н",)),
    (("R",), ("Р",)),
    (("L", "LL"), ("Л",)),
    (("B",), ("Б",)),
    (("D",), ("Д",)),
    (("T",), ("Т",)),
    (("S", "SS"), ("С",)),
]
VOWELS = [
    (("A",), ("А",)),
    (("O",), ("О",)),
    (("U",), ("У",)),
    (("I",), ("И",)),
    (("YU", "IU"), ("Ю",)),  # not JU, JA: after D they would read DJ, as in Джура
    (("YA", "IA"), ("Я",)),
]
ENDINGS = [(("OV",), ("ов",)), (("EV",), ("ев",)), (("OVA",), ("ова",)), (("",), ("",))]


@st.composite
def spellings(draw: st.DrawFn) -> tuple[str, str]:
    """A surname as a host state stored it, and another spelling of it a consul types."""
    sounds = []
    for _ in range(draw(st.integers(1, 3))):
        sounds += [draw(st.sampled_from(CONSONANTS)), draw(st.sampled_from(VOWELS))]
    sounds.append(draw(st.sampled_from(ENDINGS)))
    stored = "".join(draw(st.sampled_from(latin)) for latin, _ in sounds)
    typed = "".join(draw(st.sampled_from(latin + cyrillic)) for latin, cyrillic in sounds)
    return stored, draw(st.sampled_from([typed, typed.lower(), typed.title()]))


@hypothesis_settings(
    max_examples=int(os.environ.get("KERVAN_PROPERTY_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(names=spellings())
def test_any_spelling_that_folds_alike_finds_the_stored_name(
    hosts: Host, consul: TestClient, names: tuple[str, str]
) -> None:
    stored, typed = names
    assert fold(typed) == fold(stored)  # the strategy spells one name
    document = hosts.report(stored)[stored]
    found = {uuid.UUID(i["document_id"]) for i in _search(consul, typed)}
    assert document in found, (stored, typed)


# ----------------------------------------------------------------------------------------------
# The migration: documents received before the keys existed are found once it has run.


def test_the_migration_keys_documents_received_before_it(empty_database_url: str) -> None:
    upgrade(empty_database_url, "0006")
    engine = make_engine(empty_database_url)
    letters = "BCDFGKLMNPRSTVZ"
    filler = [f"TEST{a}{b}{c}" for a in letters for b in "AEIOU" for c in letters][:2100]
    surnames = ["RAKHIMOV", "MAMMADOV", "KARIMOV", *filler]
    ids = {s: uuid.uuid4() for s in surnames}
    before = table(  # the table as revision 0006 left it, without the keys
        "exchange_nationals_abroad",
        *(column(n, Uuid()) for n in ("document_id", "person_id", "envelope_id")),
        *(column(n, Date()) for n in ("valid_from", "valid_until")),
        column("birth_year", Integer()),
        column("updated_at", UTCDateTime()),
        *(
            column(n, String())
            for n in (
                "host_state",
                "primary_identifier",
                "secondary_identifier",
                "travel_document_number",
                "kind",
                "number",
                "status",
                "last_event",
            )
        ),
    )
    row = {
        "host_state": "KAZ",
        "secondary_identifier": "",
        "birth_year": 1990,
        "travel_document_number": "",
        "kind": "work",
        "number": "WK1",
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2027, 1, 1),
        "status": "active",
        "last_event": "stay.issued",
        "updated_at": utcnow(),
    }
    with engine.begin() as connection:
        connection.execute(
            insert(before),
            [
                {
                    **row,
                    "document_id": ids[s],
                    "person_id": uuid.uuid4(),
                    "envelope_id": uuid.uuid4(),
                    "primary_identifier": s,
                }
                for s in surnames
            ],
        )
    engine.dispose()
    upgrade(empty_database_url)  # backfills in batches of 1,000: three here
    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        unkeyed = connection.scalar(
            text("SELECT count(*) FROM exchange_nationals_abroad WHERE name_folded = ''")
        )
    assert unkeyed == 0
    consul = Principal(None, "consul.uzb", Role.CONSULAR_OFFICER, HOME)
    with make_sessionmaker(engine)() as session:
        found, _ = consular.search(session, consul, HOME, query="Рахимов")
        assert [(d.primary_identifier, d.document_id) for d in found] == [
            ("RAKHIMOV", ids["RAKHIMOV"])
        ]
        found, _ = consular.search(session, consul, HOME, query="Мамедов")
        assert [d.primary_identifier for d in found] == ["MAMMADOV"]
        found, more = consular.search(session, consul, HOME, query="Test", limit=200)
        assert len(found) == 200 and more is not None
    engine.dispose()


def test_rekey_restores_stale_keys_and_leaves_current_ones(
    hosts: Host, consul: TestClient, app: FastAPI
) -> None:
    """What ``kervan db rekey-names`` does after the folding rules change: every stale key of
    the consulate's view is derived again, and the search finds the names again."""
    from sqlalchemy import update

    from kervan.exchange.models import NationalAbroadDocument
    from kervan.exchange.rekey import rekey_nationals_abroad

    hosts.report("RAHIMOV", "KARIMOVA", "ALIEV")
    engine = app.state.engine
    with engine.begin() as connection:
        connection.execute(
            update(NationalAbroadDocument)
            .where(NationalAbroadDocument.primary_identifier == "RAHIMOV")
            .values(name_folded="STALE", name_skeleton="X")
        )
    assert "RAHIMOV" not in _names(consul, "Рахимов")
    stats = rekey_nationals_abroad(engine, batch=2)  # batches smaller than the table
    assert (stats.documents, stats.changed) == (3, 1)
    assert "RAHIMOV" in _names(consul, "Рахимов")
    assert rekey_nationals_abroad(engine).changed == 0
