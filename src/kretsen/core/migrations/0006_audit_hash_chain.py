"""Chain the audit trail by hashes (decision 0105) and chain the rows written so far.

The rows written before are chained in id order, one chain per organisation and one for rows
without one, each with a fresh seal nonce; rows retention already pseudonymised get an
empty nonce. The append-only triggers are dropped while the rows are chained (SQLite also
loses them when it rebuilds the table for the new columns) and created again, now also
keeping the new columns unchanged; retention's one permitted UPDATE also erases the nonce.
"""

import importlib
import secrets

import django.utils.timezone
from django.db import migrations, models

from kretsen.core.audit_chain import GENESIS, actor_seal, link_hash

SAME = (
    "NEW.id IS NOT DISTINCT FROM OLD.id AND NEW.at IS NOT DISTINCT FROM OLD.at "
    "AND NEW.action IS NOT DISTINCT FROM OLD.action "
    "AND NEW.object_type IS NOT DISTINCT FROM OLD.object_type "
    "AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id "
    "AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id "
    "AND NEW.data IS NOT DISTINCT FROM OLD.data "
    "AND NEW.chain_seq IS NOT DISTINCT FROM OLD.chain_seq "
    "AND NEW.chain_hash IS NOT DISTINCT FROM OLD.chain_hash "
    "AND NEW.actor_seal IS NOT DISTINCT FROM OLD.actor_seal "
    "AND NEW.seal_nonce = '' "
    "AND NEW.actor_id IS NULL AND NEW.ip_address IS NULL "
    "AND NEW.actor_label LIKE 'pseudonym:%' AND OLD.actor_label NOT LIKE 'pseudonym:%'"
)
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {SAME} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_TRIGGER = """
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""
POSTGRES_DROP = "DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent;"
SQLITE_TRIGGER = f"""
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
WHEN NOT ({SAME.replace("IS NOT DISTINCT FROM", "IS")})
BEGIN
    SELECT RAISE(ABORT, 'The audit trail is append-only');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS core_auditevent_no_update;"


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION, params=None)
        schema_editor.execute(POSTGRES_TRIGGER, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER, params=None)


def chain_existing_rows(apps, schema_editor):
    Event = apps.get_model("core", "AuditEvent")
    Head = apps.get_model("core", "AuditChainHead")
    heads = {}
    for event in Event._base_manager.order_by("id").iterator(chunk_size=2000):
        chain = event.organisation_id or 0
        seq, previous = heads.get(chain, (0, GENESIS))
        pseudonymised = event.actor_id is None and event.actor_label.startswith("pseudonym:")
        nonce = "" if pseudonymised else secrets.token_hex(16)
        seal = actor_seal(nonce, event.actor_id, event.actor_label, event.ip_address)
        seq += 1
        digest = link_hash(
            previous,
            seq,
            event.organisation_id,
            event.at,
            event.action,
            event.object_type,
            event.object_id,
            event.data,
            seal,
        )
        Event._base_manager.filter(pk=event.pk).update(
            chain_seq=seq, chain_hash=digest, actor_seal=seal, seal_nonce=nonce
        )
        heads[chain] = (seq, digest)
    Head.objects.bulk_create(
        Head(chain=chain, seq=seq, hash=digest) for chain, (seq, digest) in heads.items()
    )


def unchain(apps, schema_editor):
    Head = apps.get_model("core", "AuditChainHead")
    Head.objects.all().delete()


def restore_previous_triggers(apps, schema_editor):
    previous = importlib.import_module("kretsen.core.migrations.0005_audit_pseudonymise")
    previous.forwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_pseudonymise")]

    operations = [
        migrations.RunPython(drop_triggers, restore_previous_triggers),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("chain", models.BigIntegerField(unique=True)),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="AuditCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(unique=True)),
                ("queued_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("breaks", models.JSONField(blank=True, default=list)),
            ],
            options={
                "ordering": ["-day"],
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_seal",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_seq",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seal_nonce",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["organisation", "chain_seq"], name="audit_chain_idx"),
        ),
        migrations.RunPython(chain_existing_rows, unchain),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
