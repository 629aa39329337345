"""The restore drill's checks (benchmarks/restore_drill.py) say when a restore lost something."""

from __future__ import annotations

import copy
from typing import Any

from benchmarks.restore_drill import CANARIES, CANARY, compare, encrypted_fields


def fingerprint() -> dict[str, Any]:
    return {
        "tables": {"intake_registration": 50_000, "core_auditevent": 20},
        "decrypted": {"intake.registration": "a1", "care.note": "b2"},
        "encrypted_values": 520,
        "canaries": [CANARY.format(number=number) for number in range(CANARIES)],
        "canaries_readable_in_raw_columns": 0,
    }


def test_it_finds_nothing_wrong_with_an_identical_restore() -> None:
    assert compare(fingerprint(), fingerprint()) == []


def test_it_reports_a_table_that_lost_rows() -> None:
    after = copy.deepcopy(fingerprint())
    after["tables"]["core_auditevent"] = 19
    assert compare(fingerprint(), after) == ["rows in core_auditevent: 20 before, 19 after"]


def test_it_reports_text_that_decrypts_differently_or_not_at_all() -> None:
    after = copy.deepcopy(fingerprint())
    after["decrypted"]["care.note"] = "c3"
    after["canaries"] = after["canaries"][1:]
    assert compare(fingerprint(), after) == [
        "decrypted text of care.note differs after the restore",
        "the canaries' text did not decrypt to what was written",
    ]


def test_it_reports_canaries_readable_in_the_raw_columns() -> None:
    after = copy.deepcopy(fingerprint())
    after["canaries_readable_in_raw_columns"] = 3
    assert compare(fingerprint(), after) == [
        "canary text is readable in the raw column (not encrypted)"
    ]


def test_it_checks_every_model_with_encrypted_fields() -> None:
    found = {model._meta.label_lower: names for model, names in encrypted_fields()}
    assert "wish" in found["intake.registration"]
    assert found["care.followup"] == ["note", "outcome_note"]
