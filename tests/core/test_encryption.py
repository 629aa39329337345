"""Encrypted text stays readable after SECRET_KEY and SALT_KEY are rotated."""

from __future__ import annotations

from django.db import connection
from django.test import override_settings
from encrypted_fields.fields import EncryptedTextField


def encrypt(text: str) -> str:
    return str(EncryptedTextField().get_db_prep_value(text, connection))


def decrypt(stored: str) -> str:
    return str(EncryptedTextField().from_db_value(stored, None, connection))


OLD = {"SECRET_KEY": "old-" + "k" * 60, "SECRET_KEY_FALLBACKS": [], "SALT_KEY": ["old-salt"]}
ROTATED = {
    "SECRET_KEY": "new-" + "k" * 60,
    "SECRET_KEY_FALLBACKS": ["old-" + "k" * 60],
    "SALT_KEY": ["new-salt", "old-salt"],
}


def test_it_stores_no_clear_text() -> None:
    with override_settings(**OLD):
        stored = encrypt("Min pappa känner inte igen mig längre")
    assert "pappa" not in stored


def test_it_reads_old_text_after_a_rotation_and_writes_with_the_new_keys() -> None:
    with override_settings(**OLD):
        old_stored = encrypt("Situationen hemma är tung")
    with override_settings(**ROTATED):
        assert decrypt(old_stored) == "Situationen hemma är tung"
        new_stored = encrypt("Ny anteckning")
    # Text written after the rotation needs the new key: the old keys alone cannot read it.
    with override_settings(**OLD):
        try:
            result = decrypt(new_stored)
        except Exception:
            result = None
        assert result != "Ny anteckning"
