"""A leader profile's one area becomes a list of areas (decision 0095)."""

from typing import Any

from django.db import migrations, models


def areas_from_area(apps: Any, schema_editor: Any) -> None:
    profiles = apps.get_model("groups", "LeaderProfile")
    for profile in profiles.objects.exclude(area=""):
        name = profile.area.strip()
        profiles.objects.filter(pk=profile.pk).update(areas=[name] if name else [])


def area_from_areas(apps: Any, schema_editor: Any) -> None:
    # Back to one area: the first one; a leader with several areas keeps only that one.
    profiles = apps.get_model("groups", "LeaderProfile")
    for profile in profiles.objects.all():
        names = profile.areas or []
        profiles.objects.filter(pk=profile.pk).update(area=(names[0] if names else "")[:80])


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0006_notice_accepted_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="leaderprofile",
            name="areas",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Parts of town or villages. None: any area works.",
                verbose_name="areas for groups that meet in person",
            ),
        ),
        migrations.RunPython(areas_from_area, area_from_areas),
        migrations.RemoveField(
            model_name="leaderprofile",
            name="area",
        ),
    ]
