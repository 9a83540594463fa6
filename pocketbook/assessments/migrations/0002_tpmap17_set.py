"""Ship the 17 TPMAP indicators of จปฐ. 2560–2564 as the current set (data, read from the app's YAML file)."""

from django.db import migrations


def load(apps, schema_editor):
    from pocketbook.assessments.loading import SHIPPED_SET, read_set_file, write_set

    IndicatorSet = apps.get_model("assessments", "IndicatorSet")
    Indicator = apps.get_model("assessments", "Indicator")
    spec = read_set_file(SHIPPED_SET)
    if not IndicatorSet.objects.filter(code=spec.code).exists():
        write_set(IndicatorSet, Indicator, spec, current=not IndicatorSet.objects.filter(is_current=True).exists())


def unload(apps, schema_editor):
    IndicatorSet = apps.get_model("assessments", "IndicatorSet")
    IndicatorSet.objects.filter(code="bmn-2560-2564-tpmap17", assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
