"""Load Thailand's 77 provinces, 928 districts and 7,436 subdistricts from geothai (CC BY 4.0).

A data migration, so every new database (the demo's, the tests', production's) has the areas.
`pocketbook load_geography` refreshes them after a geothai upgrade.
"""

import geothai
from django.db import migrations


def load(apps, schema_editor):
    Province = apps.get_model("geo", "Province")
    District = apps.get_model("geo", "District")
    Subdistrict = apps.get_model("geo", "Subdistrict")
    provinces, districts, subdistricts = [], [], []
    for p in geothai.provinces():
        provinces.append(Province(code=p.code, name_th=p.name_th, name_en=p.name_en))
        for d in geothai.districts(p.code):
            districts.append(District(code=d.code, name_th=d.name_th, name_en=d.name_en, province_id=p.code))
            for s in geothai.subdistricts(d.code):
                subdistricts.append(
                    Subdistrict(
                        code=s.code,
                        name_th=s.name_th,
                        name_en=s.name_en,
                        district_id=d.code,
                        postal_codes=" ".join(s.postal_codes),
                    )
                )
    Province.objects.bulk_create(provinces, batch_size=500, ignore_conflicts=True)
    District.objects.bulk_create(districts, batch_size=500, ignore_conflicts=True)
    Subdistrict.objects.bulk_create(subdistricts, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
