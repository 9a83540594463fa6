"""Timeline entries of linked households keep the household's id, no longer its house number; the audit
trail keeps no reporter's name, phone or LINE id, nor the address typed (PDPA)."""

from django.db import migrations

from pocketbook.audit.migration_helpers import forget_personal_values


def keep_only_the_household_id(apps, schema_editor):
    IncidentEvent = apps.get_model("incidents", "IncidentEvent")
    for event in IncidentEvent.objects.filter(kind="household_linked").select_related("incident").iterator():
        event.params = {"household_id": event.incident.household_id}
        event.save(update_fields=["params"])


def audit_without_reporters(apps, schema_editor):
    fields = ("reporter_name", "reporter_phone", "reporter_line_user_id", "address_text", "description", "people_involved")
    forget_personal_values(apps, "incidents", "incident", fields, None)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0004_incident_household"),
        ("audit", "0002_area_code"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(keep_only_the_household_id, migrations.RunPython.noop),
        migrations.RunPython(audit_without_reporters, migrations.RunPython.noop),
    ]
