"""Issue a one-time two-factor enrolment code for a user (the first superuser, or when no administrator is at hand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pocketbook.accounts.models import User
from pocketbook.accounts.services import two_factor_enrolment_issue


class Command(BaseCommand):
    help = "Print a one-time code with which USERNAME may enrol an authenticator app (earlier codes lapse)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user {options['username']!r}.")
        self.stdout.write(two_factor_enrolment_issue(user=user, actor=None))
