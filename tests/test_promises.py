"""Every promise in docs/promises.md names tests, and every named test exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMISES = ROOT / "docs" / "promises.md"
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def _rows() -> list[str]:
    return [
        line
        for line in PROMISES.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\| P\d+ ", line)
    ]


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


def test_it_names_a_test_for_every_promise() -> None:
    rows = _rows()
    assert len(rows) >= 10
    for row in rows:
        assert TEST_REF.search(row), f"A promise without a test: {row[:120]}"


def test_every_named_test_exists() -> None:
    missing = []
    for row in _rows():
        for path, name in TEST_REF.findall(row):
            module = ROOT / path
            if not module.exists() or name not in _test_names(module):
                missing.append(f"{path}::{name}")
    assert missing == []
