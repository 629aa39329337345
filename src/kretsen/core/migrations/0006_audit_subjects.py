"""Audit rows name the relatives a read showed (``subjects``, decision 0115).

Nullable without a default, so that SQLite adds the column in place instead of rebuilding
the table, which would drop the append-only trigger of 0002/0005.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_pseudonymise")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="subjects",
            field=models.JSONField(blank=True, null=True, verbose_name="people shown"),
        ),
    ]
