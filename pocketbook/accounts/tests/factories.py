"""Factories for users with roles and areas."""

import factory
from django.contrib.auth.models import Group

from pocketbook.accounts.models import AreaAssignment, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """`UserFactory(roles=[Role.VOLUNTEER], areas=["920101"])`; the password is `PASSWORD`."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "ทดสอบ"
    last_name = "ผู้ใช้"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[str(role) for role in extracted]))

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            AreaAssignment.objects.bulk_create([AreaAssignment(user=self, area_code=code) for code in extracted])
