"""Every domain error raised where an officer can meet it carries a code from the catalog, so
the UI words it in the officer's language; rewording the English never drops a translation."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from kervan import messages
from kervan.errors import KervanError
from kervan.wiring import wire

ROOT = Path(__file__).resolve().parents[2] / "kervan"

# The operator's own tools, read on a terminal in English (one readable line, non-zero exit):
# the demo and federation scripts, backups, start-up checks and the signing key file.
OPERATOR_ONLY = ("demo/", "ops/backup.py", "ops/startup.py", "exchange/keys.py")


def _modules() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
        and path.name != "__main__.py"
        and not str(path.relative_to(ROOT)).startswith(OPERATOR_ONLY)
    ]


def _raises(path: Path) -> list[tuple[int, type, ast.Call, dict]]:
    name = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__")
    namespace = vars(importlib.import_module(name))
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            try:
                raised = eval(ast.unparse(node.exc.func), namespace)
            except Exception:  # a name bound inside the function: not a class of ours
                continue
            if isinstance(raised, type) and issubclass(raised, KervanError):
                found.append((node.lineno, raised, node.exc, namespace))
    return found


@pytest.fixture(scope="module")
def raise_sites() -> list[tuple[str, int, type, ast.Call, dict]]:
    wire()  # each package adds its codes in install(app)
    return [(str(p.relative_to(ROOT)), *site) for p in _modules() for site in _raises(p)]


def test_every_raise_names_its_code(raise_sites: list) -> None:
    missing = [
        f"{path}:{line} {raised.__name__}"
        for path, line, raised, call, _ in raise_sites
        # a class that builds its own code (``ScopeError``) needs none at the raise
        if raised.__init__ is KervanError.__init__
        and not any(k.arg in ("code", None) for k in call.keywords)
    ]
    assert missing == [], "raised without a code:\n" + "\n".join(missing)


def test_every_code_raised_is_in_the_catalog(raise_sites: list) -> None:
    unknown = []
    for path, line, _, call, namespace in raise_sites:
        for keyword in call.keywords:
            if keyword.arg != "code":
                continue
            try:
                code = eval(ast.unparse(keyword.value), namespace)
            except NameError:  # computed at the raise (``exc.code``): checked where it is made
                continue
            if code not in messages.CATALOG:
                unknown.append(f"{path}:{line} {code}")
    assert unknown == []


def test_the_scan_sees_the_raises() -> None:
    """Guards the test above against finding nothing (a moved package, a broken import)."""
    sites = _raises(ROOT / "registry" / "transfer" / "formats.py")
    assert len(sites) >= 15
