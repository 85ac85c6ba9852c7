"""Repatriation in the officer UI and on the public page, without JavaScript: a UZB consul
schedules a leg (summary, then confirm), KAZ's migration officer agrees to it on KAZ's node, the
consul registers a family's request and a single traveller's, runs the allocation and reads
each request's explanation, pins, excludes and cancels with a reason, confirms the leg's
seats; a national asks through the public form and follows the request with its reference
and secret. Refusals sit next to their field. UZB runs on each test database, KAZ on SQLite."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Role
from kervan.db.base import utcnow
from tests.functional.exchange_support import Loopback
from tests.functional.two_nodes import two_node_fixtures, worker
from tests.functional.ui_support import HTML, csrf_from, make_user, signed_in_client

fed, settings, uzb, kaz, line = two_node_fixtures("KAZ")

APPLICANT = {
    "host_state": "KAZ", "origin": "ala", "destination": "TAS", "document_status":
    "valid_passport", "surname": "Karimov", "given_names": "Alisher", "birth_date": "1980-02-10",
    "sex": "M", "passport_number": "FA7000001", "reason_medical": "yes", "consent": "yes",
    "earliest_date": dt.date.today().isoformat(),
}  # fmt: skip


def _send(client: TestClient, page: str, action: str, data: dict[str, str]) -> tuple:
    """The form at ``page`` sent for review, then its summary confirmed."""
    token = csrf_from(client.get(page).text)
    review = client.post(action, data={**data, "csrf_token": token, "step": "review"})
    assert review.status_code == 200 and 'id="confirm-title"' in review.text, review.text
    done = client.post(action, data={**data, "csrf_token": token, "step": "confirm"})
    return review, done


def test_a_consul_and_a_host_officer_work_in_the_pages(
    uzb: FastAPI, kaz: FastAPI, fed: tuple, line: Loopback
) -> None:
    make_user(uzb.state.session_factory, "consul", Role.CONSULAR_OFFICER, "UZB")
    make_user(kaz.state.session_factory, "kaz.officer", Role.MIGRATION_OFFICER, "KAZ", "ru")
    consul = signed_in_client(uzb, "consul")
    departs = (utcnow() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    leg = {
        "host_state": "KAZ", "mode": "flight", "operator": "Uzbekistan Airways",
        "number": "HY 2712", "origin": "ALA", "origin_name": "Almaty", "destination": "TAS",
        "destination_name": "Tashkent", "departs_at": departs.strftime("%Y-%m-%dT%H:%M"),
        "arrives_at": (departs + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "seats": "3", "held_seats": "1",
    }  # fmt: skip
    token = csrf_from(consul.get("/repatriation/legs/new").text)
    wrong = consul.post(
        "/repatriation/legs/new",
        data={**leg, "seats": "0", "held_seats": "x", "csrf_token": token, "step": "review"},
    )
    assert wrong.status_code == 422
    assert (
        'aria-describedby="f-seats-error"' in wrong.text and 'id="f-held_seats-error"' in wrong.text
    )
    review, scheduled = _send(consul, "/repatriation/legs/new", "/repatriation/legs/new", leg)
    assert "Uzbekistan Airways HY 2712" in review.text and "Kazakhstan" in review.text
    assert scheduled.status_code == 303, scheduled.text
    leg_url = scheduled.headers["location"].split("?")[0]
    leg_id = leg_url.rsplit("/", 1)[1]
    assert worker(uzb, fed, line, "UZB").drain(max_rounds=5).delivered == 1

    host = signed_in_client(kaz, "kaz.officer")
    page = host.get(leg_url)
    assert page.status_code == 200 and f'action="{leg_url}/decision"' in page.text
    decided = _send(host, leg_url, f"{leg_url}/decision", {"agree": "yes", "reason": ""})[1]
    assert decided.status_code == 303, decided.text
    assert worker(kaz, fed, line, "KAZ").drain(max_rounds=5).delivered == 1

    family = {
        **APPLICANT, "surname": "Olimov", "passport_number": "FA7000002", "reason_medical": "",
        "member1_surname": "Olimova", "member1_birth_date": "1985-03-01",
        "member1_relationship": "spouse",
    }  # fmt: skip
    token = csrf_from(consul.get("/repatriation/requests/new").text)
    refused = consul.post(
        "/repatriation/requests/new",
        data={**family, "consent": "", "member1_birth_date": "", "surname": "Олимов",
              "csrf_token": token, "step": "review"},
    )  # fmt: skip
    assert refused.status_code == 422
    for name in ("consent", "member1_birth_date", "surname"):
        assert f'aria-describedby="f-{name}-error"' in refused.text, name
    references = []
    for data in (APPLICANT, family):
        review, made = _send(
            consul, "/repatriation/requests/new", "/repatriation/requests/new", data
        )
        assert made.status_code == 303, made.text
        references.append(made.headers["location"].split("/")[-1].split("?")[0])
    assert "OLIMOVA" in review.text and "Medical need" not in review.text

    summary = consul.get("/repatriation/allocation")
    assert summary.status_code == 200 and "Check and confirm" in summary.text
    ran = consul.post("/repatriation/allocation", data={"csrf_token": csrf_from(summary.text)})
    assert ran.status_code == 200 and 'data-seated="1"' in ran.text, ran.text
    seated = consul.get(f"/repatriation/requests/{references[0]}")
    assert "Seated on Uzbekistan Airways HY 2712" in seated.text
    waiting = consul.get(f"/repatriation/requests/{references[1].lower()}")
    assert "Waiting: the group of 2 travels together" in waiting.text

    base = f"/repatriation/requests/{references[1]}"
    short = consul.post(
        f"{base}/pin",
        data={"leg_id": leg_id, "reason": "x", "csrf_token": token, "step": "review"},
    )
    assert short.status_code == 422 and 'id="f-reason-error"' in short.text
    pin = {"leg_id": leg_id, "reason": "medical escort travels with them"}
    review, full = _send(consul, f"{base}/pin", f"{base}/pin", pin)
    assert "Uzbekistan Airways HY 2712" in review.text
    assert full.status_code == 409 and "has no 2 free seats" in full.text
    excluded = _send(consul, f"{base}/exclude", f"{base}/exclude", {"reason": "duplicate"})[1]
    assert excluded.status_code == 303
    assert "Excluded" in consul.get(base).text
    cancelled = _send(consul, f"{base}/cancel", f"{base}/cancel", {"reason": "went by car"})[1]
    assert cancelled.status_code == 303 and "Cancelled" in consul.get(base).text

    # A change that still fits the proposed seat keeps it (and says so before saving).
    edit = f"/repatriation/requests/{references[0]}/edit"
    assert consul.get(f"/repatriation/requests/{references[1]}/edit").status_code == 409
    values = _edit_values(consul, edit)
    review, kept = _send(consul, edit, edit, {**values, "contact": "+998 90 000 00 00"})
    assert 'data-seat="kept"' in review.text and kept.status_code == 303, kept.text
    assert "Seated on Uzbekistan Airways HY 2712" in consul.get(kept.headers["location"]).text

    token = csrf_from(consul.get(leg_url).text)
    asked = consul.post(f"{leg_url}/confirm-seats", data={"csrf_token": token})
    assert asked.status_code == 200 and "Check and confirm" in asked.text
    confirmed = consul.post(
        f"{leg_url}/confirm-seats", data={"csrf_token": token, "step": "confirm"}
    )
    assert confirmed.status_code == 303
    page = consul.get(leg_url)
    assert "Agreed by the host state" in page.text and "/manifest.edi" in page.text
    listed = consul.get("/repatriation/requests?status=confirmed")
    assert references[0] in listed.text and references[1] not in listed.text
    overview = consul.get("/repatriation")
    assert "<svg" in overview.text and 'role="img"' in overview.text

    # Reception places: refusals on their fields; the summary warns of people already
    # arriving that day; the table lists the day.
    arrival = (departs + dt.timedelta(hours=2)).date().isoformat()
    token = csrf_from(consul.get("/repatriation/reception").text)
    bad = consul.post(
        "/repatriation/reception",
        data={"destination": "x", "day": "", "places": "-1", "csrf_token": token},
    )
    assert bad.status_code == 422
    for name in ("destination", "day", "places"):
        assert f'id="f-{name}-error"' in bad.text, name
    places = {"destination": "tas", "day": arrival, "places": "0"}
    review, placed = _send(consul, "/repatriation/reception", "/repatriation/reception", places)
    assert 'data-places="0"' in review.text and 'role="alert"' in review.text
    assert placed.status_code == 303
    assert f'data-reception="TAS {arrival}"' in consul.get(placed.headers["location"]).text

    # The group grows past the confirmed seat: rows added without JavaScript (one more empty
    # row per press, none beyond the page's bound), each refusal on its row's field, and the
    # summary says the seat is released before anything is saved.
    token = csrf_from(consul.get(edit).text)
    values = {**_edit_values(consul, edit), "csrf_token": token}
    for _ in range(12):
        more = consul.post(edit, data={**values, "add_member": "1", "step": "review"})
        assert more.status_code == 200 and 'id="confirm-title"' not in more.text
        values["members"] = re.search(r'name="members" value="(\d+)"', more.text).group(1)  # type: ignore[union-attr]
    assert values["members"] == "9" and 'name="add_member"' not in more.text
    assert 'id="f-member9_surname"' in more.text
    group = {f"member{i}_{k}": v for i in (1, 2) for k, v in (
        ("surname", f"Karimova{'ab'[i - 1]}"), ("birth_date", f"2015-05-0{i}"),
        ("relationship", "child"))}  # fmt: skip
    wrong = consul.post(
        edit, data={**values, **group, "member2_birth_date": "", "member3_surname": "Ж",
                    "step": "review"},
    )  # fmt: skip
    assert wrong.status_code == 422
    for name in ("member2_birth_date", "member3_surname"):
        assert f'aria-describedby="f-{name}-error"' in wrong.text, name
    review, released = _send(consul, edit, edit, {**values, **group})
    assert 'data-seat="released"' in review.text and "KARIMOVAB" in review.text
    assert released.status_code == 303 and released.headers["location"].endswith("released")
    page = consul.get(f"/repatriation/requests/{references[0]}")
    assert "Waiting" in page.text and "KARIMOVAB" in page.text
    with uzb.state.session_factory() as session:
        audited = session.scalars(
            select(AuditEntry.details)
            .where(AuditEntry.action == "repatriation.request.update")
            .order_by(AuditEntry.seq)
        ).all()
    assert [d["released_leg"] == leg_id for d in audited] == [False, True]
    assert audited[0]["changed"] == ["contact"] and audited[1]["size"] == 3


def _edit_values(client: TestClient, edit: str) -> dict[str, str]:
    """The edit form, filled from the registered request (the page shows it so)."""
    html = client.get(edit).text
    assert 'value="KARIMOV"' in html and 'name="reason_medical" value="yes" checked' in html
    return {**APPLICANT, "origin": "ALA", "surname": "KARIMOV", "members": "0"}


_ADDRESSES = itertools.count(1)


def test_the_public_return_page_gives_a_reference_to_follow(uzb: FastAPI) -> None:
    # An address per run: the public forms' per-address limit lives as long as the process.
    address = (f"198.51.200.{next(_ADDRESSES)}", 50000)
    with TestClient(uzb, client=address, headers=HTML) as public:
        form = public.get("/return?lang=ky")
        assert form.status_code == 200 and 'lang="ky"' in form.text
        data = {**APPLICANT, "lang": "en", "csrf_token": csrf_from(form.text)}
        bot = public.post("/return", data={**data, "website": "http://spam", "step": "confirm"})
        assert bot.status_code == 200 and "data-reference" in bot.text
        more = public.post(
            "/return", data={**data, "members": "1", "add_member": "1", "step": "review"}
        )
        assert more.status_code == 200 and 'id="f-member2_surname"' in more.text
        review = public.post("/return", data={**data, "step": "review"})
        assert review.status_code == 200 and "KARIMOV" in review.text
        sent = public.post("/return", data={**data, "step": "confirm"})
        assert sent.status_code == 200, sent.text
        reference = re.search(r"data-reference>([^<]+)<", sent.text).group(1)  # type: ignore[union-attr]
        secret = re.search(r"data-secret>([^<]+)<", sent.text).group(1)  # type: ignore[union-attr]
        token = csrf_from(public.get("/return/status").text)
        found = public.post(
            "/return/status",
            data={"reference": reference.lower(), "secret": secret, "csrf_token": token},
        )
        assert found.status_code == 200 and 'data-status="waiting"' in found.text
        assert "KARIMOV" not in found.text
        wrong = public.post(
            "/return/status", data={"reference": reference, "secret": "guess", "csrf_token": token}
        )
        assert wrong.status_code == 404
        huge = public.post("/return", data={**data, "contact": "x" * 20_000})
        assert huge.status_code == 413
