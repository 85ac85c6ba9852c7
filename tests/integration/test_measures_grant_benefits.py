"""The worked example's third action: simplified temporary residence granted by the measure to
nationals of member states who could not leave, set-based and once, citing the measure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal
from kervan.benefits import service as benefits
from kervan.benefits.enums import ApplicationStatus
from kervan.benefits.models import BenefitApplication, BenefitKind
from kervan.measures import service
from kervan.measures.loader import example_path, load_measure, read_measure_file
from kervan.measures.models import Measure
from kervan.measures.preview import preview_measure
from kervan.registry.codes import MEMBER_STATES
from kervan.registry.models import StayDocument
from kervan.registry.synthetic import generate, load
from kervan.registry.transfer.importer import import_file
from kervan.registry.transfer.samples import sample_rows, write_rows
from kervan.uow import unit_of_work

TODAY = dt.date(2020, 5, 1)
KINDS = Path(__file__).parents[2] / "kervan" / "benefits" / "examples" / "kaz-2020.yaml"


def _granted(session: Session) -> list[BenefitApplication]:
    return list(
        session.scalars(
            select(BenefitApplication).where(BenefitApplication.measure_id.is_not(None))
        )
    )


def _example_in_force(factory: sessionmaker[Session], officer: Principal) -> Measure:
    """The worked example with its benefit kinds, in force and applied to the register."""
    with unit_of_work(factory) as session:
        benefits.load_kinds(session, officer, yaml.safe_load(KINDS.read_text()), state="KAZ")
        measure = load_measure(session, officer, read_measure_file(example_path()))
        preview_measure(session, officer, measure.id, today=TODAY)
        service.activate_measure(session, officer, measure.id)
        service.apply_measure(session, officer, measure.id, today=TODAY)
    return measure


def test_measure_grants_the_benefit_it_names_once(
    engine: Engine, session_factory: sessionmaker[Session], officer: Principal
) -> None:
    load(engine, generate(800, seed=11, host_state="KAZ", today=TODAY))
    measure = _example_in_force(session_factory, officer)
    with unit_of_work(session_factory) as session:
        granted = _granted(session)
        kind = session.scalar(
            select(BenefitKind).where(BenefitKind.code == "simplified_temporary_residence")
        )
        assert kind is not None
        assert granted, "the example register has member-state nationals in scope"
        assert {g.kind_id for g in granted} == {kind.id}
        assert {g.nationality for g in granted} <= set(MEMBER_STATES)
        assert all(g.status is ApplicationStatus.APPROVED for g in granted)
        assert all(g.measure_id == measure.id for g in granted)
        assert all(g.entitlement_from == dt.date(2020, 3, 16) for g in granted)
        assert len({g.person_id for g in granted}) == len(granted)
        first = len(granted)
    with unit_of_work(session_factory) as session:
        service.apply_measure(session, officer, measure.id, today=TODAY)
    with unit_of_work(session_factory) as session:
        assert session.scalar(select(func.count()).select_from(BenefitApplication)) == first


def test_a_person_imported_after_the_measure_gets_its_benefit_too(
    engine: Engine,
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
) -> None:
    """Regression (issue 11, bug 1): the listener on new data ran the measure's SQL but not the
    pass listeners, so a newcomer was extended but granted nothing until a full re-apply."""
    load(engine, generate(50, seed=12, host_state="KAZ", today=TODAY))
    measure = _example_in_force(session_factory, officer)
    row = next(sample_rows(1, seed=99, host_state="KAZ", today=TODAY))
    row.update(
        nationality="UZB",
        passport_issuing_state="UZB",
        document_kind="registration",
        status="active",
        valid_from="2020-01-10",
        valid_until="2020-04-01",
        document_number="RK2020999991",
    )
    path = tmp_path / "newcomer.csv"
    write_rows(path, [row], "csv")
    with unit_of_work(session_factory) as session:
        report = import_file(session, officer, path, host_state="KAZ")
        assert report.outcome == "imported", report
    with unit_of_work(session_factory) as session:
        document = session.scalar(select(StayDocument).where(StayDocument.number == "RK2020999991"))
        assert document is not None
        assert document.valid_until == dt.date(2020, 6, 14)  # the extension, as before
        grants = [g for g in _granted(session) if g.person_id == document.person_id]
        assert len(grants) == 1 and grants[0].measure_id == measure.id  # and now the benefit
