"""The ``search-bench`` section of docs/benchmarks.md, from the results of bench.search_bench."""

from __future__ import annotations

from typing import Any

_ENGINES = (("postgresql", "PostgreSQL"), ("sqlite", "SQLite"))


def _ratio(kervan: float, baseline: float) -> str:
    return f"{baseline / kervan:.1f}×" if kervan else "–"


def _engine(kind: str, title: str, r: dict[str, Any]) -> list[str]:
    k, b, m = r["kervan"], r["baseline"], r["machine"]
    alternative = (
        "`name_key % q ORDER BY similarity(name_key, q)` on the GIN trigram index"
        if kind == "postgresql"
        else "an FTS5 trigram index over `name_key`, ranked by bm25"
    )
    verdict = "met" if k["p95_ms"] <= 50 else "**missed**"
    filled = f", generated and loaded in {r['fill_seconds']:,} s" if r.get("fill_seconds") else ""
    return [
        f"### {title}: {r['persons']:,} persons",
        "",
        f"Run on {m['date']}: {m['cpus']} cores (load average "
        f"{r['load']:.1f} at the end), {m['memory_gib']} GiB, Python {m['python']}, "
        f"SQLite {m['sqlite']}{filled}. {r['queries']:,} queries.",
        f"Baseline, same run and queries: {alternative}, the date of birth as a filter.",
        "",
        "| figure | Kervan | baseline | ratio baseline ÷ Kervan |",
        "| --- | --- | --- | --- |",
        f"| recall@1, name only | {k['recall_at_1']:.1%} | {b['recall_at_1']:.1%} | |",
        f"| recall@10, name only | {k['recall_at_10']:.1%} | {b['recall_at_10']:.1%} | |",
        f"| recall@1, with date of birth | {k['recall_at_1_birth']:.1%} "
        f"| {b['recall_at_1_birth']:.1%} | |",
        f"| recall@10, with date of birth | {k['recall_at_10_birth']:.1%} "
        f"| {b['recall_at_10_birth']:.1%} | |",
        f"| p50, name only | {k['p50_ms']} ms | {b['p50_ms']} ms "
        f"| {_ratio(k['p50_ms'], b['p50_ms'])} |",
        f"| p95, name only (target ≤ 50 ms: {verdict}) | {k['p95_ms']} ms | {b['p95_ms']} ms "
        f"| {_ratio(k['p95_ms'], b['p95_ms'])} |",
        f"| CPU of the searching process, p50 / p95, name only | {k.get('p50_cpu_ms')} / "
        f"{k.get('p95_cpu_ms')} ms | {b.get('p50_cpu_ms')} / {b.get('p95_cpu_ms')} ms | |",
        f"| p50, with date of birth | {k['p50_birth_ms']} ms | {b['p50_birth_ms']} ms "
        f"| {_ratio(k['p50_birth_ms'], b['p50_birth_ms'])} |",
        f"| p95, with date of birth | {k['p95_birth_ms']} ms | {b['p95_birth_ms']} ms "
        f"| {_ratio(k['p95_birth_ms'], b['p95_birth_ms'])} |",
        "",
        "Recall@1 by name only, per query class (Kervan / baseline): "
        + ", ".join(
            f"{cls} {rate:.0%} / {b['by_class'].get(cls, [0])[0]:.0%} (n={n})"
            for cls, (rate, n) in k["by_class"].items()
        )
        + ".",
        "",
    ]


def render(results: dict[str, Any]) -> str:
    lines = [
        "## Person search (`bench/search_bench.py`)",
        "",
        "Each Kervan search is timed as an officer's request is served: candidates, ranking,",
        "the audit entry and the commit. By name alone a namesake (a person whose name folds",
        "the same) first counts as found, since no one can tell them apart by name; with the",
        "date of birth only the person does. Queries: one of each class of",
        "`kervan/registry/synthetic/search_cases.py` per drawn person.",
        "",
    ]
    for kind, title in _ENGINES:
        if kind in results:
            lines.extend(_engine(kind, title, results[kind]))
    return "\n".join(lines).rstrip()
