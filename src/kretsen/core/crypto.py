"""Encrypted text fields for what people write or are called, and the keyed hash of an address.

The fields reuse django-fernet-encrypted-fields (keys derived from ``SECRET_KEY`` and its
fallbacks times ``SALT_KEY``; the first pair writes, every pair reads). They differ from the
library's in two ways:

- blank is ``""`` in Python, stored as NULL (the library writes no ciphertext for an empty
  value), so code that expects a string keeps working;
- a lookup other than ``isnull`` raises ``FieldError``: the same text encrypts differently each
  time, so ``filter(name="Ada")`` could only ever match nothing. Filter through a keyed hash
  (``email_digest``) or in Python after decryption.

``rewrite_column`` with ``encrypted`` rewrites a column under the current key, for the data
migrations and after a key rotation.

An e-mail address is looked up through ``email_digest``: HMAC-SHA256 of the normalised address
with a key derived from ``SECRET_KEY`` (``lookup_digests`` also gives the digests under
``SECRET_KEY_FALLBACKS``, so look-ups keep working between a rotation and
``manage.py reencrypt``). See docs/operations.md, "Keys".
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import IsNull
from encrypted_fields.fields import EncryptedFieldMixin

LOOKUP_KEY_SALT = b"kretsen.core.crypto.email-lookup"


def normalise_email(address: str | None) -> str:
    return (address or "").strip().casefold()


def _lookup_key(secret: str) -> bytes:
    return hmac.new(secret.encode(), LOOKUP_KEY_SALT, hashlib.sha256).digest()


def _digest(address: str, secret: str) -> str:
    return hmac.new(
        _lookup_key(secret), normalise_email(address).encode(), hashlib.sha256
    ).hexdigest()


def email_digest(address: str | None) -> str:
    """The keyed hash stored beside an encrypted address ("" for no address)."""
    if not normalise_email(address):
        return ""
    return _digest(normalise_email(address), settings.SECRET_KEY)


def lookup_digests(address: str) -> list[str]:
    """Digests of ``address`` under the current key and every fallback key."""
    if not normalise_email(address):
        return []
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_digest(address, secret) for secret in secrets]


class _BlankIsEmpty(EncryptedFieldMixin):
    """Mixed into a Django string field (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["null"] = True
        super().__init__(*args, **kwargs)

    def get_default(self) -> Any:
        default = super().get_default()
        return "" if default is None else default

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None:
            return ""
        return super().from_db_value(value, expression, connection)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        return None


class EncryptedCharField(_BlankIsEmpty, models.CharField):
    pass


class EncryptedEmailField(_BlankIsEmpty, models.EmailField):
    pass


class EmailDigestField(models.CharField):
    """``email_digest`` of the row's ``source`` field, set whenever the row is written (also by
    ``bulk_create``, which skips ``Model.save``)."""

    def __init__(self, *args: Any, source: str = "email", **kwargs: Any) -> None:
        self.source = source
        kwargs.update(max_length=64, blank=True, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for fixed in ("max_length", "blank", "editable"):
            kwargs.pop(fixed, None)
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        digest = email_digest(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, digest)
        return digest


def rewrite_column(
    connection: BaseDatabaseWrapper,
    table: str,
    column: str,
    change: Callable[[Any], Any],
    source: str | None = None,
    batch: int = 500,
) -> int:
    """Set ``table.column`` to ``change(value)`` of each row's ``source`` column (the column
    itself by default); returns the number of rows written.

    Raw SQL, so that it works the same from a migration (whose historical models have no
    scoped manager) and from the ``reencrypt`` command."""
    quote = connection.ops.quote_name
    read = quote(source or column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {read} FROM {quote(table)} ORDER BY id")  # noqa: S608
        rows = cursor.fetchall()
    update = f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s"  # noqa: S608
    for start in range(0, len(rows), batch):
        with connection.cursor() as cursor:
            cursor.executemany(
                update, [(change(value), pk) for pk, value in rows[start : start + batch]]
            )
    if connection.vendor == "postgresql" and rows:
        # Check deferred foreign keys now: PostgreSQL refuses to alter a table with pending
        # checks, which a migration going backwards does next.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return len(rows)


# Every Fernet token starts with the version byte 0x80, "gAAAAA" in URL-safe base64.
FERNET_PREFIX = "gAAAAA"


class UnknownKey(ImproperlyConfigured):
    pass


def plaintext(field: models.Field[Any, Any], stored: Any) -> Any:
    """What ``stored`` says: it is decrypted with any configured key, or was plaintext.

    The library hands back a token it cannot decrypt unchanged; encrypting that again would
    bury the text under a key that is gone, so it stops here instead."""
    value = field.to_python(stored)
    if isinstance(stored, str) and value == stored and stored.startswith(FERNET_PREFIX):
        raise UnknownKey(
            "A value is encrypted with a key that is not configured: put the old key back in "
            "SECRET_KEY_FALLBACKS (or its salt in SALT_KEY) and run the command again."
        )
    return value


def encrypted(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """Stored value (plaintext, or text under any known key) to text under the current key."""
    return lambda stored: field.get_prep_value(plaintext(field, stored))


def decrypted(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """Stored value to plaintext, "" for none: what a migration back to a plain column needs."""
    return lambda stored: plaintext(field, stored) or ""


def digest_of(field: models.Field[Any, Any]) -> Callable[[Any], str]:
    """Stored (encrypted) address to its keyed hash under the current key."""
    return lambda stored: email_digest(plaintext(field, stored))
