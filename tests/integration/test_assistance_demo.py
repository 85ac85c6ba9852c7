"""The demos' assistance: ``kervan demo``'s few hundred cases, and the federation step end to
end on four OS processes (``kervan demo --federation``'s own prepare and start): a case
referred from KAZ to UZB, accepted, a concurrent change shown as a conflict on both nodes and
resolved, aid and notes merged, closed by UZB."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, func, select

from kervan.assistance.models import Case, CaseStatus
from kervan.demo.federation import STATES, DemoNode, NodeSession, prepare, start, stop, wait_ready
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory
from tests.integration.test_federation_demo import _free_ports


def test_the_demo_node_holds_a_few_hundred_cases_in_every_status(database_url: str) -> None:
    from kervan.demo.assistance import seed_cases

    engine = create_engine(database_url)
    factory = node_session_factory(engine)
    with unit_of_work(factory) as session:
        assert seed_cases(session, "KAZ") == 300
    with unit_of_work(factory) as session:
        assert seed_cases(session, "KAZ") == 0  # a filled node is left as it is
        statuses = dict(
            session.execute(select(Case.status, func.count()).group_by(Case.status)).all()
        )
        assert set(statuses) == set(CaseStatus) - {CaseStatus.REFERRED}
        assert session.scalar(select(func.count()).where(Case.nationality == "KAZ")) == 0
    engine.dispose()


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, DemoNode]]:
    folder = tmp_path_factory.mktemp("federation")
    ports = dict(zip(STATES, _free_ports(len(STATES)), strict=True))
    prepared = prepare(folder, ports, 200, seed=16)
    processes = start(prepared, folder)
    try:
        wait_ready(prepared, processes, folder, seconds=120)
        yield {node.state: node for node in prepared}
    finally:
        stop(processes)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_kaz_refers_uzb_accepts_both_work_it_and_uzb_closes(nodes: dict[str, DemoNode]) -> None:
    from kervan.demo.assistance import referral_step

    kaz, uzb = nodes["KAZ"], nodes["UZB"]
    result = referral_step(kaz, uzb)
    case = result["case"]
    assert case["referral"] == "accepted" and case["partner_closed_at"]
    assert case["contact"] == "+998 90 123 45 67" and result["conflicts"] == []
    assert [a["kind"] for a in result["aid"]] == ["legal"]
    with NodeSession(uzb, "consular.uzb") as consul:
        there = consul.get(f"/api/v1/cases/{case['id']}")
    assert there["case"]["status"] == "closed" and there["case"]["reference"] == case["reference"]
    assert {n["author_state"] for n in there["notes"]} == {"UZB"}
    assert [a["given_state"] for a in there["aid"]] == ["KAZ"]
    assert there["heads"]["contact"] == result["heads"]["contact"]  # both nodes agree
