"""Audit rows name the relatives a read showed (``subjects``, decision 0115), and the chain
and the append-only trigger cover them (decision 0105).

Nullable without a default, so that SQLite adds the column in place instead of rebuilding the
table. The trigger is then made anew with ``subjects`` among the columns no UPDATE may change.
"""

from importlib import import_module

from django.db import migrations, models

previous = import_module("kretsen.core.migrations.0006_audit_hash_chain")

SAME = previous.SAME.replace(
    "AND NEW.data IS NOT DISTINCT FROM OLD.data ",
    "AND NEW.data IS NOT DISTINCT FROM OLD.data "
    "AND NEW.subjects IS NOT DISTINCT FROM OLD.subjects ",
)
assert SAME != previous.SAME


def create_triggers(apps, schema_editor):
    previous.drop_triggers(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(previous.POSTGRES_FUNCTION.replace(previous.SAME, SAME), params=None)
        schema_editor.execute(previous.POSTGRES_TRIGGER, params=None)
    elif vendor == "sqlite":
        same = previous.SAME.replace("IS NOT DISTINCT FROM", "IS")
        schema_editor.execute(
            previous.SQLITE_TRIGGER.replace(same, SAME.replace("IS NOT DISTINCT FROM", "IS")),
            params=None,
        )


def restore_previous_triggers(apps, schema_editor):
    previous.drop_triggers(apps, schema_editor)
    previous.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_heartbeat")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="subjects",
            field=models.JSONField(blank=True, null=True, verbose_name="people shown"),
        ),
        migrations.RunPython(create_triggers, restore_previous_triggers),
    ]
