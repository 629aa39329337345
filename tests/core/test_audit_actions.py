"""Every audit action written anywhere is in the catalogue, with a label in every language."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from kretsen.core import audit, audit_actions
from kretsen.core.models import AuditEvent, Organisation, User
from tests.conftest import sign_in_staff

SOURCE = Path(__file__).resolve().parents[2] / "src" / "kretsen"


def _is_audit_log(call: ast.Call) -> bool:
    function = call.func
    return (
        isinstance(function, ast.Attribute)
        and function.attr in ("log", "read")
        and isinstance(function.value, ast.Name)
        and function.value.id == "audit"
    )


def _codes(node: ast.expr) -> list[str] | None:
    """The codes an action argument can have: literals, or a choice between literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _codes(node.body), _codes(node.orelse)
        if body is not None and orelse is not None:
            return body + orelse
    return None


def written_codes() -> tuple[set[str], list[str]]:
    codes: set[str] = set()
    not_literal: list[str] = []
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _is_audit_log(node) and len(node.args) >= 2:
                found = _codes(node.args[1])
                if found is None:
                    not_literal.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
                else:
                    codes.update(found)
    return codes, not_literal


def test_it_knows_every_action_the_code_writes() -> None:
    codes, not_literal = written_codes()
    assert len(codes) >= 80
    assert not_literal == [], "Write audit action codes as literals, so they can be checked."
    missing = sorted(codes - set(audit_actions.ACTIONS))
    assert missing == [], f"Add these audit actions to core/audit_actions.py: {missing}"


def test_it_lists_no_action_that_nothing_writes() -> None:
    codes, _not_literal = written_codes()
    assert sorted(set(audit_actions.ACTIONS) - codes) == []


def test_every_action_belongs_to_an_area() -> None:
    for code in audit_actions.ACTIONS:
        assert any(code.startswith(prefix) for prefix in audit_actions.AREAS), code


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_every_label_is_translated(language: str) -> None:
    with translation.override("en"):
        english = {code: str(text) for code, text in audit_actions.ACTIONS.items()}
    with translation.override(language):
        same = [code for code, text in audit_actions.ACTIONS.items() if str(text) == english[code]]
    assert same == []


def test_the_audit_page_shows_labels_and_filters_by_area(
    client: Client, org_a: Organisation, admin_a: User, coordinator_a: User
) -> None:
    audit.log(None, "directory.offer.created", organisation=org_a, actor=coordinator_a)
    audit.log(None, "intake.registration.viewed", organisation=org_a, actor=coordinator_a)
    sign_in_staff(client, admin_a)
    client.cookies["kretsen_language"] = "sv"
    page = client.get("/staff/org-a/audit/").content.decode().split("<tbody>")[1]
    assert "Erbjudande skapat" in page
    assert "<code>directory.offer.created</code>" not in page
    filtered = client.get("/staff/org-a/audit/?action=intake.").content.decode().split("<tbody>")[1]
    assert "Intresseanmälan öppnad" in filtered
    assert "Erbjudande skapat" not in filtered
    assert AuditEvent.writer.filter(organisation=org_a).count() >= 2
