"""What the import tests share: running ``import_file`` in a unit of work, writing a CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal
from kervan.registry.transfer.importer import import_file
from kervan.registry.transfer.report import ImportReport
from kervan.registry.transfer.samples import SampleRow, write_rows
from kervan.uow import unit_of_work

HOST = "KAZ"


def run_import(
    factory: sessionmaker[Session], principal: Principal, path: Path, **options: Any
) -> ImportReport:
    with unit_of_work(factory) as session:
        return import_file(session, principal, path, host_state=HOST, **options)


def write_csv(path: Path, rows: list[SampleRow]) -> Path:
    write_rows(path, rows, "csv")
    return path
