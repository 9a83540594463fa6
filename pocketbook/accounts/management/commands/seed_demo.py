"""`pocketbook seed_demo`: build a believable Trang province (code 92) for trying Pocketbook.

Deterministic (one random seed), idempotent (running it again keeps what is there) and sized by
options. Each domain app that has demo data registers a `DemoSeeder` (pocketbook.core.demo) in its
`AppConfig.ready()`; this command runs them in dependency order, after the users and villages they need.
"""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pocketbook.accounts.models import User
from pocketbook.accounts.roles import Role
from pocketbook.accounts.services import user_create
from pocketbook.core.demo import DemoContext, demo_seeders
from pocketbook.geo.models import District, Subdistrict
from pocketbook.geo.services import village_ensure

DEMO_PASSWORD = "pocketbook-demo"  # noqa: S105 - printed on purpose: demo accounts only
VILLAGE_NAMES = [
    "บ้านนาตาล่วง",
    "บ้านหนองยวน",
    "บ้านควนขัน",
    "บ้านบางรัก",
    "บ้านโคกหล่อ",
    "บ้านนาโยง",
    "บ้านทุ่งค่าย",
    "บ้านหาดสำราญ",
    "บ้านย่านตาขาว",
    "บ้านปะเหลียน",
    "บ้านสิเกา",
    "บ้านห้วยยอด",
    "บ้านวังวิเศษ",
    "บ้านรัษฎา",
    "บ้านคลองปาง",
    "บ้านทุ่งยาว",
    "บ้านนาวง",
    "บ้านลำภูรา",
    "บ้านควนกุน",
    "บ้านบ่อหิน",
]


# username, role, area (relative to the demo province), first name, last name
DEMO_USERS = [
    ("volunteer", Role.VOLUNTEER, "village", "สมศรี", "ใจดี"),
    ("socialworker", Role.SOCIAL_WORKER, "subdistrict", "วิภา", "รักษ์ชุมชน"),
    ("operator", Role.ESS_OPERATOR, "province", "ธนา", "เฝ้าระวัง"),
    ("responder", Role.RESPONDER, "district", "ชาติชาย", "พร้อมช่วย"),
    ("manager", Role.MANAGER, "province", "อรุณี", "บริหารดี"),
    ("analyst", Role.ANALYST, "province", "ปกรณ์", "วิเคราะห์"),
    ("admin", Role.ADMINISTRATOR, "province", "สุดา", "ดูแลระบบ"),
]


class Command(BaseCommand):
    help = "Build (or complete) the demo data for one province. Safe to run again: it keeps what is there."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--province", default=None, help="Province code (default: HOME_PROVINCE_CODE, 92 Trang)")
        parser.add_argument("--seed", type=int, default=2566, help="Random seed (the same seed gives the same data)")
        parser.add_argument("--households", type=int, default=300, help="Households to create (other apps)")
        parser.add_argument("--villages-per-subdistrict", type=int, default=3)
        parser.add_argument("--subdistricts-per-district", type=int, default=2)
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins")

    def handle(self, *args: Any, **options: Any) -> None:
        province_code = options["province"] or settings.HOME_PROVINCE_CODE
        if not District.objects.filter(province_id=province_code).exists():
            raise CommandError(f"Unknown province code {province_code!r} (run `pocketbook load_geography` first?).")
        rng = random.Random(options["seed"])
        with transaction.atomic():
            village_codes = self._villages(province_code, rng, options)
            users = self._users(province_code, village_codes)
        context = DemoContext(
            rng=rng,
            province_code=province_code,
            size="default",
            households=options["households"],
            users=users,
            village_codes=village_codes,
            write=self.stdout.write,
        )
        for seeder in demo_seeders():
            with transaction.atomic():
                seeder.seed(context)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(village_codes)} villages in province {province_code}.")
        )
        if not options["quiet_logins"]:
            self._print_logins(users)

    def _villages(self, province_code: str, rng: random.Random, options: dict[str, Any]) -> list[str]:
        codes: list[str] = []
        for district in District.objects.filter(province_id=province_code).order_by("code"):
            subdistricts = list(Subdistrict.objects.filter(district=district).order_by("code"))
            for subdistrict in subdistricts[: options["subdistricts_per_district"]]:
                for number in range(1, options["villages_per_subdistrict"] + 1):
                    name = VILLAGE_NAMES[(int(subdistrict.code) + number) % len(VILLAGE_NAMES)]
                    village = village_ensure(subdistrict_code=subdistrict.code, number=number, name=name, actor=None)
                    codes.append(village.code)
        return codes

    def _users(self, province_code: str, village_codes: list[str]) -> dict[str, User]:
        first_village = village_codes[0]
        areas = {
            "province": province_code,
            "district": first_village[:4],
            "subdistrict": first_village[:6],
            "village": first_village,
        }
        users = {}
        for username, role, level, first_name, last_name in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    password=DEMO_PASSWORD,
                    roles=[role],
                    area_codes=[areas[level]],
                    actor=None,
                    first_name=first_name,
                    last_name=last_name,
                )
            users[role.value] = user
        return users

    def _print_logins(self, users: dict[str, User]) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for role in Role:
            user = users.get(role.value)
            if user is not None:
                self.stdout.write(f"  {role.label!s:<28} {user.username:<14} areas: {', '.join(user.area_codes())}")
