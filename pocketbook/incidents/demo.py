"""Demo data for ESS: Trang's units and responders, centroids, and incidents in every state.

Deterministic (through `context.rng`) and idempotent: units and users are looked up by name before
they are made, and incidents are only made when the province has none yet.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.utils import timezone

from pocketbook.accounts.models import User
from pocketbook.accounts.roles import Role
from pocketbook.accounts.services import user_create
from pocketbook.core.demo import DemoContext
from pocketbook.geo.models import District
from pocketbook.incidents import services
from pocketbook.incidents.choices import Channel, IncidentType, Status, UnitKind
from pocketbook.incidents.models import Incident, Responder, SubdistrictCentroid, Unit

DEMO_PASSWORD = "pocketbook-demo"  # noqa: S105 - the demo's published password
SAMPLE_CENTROIDS = Path(__file__).resolve().parent / "data" / "centroids_trang_sample.csv"

# username, first name, last name, which unit ("police" of the first district, or "office")
DEMO_RESPONDERS = [
    ("responder_police1", "สมชาย", "กล้าหาญ", "police"),
    ("responder_police2", "วีระ", "ใจเด็ด", "police"),
    ("responder_office1", "นภา", "ช่วยเหลือ", "office"),
]

OFFICER_FIRST_NAMES = ("ประเสริฐ", "สุรชัย", "อำนาจ", "ธนพล", "กิตติ", "ชัยวัฒน์", "พงศกร", "ณัฐวุฒิ", "อภิชาติ")
OFFICER_LAST_NAMES = ("รักษ์ชุมชน", "มั่นคง", "พิทักษ์ไทย", "ใจกล้า", "ยุติธรรม", "สุขสันต์", "ทองดี", "แก้วมณี", "ศรีสุข")

DESCRIPTIONS: dict[str, str] = {
    IncidentType.ASSAULT: "ได้ยินเสียงทะเลาะและเสียงร้องขอความช่วยเหลือจากบ้านข้างเคียง",
    IncidentType.DOMESTIC_VIOLENCE: "ภรรยาโทรแจ้งว่าสามีเมาสุราและทำร้ายร่างกาย มีเด็กเล็กในบ้าน",
    IncidentType.DERANGED_PERSON: "ชายถือมีดเดินโวยวายในตลาด ชาวบ้านหลบอยู่ในร้าน",
    IncidentType.GATHERING: "กลุ่มวัยรุ่นมั่วสุมดื่มสุราและขับรถเสียงดังหน้าโรงเรียนทุกคืน",
    IncidentType.MISSING_PERSON: "ผู้สูงอายุมีภาวะสมองเสื่อมออกจากบ้านตั้งแต่เช้ายังไม่กลับ",
    IncidentType.HOMELESS: "พบคนไร้บ้านนอนที่ศาลาริมทาง ดูป่วย",
    IncidentType.ELDERLY: "ยายอยู่ลำพัง ไม่มีอาหาร ลูกหลานไปทำงานต่างจังหวัด",
    IncidentType.CONFINEMENT: "เพื่อนบ้านแจ้งว่ามีเด็กถูกขังในห้องหลายวัน",
    IncidentType.UNKNOWN: "",
    IncidentType.BEGGARS: "มีขอทานพาเด็กเล็กนั่งขอเงินหน้าห้าง",
}


def _unit(
    name: str, kind: str, areas: list[str], *, default: bool = False, managers: list[User] | None = None
) -> Unit:
    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        unit = services.unit_create(
            kind=kind, name=name, area_codes=areas, actor=None, is_province_default=default, managers=managers
        )
    return unit


def _units(context: DemoContext) -> dict[str, Unit]:
    province = context.province_code
    manager = context.users.get(Role.MANAGER.value)
    units = {
        "office": _unit(
            "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด (พมจ.)",
            UnitKind.SOCIAL_DEVELOPMENT_OFFICE,
            [province],
            default=True,
            managers=[manager] if manager else None,
        ),
        "hotline": _unit("ทีมสายด่วน 1300 ประจำจังหวัด", UnitKind.HOTLINE_TEAM, [province]),
    }
    for index, district in enumerate(District.objects.filter(province_id=province).order_by("code")):
        unit = _unit(f"สถานีตำรวจภูธร{district.name_th}", UnitKind.POLICE_STATION, [district.code])
        units[f"police:{district.code}"] = unit
        if index == 0:
            units["police"] = unit
            if manager and not unit.managers.exists():
                unit.managers.add(manager)
    return units


def _responders(context: DemoContext, units: dict[str, Unit]) -> list[Responder]:
    police = units["police"]
    district_code = police.area_codes[0]
    responders = []
    for username, first_name, last_name, unit_key in DEMO_RESPONDERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            area = district_code if unit_key == "police" else context.province_code
            user = user_create(
                username=username,
                password=DEMO_PASSWORD,
                roles=[Role.RESPONDER],
                area_codes=[area],
                actor=None,
                first_name=first_name,
                last_name=last_name,
            )
        responders.append(services.responder_add(unit=units[unit_key], user=user, actor=None))
    responders.extend(_district_police_officers(units, first_station=police))
    shared = context.users.get(Role.RESPONDER.value)
    if shared is not None:
        responders.insert(0, services.responder_add(unit=police, user=shared, actor=None))
    return responders


def _district_police_officers(units: dict[str, Unit], *, first_station: Unit) -> list[Responder]:
    """One officer at every other district's station, so an incident routed there is offered its own responder."""
    responders = []
    stations = [unit for key, unit in sorted(units.items()) if key.startswith("police:") and unit != first_station]
    for number, station in enumerate(stations):
        district_code = station.area_codes[0]
        username = f"responder_{district_code}"
        user = User.objects.filter(username=username).first() or user_create(
            username=username,
            password=DEMO_PASSWORD,
            roles=[Role.RESPONDER],
            area_codes=[district_code],
            actor=None,
            first_name=OFFICER_FIRST_NAMES[number % len(OFFICER_FIRST_NAMES)],
            last_name=OFFICER_LAST_NAMES[number % len(OFFICER_LAST_NAMES)],
        )
        responders.append(services.responder_add(unit=station, user=user, actor=None))
    return responders


def _centroids(context: DemoContext) -> None:
    if (
        context.province_code == "92"
        and not SubdistrictCentroid.objects.filter(subdistrict_code__startswith="92").exists()
    ):
        with SAMPLE_CENTROIDS.open(encoding="utf-8") as handle:
            services.centroids_load(handle=handle, source="demo sample (approximate)")


def _backdate(incident: Incident, minutes: int) -> None:
    """Make a demo incident look as if it came in `minutes` ago (demo data only)."""
    received = timezone.now() - dt.timedelta(minutes=minutes)
    Incident.objects.filter(pk=incident.pk).update(received_at=received)
    incident.events.update(time=received)
    incident.received_at = received


def _incidents(context: DemoContext, units: dict[str, Unit], responders: list[Responder]) -> int:
    rng = context.rng
    operator = context.users[Role.ESS_OPERATOR.value]  # seed_demo makes a user of every role
    villages = context.village_codes or [context.province_code]
    centroids = list(SubdistrictCentroid.objects.filter(subdistrict_code__startswith=context.province_code))
    home_district = units["police"].area_codes[0]
    local_villages = [code for code in villages if code.startswith(home_district)] or villages

    def point() -> tuple[float | None, float | None]:
        if not centroids:
            return None, None
        centre = rng.choice(centroids)
        return centre.latitude + rng.uniform(-0.01, 0.01), centre.longitude + rng.uniform(-0.01, 0.01)

    def open_one(incident_type: str, channel: str, minutes_ago: int, **extra: Any) -> Incident:
        placed = extra.pop("placed", True)
        latitude, longitude = point() if channel == Channel.LINE and placed else (None, None)
        incident = services.incident_open(
            incident_type=incident_type,
            channel=channel,
            description=DESCRIPTIONS.get(incident_type, ""),
            latitude=latitude,
            longitude=longitude,
            area_code=extra.pop("area_code", rng.choice(local_villages) if channel != Channel.LINE else ""),
            reporter_line_user_id=f"Udemo{rng.randrange(10**8):08d}" if channel == Channel.LINE else "",
            reporter_phone=f"08{rng.randrange(10**8):08d}" if channel == Channel.HOTLINE else "",
            actor=operator if channel != Channel.LINE else None,
            **extra,
        )
        _backdate(incident, minutes_ago)
        return incident

    made = []
    # received: a silent SOS just now, and one nobody has touched for 20 minutes (it will be overdue)
    made.append(open_one(IncidentType.UNKNOWN, Channel.LINE, 1))
    made.append(open_one(IncidentType.DERANGED_PERSON, Channel.LINE, 20))
    made.append(open_one(IncidentType.ELDERLY, Channel.HOTLINE, 3, reporter_name="นางสมใจ"))
    # a LINE report nobody could place: it waits at the province's office to be confirmed
    made.append(open_one(IncidentType.GATHERING, Channel.LINE, 8, address_text="หลังตลาดนัด ใกล้วัด", placed=False))
    acknowledged = open_one(IncidentType.MISSING_PERSON, Channel.HOTLINE, 12, reporter_name="นายประสิทธิ์")
    services.incident_acknowledge(incident=acknowledged, actor=operator)
    dispatched = open_one(IncidentType.DOMESTIC_VIOLENCE, Channel.HOTLINE, 25, people_involved="ภรรยา บุตร 2 คน")
    services.incident_acknowledge(incident=dispatched, actor=operator)
    services.incident_dispatch(incident=dispatched, responders=responders[:1], actor=operator, note="ไปกับตำรวจหญิง")
    on_scene = open_one(IncidentType.ASSAULT, Channel.LINE, 40)
    [dispatch] = services.incident_dispatch(incident=on_scene, responders=responders[1:2], actor=operator)
    services.dispatch_accept(dispatch=dispatch, actor=dispatch.responder.user)
    services.dispatch_on_scene(dispatch=dispatch, actor=dispatch.responder.user)
    resolved = open_one(IncidentType.CONFINEMENT, Channel.LINE, 180)
    [dispatch] = services.incident_dispatch(incident=resolved, responders=responders[2:3], actor=operator)
    services.dispatch_on_scene(dispatch=dispatch, actor=dispatch.responder.user)
    services.dispatch_complete(
        dispatch=dispatch, outcome="ช่วยเหลือเด็กออกมาได้ ส่งบ้านพักเด็กและครอบครัว", actor=dispatch.responder.user
    )
    referred = open_one(IncidentType.HOMELESS, Channel.HOTLINE, 300)
    services.incident_status_change(
        incident=referred, status=Status.REFERRED, actor=operator, note="ส่งต่อศูนย์คุ้มครองคนไร้ที่พึ่ง"
    )
    false_alarm = open_one(IncidentType.BEGGARS, Channel.WALK_IN, 400)
    services.incident_status_change(incident=false_alarm, status=Status.FALSE_ALARM, actor=operator, note="ไม่พบ")
    original = open_one(IncidentType.GATHERING, Channel.HOTLINE, 60)
    duplicate = open_one(IncidentType.GATHERING, Channel.LINE, 58)
    services.incident_merge(incident=duplicate, into=original, actor=operator)
    made += [acknowledged, dispatched, on_scene, resolved, referred, false_alarm, original, duplicate]
    services.incidents_escalate_overdue()
    return len(made)


def seed(context: DemoContext) -> None:
    """Add Trang's ESS units, responders, centroids and incidents in every state."""
    units = _units(context)
    responders = _responders(context, units)
    _centroids(context)
    if Incident.objects.filter(area_code__startswith=context.province_code).exists():
        context.write(f"ESS: {len(units)} units, {len(responders)} responders (incidents already there).")
        return
    count = _incidents(context, units, responders)
    context.write(f"ESS: {len(units)} units, {len(responders)} responders, {count} incidents in every state.")
