from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from kretsen.env import Env


def test_it_reads_yes_and_no() -> None:
    env = Env({"A": "yes", "B": "0", "C": " TRUE "})
    assert env.boolean("A", default=False) is True
    assert env.boolean("B", default=True) is False
    assert env.boolean("C", default=False) is True
    assert env.boolean("MISSING", default=True) is True


def test_it_refuses_a_yes_no_value_it_does_not_understand() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG='maybe' is not a yes/no value"):
        Env({"DEBUG": "maybe"}).boolean("DEBUG", default=False)


def test_it_refuses_a_number_that_is_not_one_or_out_of_range() -> None:
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        Env({"N": "ten"}).integer("N", 1)
    with pytest.raises(ImproperlyConfigured, match="below the smallest allowed 5"):
        Env({"N": "2"}).integer("N", 10, minimum=5)
    with pytest.raises(ImproperlyConfigured, match="above the largest allowed 9"):
        Env({"N": "12"}).integer("N", 1, maximum=9)
    assert Env({"N": "7"}).integer("N", 1, minimum=5, maximum=9) == 7


def test_it_requires_a_value_without_a_default() -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        Env({}).string("SECRET_KEY")
    assert Env({"X": "  "}).string("X", "fallback") == "fallback"


def test_it_splits_lists_on_commas() -> None:
    assert Env({"HOSTS": "a.example, b.example,,"}).strings("HOSTS") == ["a.example", "b.example"]
    assert Env({}).strings("HOSTS", ["x"]) == ["x"]


def test_it_refuses_an_unknown_time_zone() -> None:
    with pytest.raises(ImproperlyConfigured, match="not a known time zone"):
        Env({"TIME_ZONE": "Europe/Atlantis"}).time_zone("TIME_ZONE", "Europe/Oslo")
    assert Env({}).time_zone("TIME_ZONE", "Europe/Oslo") == "Europe/Oslo"


def test_it_refuses_an_unknown_choice() -> None:
    with pytest.raises(ImproperlyConfigured, match="is not one of"):
        Env({"MODE": "c"}).choice("MODE", ["a", "b"], "a")


def test_it_reads_database_urls_and_tunes_sqlite() -> None:
    sqlite = Env({}).database("DATABASE_URL", "sqlite:////tmp/k.sqlite3")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    pg = Env({"DATABASE_URL": "postgres://kretsen:pw@db.example:5433/kretsen"}).database(
        "DATABASE_URL", "sqlite://"
    )
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["HOST"], pg["PORT"], pg["NAME"], pg["USER"]) == (
        "db.example",
        5433,
        "kretsen",
        "kretsen",
    )


def test_it_bounds_database_connections_with_a_pool_per_process() -> None:
    # Persistent connections stay with the ASGI thread that opened them and pile up.
    url = "postgres://kretsen:pw@db.example:5433/kretsen"
    pg = Env({"DATABASE_URL": url}).database("DATABASE_URL", "sqlite://")
    assert pg["CONN_MAX_AGE"] == 0
    assert pg["OPTIONS"]["pool"]["max_size"] == 8
    sized = Env({"DATABASE_URL": url, "DATABASE_POOL_SIZE": "3"}).database("DATABASE_URL", "")
    assert sized["OPTIONS"]["pool"]["max_size"] == 3
    unpooled = Env({"DATABASE_URL": url, "DATABASE_POOL_SIZE": "0"}).database("DATABASE_URL", "")
    assert "pool" not in unpooled.get("OPTIONS", {})


def test_it_refuses_a_database_it_does_not_support() -> None:
    with pytest.raises(ImproperlyConfigured, match="must start with sqlite:// or postgres://"):
        Env({"DATABASE_URL": "mysql://x@y/z"}).database("DATABASE_URL", "sqlite://")


def test_it_reads_mail_urls() -> None:
    smtp = Env({"EMAIL_URL": "smtp://user%40x:p%2Fw@mail.example:587?tls=1"}).email(
        "EMAIL_URL", "console:"
    )
    assert smtp["EMAIL_HOST"] == "mail.example"
    assert smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_USER"] == "user@x"
    assert smtp["EMAIL_HOST_PASSWORD"] == "p/w"
    assert smtp["EMAIL_USE_TLS"] is True
    assert smtp["EMAIL_USE_SSL"] is False
    smtps = Env({"EMAIL_URL": "smtps://mail.example"}).email("EMAIL_URL", "console:")
    assert (smtps["EMAIL_PORT"], smtps["EMAIL_USE_SSL"]) == (465, True)
    assert "console" in Env({}).email("EMAIL_URL", "console:")["EMAIL_BACKEND"]


def test_it_refuses_a_mail_url_it_does_not_understand() -> None:
    with pytest.raises(ImproperlyConfigured, match="must start with smtp://"):
        Env({"EMAIL_URL": "http://mail.example"}).email("EMAIL_URL", "console:")
    with pytest.raises(ImproperlyConfigured, match="names no mail server host"):
        Env({"EMAIL_URL": "smtp://"}).email("EMAIL_URL", "console:")
