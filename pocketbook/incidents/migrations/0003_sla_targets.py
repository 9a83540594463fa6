"""Load the SLA targets per priority (data, editable in the admin afterwards)."""

from django.db import migrations

# priority: acknowledge, dispatch, on scene (minutes from receipt)
TARGETS = {"high": (5, 15, 60), "medium": (15, 60, 240), "low": (60, 240, 1440)}


def load(apps, schema_editor):
    SlaTarget = apps.get_model("incidents", "SlaTarget")
    for priority, (acknowledge, dispatch, on_scene) in TARGETS.items():
        SlaTarget.objects.get_or_create(
            priority=priority,
            defaults={"acknowledge_minutes": acknowledge, "dispatch_minutes": dispatch, "on_scene_minutes": on_scene},
        )


def unload(apps, schema_editor):
    apps.get_model("incidents", "SlaTarget").objects.filter(priority__in=TARGETS).delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_incidents")]
    operations = [migrations.RunPython(load, unload)]
