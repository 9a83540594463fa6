"""Demo data: Trang's volunteers with their households and visit schedules, and the 2 June 2566 training project.

Deterministic and idempotent: the seeder draws from its own generator seeded by the province (the shared
`context.rng` is drawn differently by the seeders before it on a second run); volunteers are found again by
their national ID and the project by its title and date, so a second run adds nothing. Written through the
services, so the audit trail and the timelines are as real use leaves them.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from stdnum.th import pin

from pocketbook.accounts.models import User
from pocketbook.core.demo import DemoContext
from pocketbook.core.funding import funding_source_find
from pocketbook.households import national_id
from pocketbook.households.models import Household
from pocketbook.volunteers import caseloads, services, training_services
from pocketbook.volunteers.choices import ParticipantRole, ProjectStatus
from pocketbook.volunteers.models import Participant, TrainingProject, Visit, Volunteer
from pocketbook.volunteers.services import VolunteerInput

FIRST_NAMES = ["สุนีย์", "ประภา", "วรรณา", "สมพร", "อำไพ", "จำเนียร", "ละเอียด", "บุญเรือน", "สมนึก", "ประยูร",
               "ชัยยุทธ", "สุเทพ", "วิโรจน์", "อารีย์", "เยาวลักษณ์", "รัตนา", "กาญจนา", "พรทิพย์", "สุวิทย์", "นิพนธ์"]  # fmt: skip
LAST_NAMES = ["ทองสุข", "ศรีวิชัย", "หมื่นศรี", "เพชรสุวรรณ", "ชูแก้ว", "นวลศรี", "สุขเกษม", "แก้วประดิษฐ์",
              "บุญชู", "ขุนทอง", "ปานแก้ว", "ด้วงคง"]  # fmt: skip
SKILLS = ["ปฐมพยาบาล", "ดูแลผู้สูงอายุ", "ดูแลคนพิการ", "ให้คำปรึกษา", "ใช้สมุดพกครอบครัว", "ประสานงานชุมชน"]
VOLUNTEERS_PER_VILLAGE = 2
MIN_VOLUNTEERS = 110  # the training project takes 100 of them

PAYING_FUND = "กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง"
PROJECT_TITLE = "การพัฒนาศักยภาพอาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์เพื่อมุ่งสู่การพัฒนาคุณภาพชีวิตกลุ่มเปราะบางรายครัวเรือน"
PROJECT_DAY = dt.date(2023, 6, 2)  # วันศุกร์ที่ 2 มิถุนายน 2566
CLUB = "ชมรมอาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง"
SESSIONS = [
    ("พิธีเปิดและบทบาทหน้าที่ของ อพม.", dt.time(9, 0), dt.time(10, 30)),
    ("การใช้สมุดพกครอบครัวบันทึกข้อมูลครัวเรือนเปราะบาง", dt.time(10, 45), dt.time(12, 0)),
    ("การประเมินคุณภาพชีวิต 5 มิติ", dt.time(13, 0), dt.time(14, 30)),
    ("ฝึกปฏิบัติและแลกเปลี่ยนเรียนรู้", dt.time(14, 45), dt.time(16, 0)),
]
SPEAKERS = [
    ("นาย", "วีระพงษ์", "ศรีสวัสดิ์", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง"),
    ("นาง", "จิราพร", "เกตุแก้ว", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง"),
    ("นางสาว", "ศิริพร", "ทองหนู", "ศูนย์คุ้มครองคนไร้ที่พึ่งจังหวัดตรัง"),
    ("นาย", "อนุชา", "แสงทอง", "สำนักงานสาธารณสุขจังหวัดตรัง"),
    ("นาง", "ปราณี", "รัตนพันธ์", "บ้านพักเด็กและครอบครัวจังหวัดตรัง"),
    ("นาย", "ธีรวัฒน์", "ชูเชิด", "องค์การบริหารส่วนจังหวัดตรัง"),
    ("นางสาว", "กมลชนก", "พรหมสุวรรณ", "มหาวิทยาลัยเทคโนโลยีราชมงคลศรีวิชัย วิทยาเขตตรัง"),
    ("นาย", "สมเกียรติ", "บุญยัง", "สำนักงานส่งเสริมการเรียนรู้จังหวัดตรัง"),
    ("นาง", "วิไลวรรณ", "ณ ตรัง", "ศูนย์พัฒนาการจัดสวัสดิการสังคมผู้สูงอายุจังหวัดตรัง"),
    ("นาย", "ประสิทธิ์", "มณีรัตน์", "ชมรมอาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง"),
]


def _national_id(rng: random.Random) -> str:
    first = "3" + "92" + "".join(str(rng.randrange(10)) for _ in range(9))
    return first + pin.calc_check_digit(first)


def seed(context: DemoContext) -> None:
    """Volunteers in every demo village, their households and schedules, then the 2 June 2566 project."""
    if context.province_code != settings.HOME_PROVINCE_CODE:
        context.write("  volunteers: the demo volunteers are made for the office's own province only")
        return
    manager = context.users.get("manager")
    context.extra["volunteers_rng"] = random.Random(f"pocketbook-volunteers-{context.province_code}")
    volunteers = _volunteers(context)
    _caseloads(context, volunteers, manager)
    caseloads.coverage_refresh()
    if manager is not None:  # seed_demo makes a user of every role
        _project(context, volunteers, manager)


def _volunteers(context: DemoContext) -> list[Volunteer]:
    rng = context.extra["volunteers_rng"]
    wanted = max(MIN_VOLUNTEERS, VOLUNTEERS_PER_VILLAGE * len(context.village_codes))
    villages = context.village_codes
    made: list[Volunteer] = []
    for index in range(wanted):
        village = villages[index % len(villages)]
        # Every value is drawn whether or not the volunteer exists, so a second run draws the same sequence.
        data = VolunteerInput(
            title=rng.choice(["นาย", "นาง", "นางสาว"]),
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            national_id=_national_id(rng),
            phone="08" + "".join(str(rng.randrange(10)) for _ in range(8)),
            home_area_code=village,
            areas_served=[village],
            started_on=dt.date(2015 + rng.randrange(9), rng.randrange(1, 13), 1),
            skills=rng.sample(SKILLS, 2),
        )
        found = Volunteer.objects.filter(national_id_hash=national_id.lookup_hash(data.national_id) or "-").first()
        made.append(found or services.volunteer_create(data=data, actor=None))
    demo_user = context.users.get("volunteer")
    if demo_user is not None and not Volunteer.objects.filter(user=demo_user).exists():
        mine = next((v for v in made if v.home_area_code == demo_user.area_codes()[0] and v.user_id is None), None)
        if mine is not None:
            mine.user = demo_user
            mine.save(update_fields=["user"])
    context.write(f"  volunteers: {len(made)} volunteers")
    return made


def _caseloads(context: DemoContext, volunteers: list[Volunteer], manager: User | None) -> None:
    """Each village's households go to its volunteers (the demo login's first); a few visits, some overdue."""
    by_village: dict[str, list[Volunteer]] = {}
    for volunteer in volunteers:
        by_village.setdefault(volunteer.home_area_code, []).append(volunteer)
    for village, people in by_village.items():
        people.sort(key=lambda v: (v.user_id is None, v.pk))
        free = list(Household.objects.filter(area_code=village).order_by("id").values_list("pk", flat=True))
        taken = set(caseloads.open_assignments(free))
        free = [pk for pk in free if pk not in taken]
        for index, volunteer in enumerate(people):
            share = free[index :: len(people)][: caseloads.caseload_limit() - volunteer.caseload]
            if share:
                caseloads.households_assign(household_ids=share, volunteer=volunteer, actor=None, reason="demo")
    rng = context.extra["volunteers_rng"]
    today = timezone.localdate()
    visited = 0
    for household in Household.objects.filter(area_code__in=list(by_village)).order_by("id")[:120]:
        wanted = rng.random() < 0.5
        days_ago = rng.choice([100, 95, 60, 30, 14, 3])  # 100 and 95 days ago: overdue on the 90-day cadence
        note = rng.choice(["เยี่ยมบ้าน สมาชิกสบายดี", "ติดตามผู้สูงอายุติดเตียง", "แนะนำการขอรับเบี้ยยังชีพ"])
        if not wanted or manager is None or not household.has_consent:
            continue
        if Visit.objects.filter(household=household).exists():
            continue
        services.visit_record(
            household=household, visited_on=today - dt.timedelta(days=days_ago), note=note, actor=manager
        )
        visited += 1
    context.write(f"  volunteers: households assigned, {visited} visit notes")


def _project(context: DemoContext, volunteers: list[Volunteer], manager: User) -> None:
    # Paid by the cases app's fund when cases is installed and seeded (its seeder runs first), else free text.
    if TrainingProject.objects.filter(title=PROJECT_TITLE, starts_on=PROJECT_DAY).exists():
        return
    rng = context.extra["volunteers_rng"]
    project = training_services.project_create(
        data=training_services.ProjectInput(
            title=PROJECT_TITLE,
            objectives=(
                "1. เพื่อให้อาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์มีความรู้ความเข้าใจในบทบาทหน้าที่มากขึ้น\n"
                "2. เพื่อให้อาสาสมัครสามารถใช้สมุดพกครอบครัวบันทึกข้อมูลกลุ่มเปราะบางรายครัวเรือนได้อย่างถูกต้อง"
            ),
            organiser=CLUB,
            chair="พัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง",
            reporter="ประธานชมรมอาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง",
            venue="ห้องภัชรัตน์ โรงแรมวัฒนาพาร์ค อำเภอเมืองตรัง จังหวัดตรัง",
            area_code=context.province_code,
            starts_on=PROJECT_DAY,
            ends_on=PROJECT_DAY,
            budget_source=PAYING_FUND,
            budget_fund=fund.reference if (fund := funding_source_find(name=PAYING_FUND)) is not None else "",
            fiscal_year=2566,
            planned_amount=Decimal("120000.00"),
            spent_amount=Decimal("114650.00"),
            status=ProjectStatus.FINISHED,
        ),
        actor=manager,
    )
    speakers = [
        training_services.participant_add(
            project=project,
            role=ParticipantRole.SPEAKER,
            title=title,
            first_name=first,
            last_name=last,
            organisation=organisation,
            actor=manager,
        )
        for title, first, last, organisation in SPEAKERS
    ]
    staff = [
        training_services.participant_add(
            project=project,
            role=ParticipantRole.STAFF,
            title=rng.choice(["นาย", "นาง", "นางสาว"]),
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            organisation="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง",
            actor=manager,
        )
        for _ in range(10)
    ]
    people = [
        training_services.participant_add(
            project=project, role=ParticipantRole.VOLUNTEER, volunteer=volunteer, actor=manager
        )
        for volunteer in volunteers[:100]
    ]
    zone = timezone.get_current_timezone()
    for index, (topic, starts, ends) in enumerate(SESSIONS):
        session = training_services.session_create(
            project=project,
            topic=topic,
            starts_at=dt.datetime.combine(PROJECT_DAY, starts, tzinfo=zone),
            ends_at=dt.datetime.combine(PROJECT_DAY, ends, tzinfo=zone),
            speakers=speakers[index * 2 : index * 2 + 3],
            actor=manager,
        )
        for person in [*people, *speakers, *staff]:
            # Everyone opens the day; a few volunteers leave after lunch.
            if index >= 2 and person.role == ParticipantRole.VOLUNTEER and rng.random() < 0.06:
                continue
            arrived = dt.datetime.combine(PROJECT_DAY, starts, tzinfo=zone) - dt.timedelta(minutes=rng.randrange(25))
            training_services.check_in(
                session=session, participant=person, method=rng.choice(["qr", "qr", "qr", "tick"]), actor=manager,
                at=arrived,
            )  # fmt: skip
    for person in people:
        before = Decimal(rng.randrange(40, 76))
        training_services.scores_set(
            participant=person, pre_test=before, post_test=min(before + rng.randrange(5, 31), 100), actor=manager
        )
    issued = training_services.certificates_issue_all(project=project, actor=manager)
    context.write(
        f"  volunteers: training project of 2 June 2566 with {Participant.objects.filter(project=project).count()} "
        f"participants and {issued} certificates"
    )
