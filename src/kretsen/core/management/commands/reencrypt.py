"""Rewrite every encrypted column, and every e-mail digest, under the current keys."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from encrypted_fields.fields import EncryptedFieldMixin

from kretsen.core import crypto


class Command(BaseCommand):
    help = (
        "After a key rotation (docs/operations.md, Keys): encrypt every stored text again with "
        "the first SECRET_KEY and SALT_KEY and recompute the e-mail digests, so that the old "
        "keys can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                for model in apps.get_models():
                    table = model._meta.db_table
                    fields = {field.name: field for field in model._meta.concrete_fields}
                    for field in fields.values():
                        if isinstance(field, EncryptedFieldMixin):
                            rows = crypto.rewrite_column(
                                connection, table, field.column, crypto.encrypted(field)
                            )
                            self.stdout.write(f"{table}.{field.column}: {rows} rows")
                    if "email_hash" in fields and isinstance(
                        fields.get("email"), EncryptedFieldMixin
                    ):
                        crypto.rewrite_column(
                            connection,
                            table,
                            "email_hash",
                            crypto.digest_of(fields["email"]),
                            source=fields["email"].column,
                        )
                        self.stdout.write(f"{table}.email_hash: recomputed")
        except crypto.UnknownKey as error:
            raise CommandError(str(error)) from None
