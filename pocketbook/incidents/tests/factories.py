"""Factories for units, responders, incidents and dispatches."""

import factory

from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.incidents.choices import Channel, IncidentType, Priority, UnitKind
from pocketbook.incidents.models import Dispatch, Incident, Responder, Unit, UnitArea


class UnitFactory(factory.django.DjangoModelFactory):
    """`UnitFactory(areas=["9201"])`."""

    class Meta:
        model = Unit
        skip_postgeneration_save = True

    kind = UnitKind.POLICE_STATION
    name = factory.Sequence(lambda n: f"หน่วย {n}")

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            UnitArea.objects.bulk_create([UnitArea(unit=self, area_code=code) for code in extracted])


class ResponderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responder

    user = factory.SubFactory(UserFactory, roles=[Role.RESPONDER], areas=["9201"])
    unit = factory.SubFactory(UnitFactory, areas=["9201"])


class IncidentFactory(factory.django.DjangoModelFactory):
    """An incident made directly (no routing, no timeline): for selector and page tests."""

    class Meta:
        model = Incident

    number = factory.Sequence(lambda n: f"ESS-2569-{900000 + n:06d}")
    incident_type = IncidentType.ASSAULT
    priority = Priority.HIGH
    channel = Channel.HOTLINE
    area_code = "920101"
    description = "มีคนทะเลาะวิวาท"
    received_at = factory.Faker("date_time_this_month", tzinfo=__import__("datetime").UTC)


class DispatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispatch

    incident = factory.SubFactory(IncidentFactory)
    responder = factory.SubFactory(ResponderFactory)
