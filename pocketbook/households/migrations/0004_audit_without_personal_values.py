"""The audit trail keeps no personal value of households, members, consents (PDPA): clean the rows written before."""

from django.db import migrations

from pocketbook.audit.migration_helpers import forget_personal_values

PERSONAL = {
    "household": (("house_no", "address", "phone", "gps_lat", "gps_lng"), "household #{pk}"),
    "member": (("title", "first_name", "last_name", "birth_date", "occupation", "national_id_last_digit"), "member #{pk}"),
    "consent": (("given_by_name", "withdrawn_reason"), "consent #{pk}"),
    "householdphoto": (("caption",), None),
}


def forget(apps, schema_editor):
    for model_name, (fields, label) in PERSONAL.items():
        forget_personal_values(apps, "households", model_name, fields, label)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0003_household_photo"),
        ("audit", "0002_area_code"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
