"""The visit cadences the office starts with; they are data and may be changed in the admin."""

from django.db import migrations

CADENCES = [
    ("open_case", 7, "ทุกสัปดาห์ (ครัวเรือนที่มีเคสเปิดอยู่)", "Weekly (household with an open case)"),
    ("vulnerable", 30, "ทุกเดือน (ครัวเรือนเปราะบาง)", "Monthly (vulnerable household)"),
    ("default", 90, "ทุกสามเดือน (ครัวเรือนอื่น)", "Quarterly (other households)"),
]


def add_cadences(apps, schema_editor):
    VisitCadence = apps.get_model("volunteers", "VisitCadence")
    for condition, days, label_th, label_en in CADENCES:
        VisitCadence.objects.get_or_create(
            condition=condition, defaults={"interval_days": days, "label_th": label_th, "label_en": label_en}
        )


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(add_cadences, migrations.RunPython.noop)]
