"""The worked example's third action: simplified temporary residence granted by the measure to
nationals of member states who could not leave, set-based and once, citing the measure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal
from kervan.benefits import install as install_benefits
from kervan.benefits import service as benefits
from kervan.benefits.enums import ApplicationStatus
from kervan.benefits.models import BenefitApplication, BenefitKind
from kervan.measures import install as install_measures
from kervan.measures import service
from kervan.measures.loader import example_path, load_measure, read_measure_file
from kervan.measures.preview import preview_measure
from kervan.registry.codes import MEMBER_STATES
from kervan.registry.synthetic import generate, load
from kervan.uow import unit_of_work

TODAY = dt.date(2020, 5, 1)
KINDS = Path(__file__).parents[2] / "kervan" / "benefits" / "examples" / "kaz-2020.yaml"


def _granted(session: Session) -> list[BenefitApplication]:
    return list(
        session.scalars(
            select(BenefitApplication).where(BenefitApplication.measure_id.is_not(None))
        )
    )


def test_measure_grants_the_benefit_it_names_once(
    engine: Engine, session_factory: sessionmaker[Session], officer: Principal
) -> None:
    install_measures()
    install_benefits()
    load(engine, generate(800, seed=11, host_state="KAZ", today=TODAY))
    with unit_of_work(session_factory) as session:
        benefits.load_kinds(session, officer, yaml.safe_load(KINDS.read_text()), state="KAZ")
        measure = load_measure(session, officer, read_measure_file(example_path()))
        preview_measure(session, officer, measure.id, today=TODAY)
        service.activate_measure(session, officer, measure.id)
        service.apply_measure(session, officer, measure.id, today=TODAY)
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
