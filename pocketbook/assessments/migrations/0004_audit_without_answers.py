"""The audit trail keeps no copy of an assessment's answers (members' birth dates among them): clean older rows."""

from django.db import migrations

from pocketbook.audit.migration_helpers import forget_personal_values


def forget(apps, schema_editor):
    forget_personal_values(apps, "assessments", "assessment", ("answers", "gps_lat", "gps_lng"), None)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_results_digest"),
        ("audit", "0002_area_code"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
