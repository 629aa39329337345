"""Audit rows name the relatives a read showed (``subjects``, decision 0115).

Adding a column with a default makes SQLite rebuild the table, which drops its trigger, so
the append-only trigger of 0005 is installed again, now also keeping ``subjects`` unchanged
when retention pseudonymises the actor. PostgreSQL keeps its trigger; its function gets the
same extra condition.
"""

import importlib

from django.db import migrations, models

previous = importlib.import_module("kretsen.core.migrations.0005_audit_pseudonymise")
SAME = previous.SAME + " AND NEW.subjects IS NOT DISTINCT FROM OLD.subjects"


def _install(schema_editor, same: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(previous.POSTGRES_UP.replace(previous.SAME, same), params=None)
    elif vendor == "sqlite":
        sqlite_same = previous.SAME.replace("IS NOT DISTINCT FROM", "IS")
        trigger = previous.SQLITE_UP.replace(
            sqlite_same, same.replace("IS NOT DISTINCT FROM", "IS")
        )
        schema_editor.execute(previous.SQLITE_DROP, params=None)
        schema_editor.execute(trigger, params=None)


def forwards(apps, schema_editor):
    _install(schema_editor, SAME)


def backwards(apps, schema_editor):
    _install(schema_editor, previous.SAME)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_pseudonymise")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="subjects",
            field=models.JSONField(blank=True, default=list, verbose_name="people shown"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
