"""Start-up with production-like values: what refuses to start and what passes check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "roduction-like-secret-for-the-deploy-check-9f8e7d6c5b4a",
    "SALT_KEY": "production-like-salt-7a6b5c",
    "ALLOWED_HOSTS": "kretsen.example.org",
    "DATABASE_URL": "sqlite:////tmp/kretsen-deploy-check.sqlite3",
    "EMAIL_URL": "smtp://mail.example.org:587?tls=1",
    "KRETSEN_VAR_DIR": "/tmp/kretsen-deploy-check",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Only the basics of the current environment: the test settings' own values stay out.
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "kretsen.settings"
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_it_passes_the_deployment_check_with_production_values() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("", "SECRET_KEY must be set"),
        (
            "development-only-not-secret-kretsen-0123456789-abcdefghijklmnop",
            "SECRET_KEY must be set",
        ),
        ("django-insecure-" + "x" * 50, "SECRET_KEY must be set"),
        ("short-secret", "at least 50 characters"),
    ],
)
def test_it_refuses_to_start_without_a_real_secret(secret: str, message: str) -> None:
    result = run_manage("check", **{**PRODUCTION, "SECRET_KEY": secret})
    assert result.returncode != 0
    assert message in result.stderr


def test_it_refuses_to_start_without_a_salt_for_encrypted_text() -> None:
    result = run_manage("check", **{**PRODUCTION, "SALT_KEY": ""})
    assert result.returncode != 0
    assert "SALT_KEY must be set" in result.stderr


def test_it_names_the_variable_it_cannot_read() -> None:
    result = run_manage("check", **{**PRODUCTION, "SESSION_IDLE_MINUTES": "soon"})
    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES='soon' is not a whole number" in result.stderr


def test_it_starts_in_development_without_any_configuration() -> None:
    result = run_manage("check", DEBUG="1", KRETSEN_VAR_DIR="/tmp/kretsen-dev-check")
    assert result.returncode == 0, result.stderr
