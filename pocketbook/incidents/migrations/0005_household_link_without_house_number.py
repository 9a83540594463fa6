"""Timeline entries of linked households keep the household's id, no longer its house number."""

from django.db import migrations


def keep_only_the_household_id(apps, schema_editor):
    IncidentEvent = apps.get_model("incidents", "IncidentEvent")
    for event in IncidentEvent.objects.filter(kind="household_linked").select_related("incident").iterator():
        event.params = {"household_id": event.incident.household_id}
        event.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("incidents", "0004_incident_household")]

    operations = [migrations.RunPython(keep_only_the_household_id, migrations.RunPython.noop)]
