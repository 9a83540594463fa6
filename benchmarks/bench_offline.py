"""The volunteer's pages on one bar of 3G: weight on first and later loads, and time on an emulated slow link.

What it does (about 1–2 minutes):
1. builds a throw-away SQLite database in a temporary folder (migrations, a volunteer with 20 households of 3
   members, one assessed) and collects the static files as production does (hashed names, compressed);
2. serves Pocketbook with gunicorn in production mode (DEBUG=0, WhiteNoise, GZip), keeping connections open for
   75 s as the front server (nginx's default) does for a phone;
3. drives Debian's Chromium (360 × 740) through each page a volunteer uses: first load in an empty browser
   (signed in through the API request context, so nothing is cached beforehand), then a later load;
   weight = bytes on the wire (Chrome DevTools Protocol `encodedDataLength`, the page's own requests, including
   the caseload the page fetches), time = until the `load` event, on Chromium's throttling: 400 kbit/s both
   ways and 400 ms latency (`Network.emulateNetworkConditions`).

Targets (issue 13): < 150 KB first load, < 20 KB later load, < 5 s first load and < 1 s from the cache.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
USERNAME, PASSWORD = "bench-volunteer", "bench-volunteer-password-1"
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
FIRST_KB, LATER_KB, FIRST_S, CACHED_S = 150, 20, 5.0, 1.0

Row = tuple[str, str, str, str, str]
# Names hold letters only (no digits): one family name per household keeps the 20 households' people apart.
FAMILY_SUFFIXES = "กขคงจฉชซฌญฎฏฐฑฒณดตถท"


def setup_data() -> None:
    """Inside the throw-away database: a volunteer with 20 households of 3 members; the first one assessed."""
    import datetime as dt
    from decimal import Decimal

    import django

    django.setup()
    from django.utils import timezone

    from pocketbook.accounts.roles import Role
    from pocketbook.accounts.services import user_create
    from pocketbook.assessments.services import assessment_submit
    from pocketbook.geo.models import Village
    from pocketbook.households import services

    Village.objects.get_or_create(
        code="92010101", defaults={"subdistrict_id": "920101", "number": 1, "name": "บ้านทับเที่ยง"}
    )
    volunteer = user_create(
        username=USERNAME, password=PASSWORD, roles=[Role.VOLUNTEER], area_codes=["920101"], actor=None
    )
    consent = services.ConsentInput(given_by_name="หัวหน้าครัวเรือน", purposes=["pocketbook"])
    for number in range(1, 21):
        home = services.household_create(
            data=services.HouseholdInput(area_code="92010101", house_no=f"{number}/1", address="ถนนพระราม 6"),
            actor=volunteer,
            consent=consent,
        )
        for relation, first, sex, born in (
            ("head", "สมชาย", "M", dt.date(1975, 1, 1)),
            ("spouse", "สมหญิง", "F", dt.date(1978, 1, 1)),
            ("child", "สมศรี", "F", dt.date(2012, 1, 1)),
        ):
            services.member_add(
                household=home,
                data=services.MemberInput(
                    sex=sex, birth_date=born, relation=relation, first_name=first,
                    last_name="ใจดี" + FAMILY_SUFFIXES[number - 1],
                    no_id_reason="lost_documents", occupation="ทำสวน" if relation != "child" else "",
                    monthly_income=Decimal("9000") if relation != "child" else None, is_studying=relation == "child",
                ),
                actor=volunteer,
            )  # fmt: skip
        if number == 1:
            members = {
                str(m.pk): {"literate": True, "exercises": True, "is_studying": m.relation == "child"}
                for m in home.members.all()
            }
            household_answers = {
                key: True
                for key in (
                    "hygienic_food", "proper_medicine_use", "secure_durable_house", "drinking_water_enough",
                    "household_water_enough", "tidy_house",
                )
            }  # fmt: skip
            assessment_submit(
                household=home,
                assessed_on=timezone.localdate(),
                answers={"household": household_answers, "members": members},
                actor=volunteer,
            )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pocketbook.settings",
        "POCKETBOOK_VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-offline-" + "x" * 50,
        "FIELD_ENCRYPTION_KEY": "YmVuY2gtb2ZmbGluZS1maWVsZC1rZXktMzItYnl0ZXM=",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "TWO_FACTOR_REQUIRED_FOR_STAFF": "0",
        "AXES_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        # `make bench` runs with make run's environment, which serves static files unhashed and uncompressed
        # from the apps: measure what production serves (hashed, compressed by collectstatic) instead.
        "SERVE_STATIC_FROM_APPS": "0",
    }
    env.pop("POCKETBOOK_TESTING", None)
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True)


def _wait_ready(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"the server on port {port} did not answer within {timeout:.0f} s")


class Meter:
    """Bytes on the wire of one page's requests, from the DevTools protocol."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.bytes = 0
        self.cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event: dict) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))

    def throttle(self) -> None:
        self.cdp.send("Network.emulateNetworkConditions", SLOW_3G)

    def load(self, page, url: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        """Open `url` and wait until it is loaded and the phone's own work settles: (KB, seconds)."""
        self.bytes = 0
        started = time.perf_counter()
        page.goto(url, wait_until="load")
        seconds = time.perf_counter() - started
        page.wait_for_load_state("networkidle")
        return self.bytes / 1024, seconds


def _sign_in(context, base: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the request context: the session cookie is set, the browser's cache stays empty."""
    login = context.request.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text())
    assert token is not None
    answer = context.request.post(
        f"{base}/accounts/login/",
        form={"csrfmiddlewaretoken": token.group(1), "username": USERNAME, "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    assert answer.ok, answer.status


def _measure(base: str, household_id: int) -> list[tuple[str, float, float, float, float]]:
    """Each page in a fresh browser: first load, then a later load (from the HTTP cache).

    The service worker is blocked here: Chromium throttles and counts only the page's own requests, and a page
    controlled by a service worker would hide the worker's network use. The pages' static files have hashed names
    and a year's cache life, so the HTTP cache gives the later loads what the worker's cache would.
    """
    from playwright.sync_api import sync_playwright

    pages = [
        ("sign-in page", "/accounts/login/", False),
        ("My households", "/households/", True),
        ("household page", f"/households/{household_id}/", True),
        ("new assessment", f"/assessments/household/{household_id}/new/", True),
        ("offline app", "/offline/", True),
    ]
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            for label, path, signed_in in pages:
                context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
                if signed_in:
                    _sign_in(context, base)
                page = context.new_page()
                meter = Meter(page)
                meter.throttle()
                first_kb, first_s = meter.load(page, base + path)
                if signed_in:
                    page.wait_for_selector("html[data-offline-ready='1']", timeout=60_000)
                    page.wait_for_load_state("networkidle")
                later_kb, later_s = meter.load(page, base + path)
                results.append((label, first_kb, later_kb, first_s, later_s))
                context.close()
            results.append(("household page, no signal", *_offline_household(browser, base, household_id)))
        finally:
            browser.close()
    return results


def _offline_household(browser, base: str, household_id: int) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    """With the service worker: sign in, let the phone take its caseload, lose the signal, open the household."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    _sign_in(context, base)
    page = context.new_page()
    page.goto(base + "/households/")
    page.wait_for_selector("html[data-offline-ready='1']", timeout=60_000)
    while not page.evaluate("navigator.serviceWorker.controller !== null"):  # the CSP forbids wait_for_function
        page.wait_for_timeout(100)
    context.set_offline(True)
    started = time.perf_counter()
    page.goto(f"{base}/households/{household_id}/")
    page.wait_for_selector("[data-testid=offline-new-assessment]")
    seconds = time.perf_counter() - started
    context.close()
    return float("nan"), 0.0, float("nan"), seconds


def run(quick: bool = False) -> list[Row]:
    """Measure every volunteer page; see the module's docstring."""
    if not Path(CHROMIUM).exists():
        return [("offline", "pages", "skipped: no Chromium at " + CHROMIUM, "", "n/a")]
    with tempfile.TemporaryDirectory(prefix="pb_offline_bench_") as temporary:
        folder = Path(temporary)
        env = _environment(folder)
        _manage(env, "migrate", "--no-input", "--verbosity", "0")
        _manage(env, "compile_translations")
        _manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        subprocess.run(
            [sys.executable, "-c", "import benchmarks.bench_offline as b; b.setup_data()"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "pocketbook.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--worker-class", "gthread", "--threads", "2", "--keep-alive", "75", "--log-level", "warning"],
            cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        try:
            _wait_ready(port)
            results = _measure(f"http://localhost:{port}", household_id=1)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
    rows: list[Row] = []
    for label, first_kb, later_kb, first_s, later_s in results:
        name = f"offline {label}"
        if label.endswith("no signal"):
            rows.append(
                (name, "from the phone", f"{later_s:.2f} s", f"< {CACHED_S:.0f} s", _verdict(later_s < CACHED_S))
            )
            continue
        rows += [
            (name, "first load", f"{first_kb:.1f} KB", f"< {FIRST_KB} KB", _verdict(first_kb < FIRST_KB)),
            (name, "later load", f"{later_kb:.1f} KB", f"< {LATER_KB} KB", _verdict(later_kb < LATER_KB)),
            (name, "first load, slow 3G", f"{first_s:.2f} s", f"< {FIRST_S:.0f} s", _verdict(first_s < FIRST_S)),
            (name, "cached, slow 3G", f"{later_s:.2f} s", f"< {CACHED_S:.0f} s", _verdict(later_s < CACHED_S)),
        ]
    return rows


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"
