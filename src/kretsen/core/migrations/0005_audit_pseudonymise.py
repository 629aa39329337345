"""Let retention pseudonymise the actor of audit rows, and nothing else (decision 0086).

The triggers of 0002 refused every UPDATE. Now one UPDATE passes: every column unchanged
except ``actor_id`` and ``ip_address`` set to NULL and ``actor_label`` replaced by a label
starting with ``pseudonym:`` where it did not before. DELETE stays refused on PostgreSQL.
"""

from django.db import migrations

SAME = (
    "NEW.id IS NOT DISTINCT FROM OLD.id AND NEW.at IS NOT DISTINCT FROM OLD.at "
    "AND NEW.action IS NOT DISTINCT FROM OLD.action "
    "AND NEW.object_type IS NOT DISTINCT FROM OLD.object_type "
    "AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id "
    "AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id "
    "AND NEW.data IS NOT DISTINCT FROM OLD.data "
    "AND NEW.actor_id IS NULL AND NEW.ip_address IS NULL "
    "AND NEW.actor_label LIKE 'pseudonym:%' AND OLD.actor_label NOT LIKE 'pseudonym:%'"
)

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {SAME} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_DOWN = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_UP = f"""
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
WHEN NOT ({SAME.replace("IS NOT DISTINCT FROM", "IS")})
BEGIN
    SELECT RAISE(ABORT, 'The audit trail is append-only');
END;
"""
SQLITE_DOWN = """
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN
    SELECT RAISE(ABORT, 'The audit trail is append-only');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS core_auditevent_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)
        schema_editor.execute(SQLITE_UP, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)
        schema_editor.execute(SQLITE_DOWN, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_alter_organisation_retention_days")]

    operations = [migrations.RunPython(forwards, backwards)]
