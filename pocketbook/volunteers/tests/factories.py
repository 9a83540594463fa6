"""Factories for volunteers and training projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from pocketbook.volunteers import training_services
from pocketbook.volunteers.models import Participant, TrainingProject, TrainingSession, Volunteer, VolunteerArea

HOME_VILLAGE = "92010101"


class VolunteerFactory(factory.django.DjangoModelFactory):
    """`VolunteerFactory(areas=["92010101"])`: an active volunteer serving those areas (default: the home village)."""

    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda n: f"อาสา{n}")
    last_name = "ใจบุญ"
    home_area_code = HOME_VILLAGE
    started_on = dt.date(2020, 1, 1)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create:
            codes = extracted if extracted is not None else [self.home_area_code]
            VolunteerArea.objects.bulk_create([VolunteerArea(volunteer=self, area_code=code) for code in codes])


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingProject

    title = "การพัฒนาศักยภาพอาสาสมัคร"
    organiser = "ชมรมอาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง"
    venue = "ห้องภัชรัตน์ โรงแรมวัฒนาพาร์ค"
    area_code = "92"
    starts_on = dt.date(2023, 6, 2)
    ends_on = dt.date(2023, 6, 2)
    fiscal_year = 2566
    planned_amount = Decimal("150000")
    spent_amount = Decimal("142500")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    project = factory.SubFactory(ProjectFactory)
    topic = "บทบาทหน้าที่ของ อพม."
    starts_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.project.starts_on, dt.time(9, 0), tzinfo=dt.timezone(dt.timedelta(hours=7)))
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    project = factory.SubFactory(ProjectFactory)
    role = "staff"
    first_name = factory.Sequence(lambda n: f"ผู้เข้าร่วม{n}")
    last_name = "ตรังดี"


def project_input(**changes: object) -> training_services.ProjectInput:
    """What the project form gives the services: the 2 June 2566 workshop, with `changes`."""
    data: dict[str, object] = {
        "title": "การพัฒนาศักยภาพอาสาสมัคร",
        "organiser": "ชมรมอาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง",
        "venue": "ห้องภัชรัตน์ โรงแรมวัฒนาพาร์ค",
        "area_code": "92",
        "starts_on": dt.date(2023, 6, 2),
        "ends_on": dt.date(2023, 6, 2),
        "fiscal_year": 2566,
        "planned_amount": Decimal("120000"),
        **changes,
    }
    return training_services.ProjectInput(**data)  # type: ignore[arg-type]
