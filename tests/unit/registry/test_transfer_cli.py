"""``kervan import`` and ``kervan export``: reports, exit codes, at most 50 error lines."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kervan.registry.transfer.cli import _progress_bar, register
from kervan.registry.transfer.columns import COLUMNS
from kervan.registry.transfer.samples import SampleRow, sample_rows, write_rows


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> typer.Typer:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("KERVAN_DATABASE_URL", database_url)
    monkeypatch.setenv("KERVAN_STATE", "KAZ")
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture(scope="module")
def rows() -> list[SampleRow]:
    return list(sample_rows(70, seed=9))


def invoke(app: typer.Typer, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_then_export(cli: typer.Typer, tmp_path: Path, rows: list[SampleRow]) -> None:
    path = tmp_path / "register.xlsx"
    write_rows(path, rows, "xlsx")
    code, out, err = invoke(cli, "import", str(path))
    assert code == 0, err
    assert out.startswith("register.xlsx: imported: 70 rows") and "70 documents created" in out
    code, out, err = invoke(cli, "export", "--format", "json")
    assert code == 0 and err.strip() == "exported 70 stay document(s)"
    assert len(json.loads(out)) == 70


def test_export_to_a_file_with_filters(
    cli: typer.Typer, tmp_path: Path, rows: list[SampleRow]
) -> None:
    path = tmp_path / "register.csv"
    write_rows(path, rows, "csv")
    invoke(cli, "import", str(path))
    target = tmp_path / "out.csv"
    code, _, err = invoke(
        cli, "export", "--output", str(target), "--kind", "visa", "--expires-from", "2000-01-01"
    )
    assert code == 0, err
    with target.open(encoding="utf-8") as stream:
        exported = list(csv.DictReader(stream))
    assert len(exported) == sum(r["document_kind"] == "visa" for r in rows)
    assert not (tmp_path / "out.csv.part").exists()


def test_bad_rows_print_at_most_fifty_lines_and_exit_1(
    cli: typer.Typer, tmp_path: Path, rows: list[SampleRow]
) -> None:
    path = tmp_path / "bad.csv"
    write_rows(path, [{**r, "sex": "?"} for r in rows], "csv")
    code, out, err = invoke(cli, "import", str(path))
    assert code == 1
    assert "rejected, nothing written" in out
    lines = err.strip().splitlines()
    assert lines[0] == "row 2, column sex: '?' is not a sex: expected F, M or X"
    assert lines[50:] == ["... and 20 more", "70 error(s) in 70 row(s)"]


def test_partial_import_commits_the_good_rows_and_still_exits_1(
    cli: typer.Typer, tmp_path: Path, rows: list[SampleRow]
) -> None:
    path = tmp_path / "bad.json"
    write_rows(path, [*rows[:9], {**rows[9], "purpose": "fun"}], "json")
    code, out, _ = invoke(cli, "import", str(path), "--partial")
    assert code == 1 and "9 documents created" in out
    code, out, _ = invoke(cli, "import", str(path), "--dry-run", "--partial")
    assert "dry run" in out and "9 unchanged" in out


def test_a_file_level_problem_is_one_line(cli: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,born\nx,1990\n", encoding="utf-8")
    code, _, err = invoke(cli, "import", str(path))
    assert code == 1
    assert err.startswith("kervan: error: people.csv: unknown column(s): 'name', 'born'")
    assert len(err.strip().splitlines()) == 1


def test_unknown_format(cli: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "rows.dat"
    path.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    code, _, err = invoke(cli, "import", str(path))
    assert code == 1 and "cannot tell the format" in err
    code, out, err = invoke(cli, "import", str(path), "--format", "csv")
    assert code == 0, err
    assert "0 rows" in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_for_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, rows: list[SampleRow]
) -> None:
    path = tmp_path / "register.csv"
    write_rows(path, rows, "csv")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with _progress_bar(path, "csv") as progress:
        assert progress is not None
        progress(70)
    assert "importing" in terminal.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with _progress_bar(path, "csv") as progress:
        assert progress is None


def test_initial_into_a_register_that_is_not_empty_is_one_line_and_exit_1(
    cli: typer.Typer, tmp_path: Path, rows: list[SampleRow], capsys: pytest.CaptureFixture[str]
) -> None:
    from kervan.cli import main

    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    write_rows(first, rows[:10], "csv")
    write_rows(second, rows[10:], "csv")
    code, out, err = invoke(cli, "import", "--initial", str(first))
    assert code == 0, err
    assert "10 documents created" in out
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["import", "--initial", str(second)])
    assert exited.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kervan: error: a first load (--initial)")
