"""Person search on both databases: recall next to latency, against the search a developer
would write first.

    .venv/bin/python -m bench.search_bench [--postgres-persons 1000000] [--sqlite-persons 100000]
        [--persons 200] [--only sqlite|postgresql] [--reuse NAME]

1. A fresh database per engine is filled with the synthetic register (COPY on PostgreSQL,
   executemany on SQLite) until it holds N persons; ``--reuse`` takes an already filled one
   (a PostgreSQL database name, or a SQLite file path), migrating it to head first.
2. For a random sample of persons, one query of every class in
   ``kervan.registry.synthetic.search_cases`` (as written, another spelling, a typo, given name
   first, with the patronymic, Kyrgyz particles, the whole MRZ of a renewed passport, the
   passport number). Each runs through ``search_persons`` as an officer's request is served
   (candidates, ranking, audit entry, commit), by name alone and with the date of birth.
3. Baseline, same run, same queries: the trigram search a developer would write — on
   PostgreSQL ``name_key % q ORDER BY similarity(name_key, q)`` on its GIN index, on SQLite an
   FTS5 trigram index over ``name_key`` ranked by bm25 — with the date of birth as a filter.

Recall@1 and recall@10 with and without the date of birth, p50 and p95, for both. Target:
p95 <= 50 ms by name alone. Results go to the ``search-bench`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select, text

from bench.common import (
    DEFAULT_POSTGRES,
    add_record_argument,
    fresh_postgres,
    fresh_sqlite,
    machine,
    update_doc_section,
)
from bench.search_report import render
from kervan.accounts.roles import Principal, Role
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.db.migrate import upgrade
from kervan.identity.names import fold
from kervan.registry.models import NameWord, Person, TravelDocument
from kervan.registry.schemas import BirthDate
from kervan.registry.search import interpret_query, search_persons
from kervan.registry.synthetic import generate, load
from kervan.registry.synthetic.search_cases import (
    SearchCase,
    birth_of,
    cases_for,
    namesake_index,
    score_cases,
)
from kervan.uow import unit_of_work

SECTION = "search-bench"
DOCUMENTS_PER_PERSON = 1.68  # measured ratio of the generator's mix, to size the load
Ranked = list[tuple[uuid.UUID, BirthDate]]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fill(url: str, persons: int, seed: int) -> float:
    engine = make_engine(url)
    started = time.perf_counter()
    stats = load(
        engine,
        generate(
            int(persons * DOCUMENTS_PER_PERSON),
            seed=seed,
            host_state="KAZ",
            today=dt.date(2026, 12, 3),
        ),
        progress=lambda done: _say(f"  {done:,} documents") if done % 200_000 < 5_000 else None,
    )
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    seconds = time.perf_counter() - started
    _say(f"loaded {stats.rows['persons']:,} persons in {seconds:.0f} s")
    return seconds


def _row(person: Person) -> dict[str, Any]:
    return {c.key: getattr(person, c.key) for c in Person.__table__.columns}


def _cases(engine: Engine, sample: int, seed: int) -> tuple[int, list[SearchCase], dict[Any, Any]]:
    """Cases for ``sample`` random persons, and the namesakes of every person they could be
    confused with (all persons sharing a drawn person's folded name)."""
    rng = random.Random(seed)
    factory = make_sessionmaker(engine)
    with factory() as session:
        total = session.scalar(select(func.count()).select_from(Person)) or 0
        drawn = [
            _row(p) for p in session.scalars(select(Person).order_by(func.random()).limit(sample))
        ]
        vocabulary = set(session.scalars(select(NameWord.word)))
        ids = [p["id"] for p in drawn]
        numbers = dict(
            session.execute(
                select(TravelDocument.person_id, TravelDocument.number).where(
                    TravelDocument.person_id.in_(ids)
                )
            ).all()
        )
        # Namesakes fold alike; their name keys share the drawn person's words, so the
        # candidates are the persons with one of the drawn keys' skeleton blocks.
        blocks = {p["primary_skeleton"] for p in drawn}
        similar = [
            _row(p)
            for p in session.scalars(select(Person).where(Person.primary_skeleton.in_(blocks)))
        ]
    cases = [c for p in drawn for c in cases_for(rng, p, vocabulary, numbers.get(p["id"]))]
    return total, cases, namesake_index(similar + drawn)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


def _timed(
    search: Callable[[str, BirthDate | None], Ranked],
) -> tuple[Callable[..., Ranked], dict[str, list[float]]]:
    """``search`` timed: wall milliseconds per query by name alone and with the date of birth,
    and this process's CPU milliseconds (all of it on SQLite; the server's share not counted on
    PostgreSQL) — the figure that other sessions' load on the machine does not inflate."""
    latencies: dict[str, list[float]] = {"name": [], "birth": [], "name_cpu": []}

    def run(query: str, birth: BirthDate | None) -> Ranked:
        started, cpu = time.perf_counter(), time.process_time()
        ranked = search(query, birth)
        latencies["birth" if birth else "name"].append((time.perf_counter() - started) * 1000)
        if not birth:
            latencies["name_cpu"].append((time.process_time() - cpu) * 1000)
        return ranked

    return run, latencies


def _kervan(engine: Engine) -> Callable[[str, BirthDate | None], Ranked]:
    factory = make_sessionmaker(engine)
    officer = Principal(user_id=None, username="bench", role=Role.MIGRATION_OFFICER, state="KAZ")

    def search(query: str, birth: BirthDate | None) -> Ranked:
        with unit_of_work(factory) as session:
            hits = search_persons(session, officer, query, birth_date=birth, limit=10)
            return [(h.person.id, birth_of(_row(h.person))) for h in hits]

    return search


def _trigram_sql(dialect: str, with_birth: bool) -> str:
    birth = (
        " AND p.birth_year = :y AND p.birth_month IS NOT DISTINCT FROM :m"
        " AND p.birth_day IS NOT DISTINCT FROM :d"
    )
    if dialect == "postgresql":
        return (
            "SELECT p.id, p.birth_year, p.birth_month, p.birth_day FROM persons p "
            "WHERE p.name_key % :q"
            + (birth if with_birth else "")
            + " ORDER BY similarity(p.name_key, :q) DESC LIMIT 10"
        )
    birth = birth.replace("IS NOT DISTINCT FROM", "IS")
    return (
        "SELECT p.id, p.birth_year, p.birth_month, p.birth_day FROM bench_persons_fts f "
        "JOIN persons p ON p.rowid = f.rowid WHERE bench_persons_fts MATCH :match"
        + (birth if with_birth else "")
        + " ORDER BY f.rank LIMIT 10"
    )


def _trigram_match(key: str) -> str:
    grams = sorted({w[i : i + 3] for w in key.split() for i in range(max(1, len(w) - 2))})
    return " OR ".join(f'"{g}"' for g in grams if len(g) == 3) or '"###"'


def _baseline(engine: Engine) -> Callable[[str, BirthDate | None], Ranked]:
    """The trigram search over whole folded names, with the number look-up an MRZ gives."""
    dialect = engine.dialect.name
    if dialect == "postgresql":
        with engine.begin() as connection:  # Kervan's migration 0013 dropped it: search has no use
            connection.execute(
                text(
                    "CREATE INDEX IF NOT EXISTS pgx_persons_name_key_trgm "
                    "ON persons USING gin (name_key gin_trgm_ops)"
                )
            )
    if dialect == "sqlite":
        with engine.begin() as connection:
            connection.execute(
                text(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS bench_persons_fts USING fts5(name_key, "
                    "content='persons', content_rowid='rowid', tokenize='trigram')"
                )
            )
            connection.execute(
                text("INSERT INTO bench_persons_fts(bench_persons_fts) VALUES ('rebuild')")
            )

    def search(query: str, birth: BirthDate | None) -> Ranked:
        parsed = interpret_query(query)
        birth = birth or parsed.birth_date
        with engine.connect() as connection:
            if parsed.document_number and not parsed.name:
                rows = connection.execute(
                    text(
                        "SELECT p.id, p.birth_year, p.birth_month, p.birth_day FROM persons p JOIN "
                        "travel_documents t ON t.person_id = p.id WHERE t.number = :n LIMIT 10"
                    ),
                    {"n": parsed.document_number},
                ).all()
            else:
                key = fold(parsed.name)
                params: dict[str, Any] = {"q": key, "match": _trigram_match(key)}
                if birth:
                    params.update(y=birth.year, m=birth.month, d=birth.day)
                rows = connection.execute(
                    text(_trigram_sql(dialect, birth is not None)), params
                ).all()
        return [
            (
                r[0] if isinstance(r[0], uuid.UUID) else uuid.UUID(str(r[0])),
                BirthDate(year=r[1], month=r[2], day=r[3]),
            )
            for r in rows
        ]

    return search


def _measure(
    engine: Engine,
    name: str,
    search: Callable[[str, BirthDate | None], Ranked],
    cases: list[SearchCase],
    namesakes: dict[Any, Any],
) -> dict[str, Any]:
    run, latencies = _timed(search)
    scores = score_cases(run, cases, namesakes)
    alone, dated = scores.overall(False), scores.overall(True)
    _say(f"  {name}: name @1 {alone.recall_at_1} with birth @1 {dated.recall_at_1}")
    return {
        "recall_at_1": alone.recall_at_1,
        "recall_at_10": alone.recall_at_10,
        "recall_at_1_birth": dated.recall_at_1,
        "recall_at_10_birth": dated.recall_at_10,
        "p50_ms": _percentile(latencies["name"], 0.5),
        "p95_ms": _percentile(latencies["name"], 0.95),
        "p50_birth_ms": _percentile(latencies["birth"], 0.5),
        "p95_birth_ms": _percentile(latencies["birth"], 0.95),
        "p50_cpu_ms": _percentile(latencies["name_cpu"], 0.5),
        "p95_cpu_ms": _percentile(latencies["name_cpu"], 0.95),
        "by_class": {k: [t.recall_at_1, t.queries] for k, t in sorted(scores.name_only.items())},
    }


def run(url: str, sample: int, seed: int, fill_seconds: float | None) -> dict[str, Any]:
    engine = make_engine(url)
    total, cases, namesakes = _cases(engine, sample, seed)
    _say(f"{engine.dialect.name}: {total:,} persons, {len(cases)} queries")
    kervan = _measure(engine, "kervan", _kervan(engine), cases, namesakes)
    baseline = _measure(engine, "baseline", _baseline(engine), cases, namesakes)
    engine.dispose()
    return {
        "machine": machine(),
        "load": os.getloadavg()[0],
        "persons": total,
        "queries": len(cases),
        "fill_seconds": round(fill_seconds) if fill_seconds else None,
        "kervan": kervan,
        "baseline": baseline,
    }


def _database(
    kind: str, persons: int, reuse: str | None, seed: int, server: str
) -> tuple[str, float | None]:
    if reuse:
        url = f"sqlite:///{reuse}" if kind == "sqlite" else server.rsplit("/", 1)[0] + f"/{reuse}"
        upgrade(url)
        return url, None
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="kervan_search_bench_"))
        url = fresh_sqlite(folder, f"search_{persons}")
    else:
        url = fresh_postgres(server, f"kervan_bench_search13_{persons}")
    return url, _fill(url, persons, seed)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-persons", type=int, default=1_000_000)
    parser.add_argument("--sqlite-persons", type=int, default=100_000)
    parser.add_argument("--persons", type=int, default=200, help="persons drawn for queries")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument(
        "--reuse", help="an already filled database: PostgreSQL name or SQLite path"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server", default=DEFAULT_POSTGRES)
    add_record_argument(parser)
    args = parser.parse_args(argv)
    for kind in ("postgresql", "sqlite"):
        if args.only and kind != args.only:
            continue
        persons = args.postgres_persons if kind == "postgresql" else args.sqlite_persons
        url, fill = _database(kind, persons, args.reuse, args.seed, args.server)
        result = run(url, args.persons, args.seed, fill)
        print(render({kind: result}))
        if args.record:
            update_doc_section(SECTION, render, kind, result)


if __name__ == "__main__":
    main()
