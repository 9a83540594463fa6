"""Pocketbook's settings: one file, driven by environment variables, SQLite by default.

Safe by default: DEBUG is off unless DEBUG=1, and then the secrets must be given (SECRET_KEY,
FIELD_ENCRYPTION_KEY and ALLOWED_HOSTS) or the app refuses to start; staff must use two factors.
The published development keys below work only with DEBUG=1 or inside the test run; `make run`
makes the demo its own random keys (var/demo.env) and serves the product's own error pages.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("POCKETBOOK_VAR_DIR", BASE_DIR / "var"))

TESTING = "pytest" in sys.modules or os.environ.get("POCKETBOOK_TESTING") == "1"


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A developer's machine (DEBUG=1) or the test run: the only places the published keys below may serve.
DEVELOPMENT = DEBUG or TESTING

# Development-only defaults. Everywhere else the environment must give its own; see the check below.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me-in-production-0123456789"  # noqa: S105
_DEV_FIELD_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQta2V5LTMyLWJ5dGVzLWxvbmc="  # a Fernet key, dev only

SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY if DEVELOPMENT else "")
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", _DEV_FIELD_ENCRYPTION_KEY if DEVELOPMENT else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEVELOPMENT else "")

if not DEVELOPMENT:
    _missing = [
        name
        for name, value in (
            ("SECRET_KEY", SECRET_KEY),
            ("FIELD_ENCRYPTION_KEY", FIELD_ENCRYPTION_KEY),
            ("ALLOWED_HOSTS", ALLOWED_HOSTS),
        )
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(
            "Production (DEBUG off) needs these environment variables: "
            + ", ".join(_missing)
            + ". See README.md. On a developer's machine set DEBUG=1; `make run` makes the demo its own keys."
        )
    if SECRET_KEY == _DEV_SECRET_KEY or FIELD_ENCRYPTION_KEY == _DEV_FIELD_ENCRYPTION_KEY:
        raise ImproperlyConfigured(
            "Production (DEBUG off) must not use the development SECRET_KEY or FIELD_ENCRYPTION_KEY."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "ninja",
    "pocketbook.core",
    "pocketbook.geo",
    "pocketbook.accounts",
    "pocketbook.audit",
    "pocketbook.households",
    "pocketbook.assessments",
    "pocketbook.cases",
    "pocketbook.incidents",
    "pocketbook.volunteers",
    "pocketbook.offline",
    "pocketbook.reports",
    "pocketbook.wiring",  # last of the project's apps: joins apps of one layer (cases and volunteers)
    # After the project's apps: incidents' `db_worker` (which also works the LINE events) overrides this one's.
    "django_tasks_db",
]

MIDDLEWARE = [
    "pocketbook.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (static files come compressed from WhiteNoise above). BREACH: see README "Light and fast".
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pocketbook.core.locale_middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pocketbook.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After locale and authentication, so the refusal page is in the user's language with their menu.
    "pocketbook.core.middleware.NulCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pocketbook.core.middleware.SecurityHeadersMiddleware",
    # Axes must come last: it turns a locked-out login into a clear page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pocketbook.urls"
WSGI_APPLICATION = "pocketbook.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's own overrides of third-party templates (the admin's base_site.html, for its font).
        "DIRS": [BASE_DIR / "pocketbook" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pocketbook.core.context_processors.navigation",
            ],
            "builtins": ["pocketbook.core.templatetags.thai"],
        },
    }
]

# Database: SQLite in var/ by default; DATABASE_URL (postgres://...) for production.
VAR_DIR.mkdir(parents=True, exist_ok=True)
_default_database_url = "sqlite:///" + str(VAR_DIR / "pocketbook.sqlite3")
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_database_url),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once (web workers and the task worker);
    # IMMEDIATE transactions plus a busy timeout make writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA busy_timeout=20000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

if TESTING:
    # Tests' server threads (the live server, concurrency tests) must not keep connections open,
    # or the test database cannot be dropped at the end of the run.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # A file, not the in-memory default: an in-memory database is one connection that the browser tests'
        # live server shares with the test and with every request thread, so the offline app's background
        # requests interleaved their statements and savepoints with the page's ("cannot release savepoint -
        # SQL statements in progress", a case saved without its need). A file gives each thread its own.
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_pocketbook.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Reverse proxies in front of the app (nginx: 1). Their header gives the client's address; 0 = none,
# and then the header is ignored (a client could write anything into it).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXY_HEADER = "HTTP_" + os.environ.get("TRUSTED_PROXY_HEADER", "X-Forwarded-For").upper().replace("-", "_")

# Lock-out after repeated failed logins (django-axes): per user name AND client address together, so
# an attacker guessing from one address never locks the real user out when signing in from another.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "pocketbook.core.client_address.client_address"
# No one is exempt, not even a user with a second factor: an exemption would let anyone guess their
# password without limit and then hammer the code step (docs/security.md).
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor login: required for staff roles unless relaxed (DEBUG=1, the tests and the demo relax it).
TWO_FACTOR_REQUIRED_FOR_STAFF = env_bool("TWO_FACTOR_REQUIRED_FOR_STAFF", not DEVELOPMENT)
OTP_TOTP_ISSUER = "Pocketbook"
# django-otp doubles the wait after each wrong code without end (2**39 s after forty): whoever has the
# password could keep the real user out for ever. The wait stops growing here (a power of two, seconds).
TWO_FACTOR_LONGEST_WAIT_SECONDS = 512

# Internationalisation: Thai first, English second.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
# Each app keeps its own locale/ and Django finds it; only folders that are not apps are listed here.
# Run makemessages inside an app folder that has a locale/ (else it writes into the first path below).
LOCALE_PATHS = [
    BASE_DIR / "pocketbook" / "incidents" / "channels" / "line" / "locale",  # the LINE bot's own texts
]
LANGUAGE_COOKIE_NAME = "pocketbook_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# Static files: our own, the Sarabun font from its package, Leaflet from its package; WhiteNoise serves them.
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing


def _package_dir(module_name: str, *parts: str) -> Path:
    """Locate a folder shipped inside an installed package without importing Django apps."""
    import importlib.util

    spec = importlib.util.find_spec(module_name)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(f"The package {module_name} is not installed; run make install.")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


STATICFILES_DIRS = [
    ("fonts/sarabun", _package_dir("fontpkg_sarabun", "files")),
    ("vendor/leaflet", _package_dir("xstatic.pkg.leaflet", "data")),
]
# Production serves collected, compressed, hashed files; development, the tests and the demo
# (SERVE_STATIC_FROM_APPS=1, set by make run) serve them from the apps' folders without collectstatic.
SERVE_STATIC_FROM_APPS = DEVELOPMENT or env_bool("SERVE_STATIC_FROM_APPS", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if SERVE_STATIC_FROM_APPS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = SERVE_STATIC_FROM_APPS
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Export files (reports): outside the media and static files, served only to their owner, deleted when expired.
EXPORTS_DIR = Path(os.environ.get("EXPORTS_DIR", VAR_DIR / "exports"))
EXPORT_EXPIRY_HOURS = int(os.environ.get("EXPORT_EXPIRY_HOURS", "24"))

# Background work: django.tasks through the django-tasks backport.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Security: safe by default, strict in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 3600)))
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "pocketbook.core.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
if not DEVELOPMENT:
    # The demo on http://127.0.0.1 turns the first two off (make run); production keeps them.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# The volunteer app offline (pocketbook.offline): the phone forgets its caseload after this many days without
# a sign-in (the outbox of unsent records included).
OFFLINE_MAX_DAYS_WITHOUT_SIGN_IN = int(os.environ.get("OFFLINE_MAX_DAYS_WITHOUT_SIGN_IN", "7"))

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# LINE Messaging API (the ESS chat bot). Production without a channel secret: the webhook answers 503 and logs.
LINE_CHANNEL_SECRET = os.environ.get("LINE_CHANNEL_SECRET", "dev-only-line-channel-secret" if DEVELOPMENT else "")
LINE_CHANNEL_ACCESS_TOKEN = os.environ.get(
    "LINE_CHANNEL_ACCESS_TOKEN", "dev-only-line-access-token" if DEVELOPMENT else ""
)
LINE_API_BASE_URL = os.environ.get("LINE_API_BASE_URL", "https://api.line.me")
LINE_DATA_API_BASE_URL = os.environ.get("LINE_DATA_API_BASE_URL", "https://api-data.line.me")
# The LINE events' queue (incidents/channels/line/queue/): a worker's lease on a batch, the batch size, and
# how often an event may fail (with backoff doubling from LINE_EVENT_BACKOFF_SECONDS) before it is parked.
LINE_EVENT_LEASE_SECONDS = float(os.environ.get("LINE_EVENT_LEASE_SECONDS", "30"))
LINE_EVENT_BATCH = int(os.environ.get("LINE_EVENT_BATCH", "50"))
LINE_EVENT_MAX_FAILURES = int(os.environ.get("LINE_EVENT_MAX_FAILURES", "5"))
LINE_EVENT_MAX_CLAIMS = int(os.environ.get("LINE_EVENT_MAX_CLAIMS", "20"))
LINE_EVENT_BACKOFF_SECONDS = float(os.environ.get("LINE_EVENT_BACKOFF_SECONDS", "5"))
# /healthz answers 503 below this much free disk, or when a LINE event has waited this long for a worker.
HEALTHZ_MIN_FREE_BYTES = int(os.environ.get("HEALTHZ_MIN_FREE_BYTES", str(200 * 1024 * 1024)))
HEALTHZ_MAX_EVENT_WAIT_SECONDS = float(os.environ.get("HEALTHZ_MAX_EVENT_WAIT_SECONDS", "60"))

# Map tiles for the operator board; the board works without them (markers and lists still show).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")

# The area whose demo data `seed_demo` builds and whose map the pages centre on.
HOME_PROVINCE_CODE = os.environ.get("HOME_PROVINCE_CODE", "92")

# The most households one volunteer may look after; assignments past it are refused, coverage shows who is over.
VOLUNTEER_CASELOAD_LIMIT = int(os.environ.get("VOLUNTEER_CASELOAD_LIMIT", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pocketbook.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # its import logs each built-in stylesheet at INFO
        "fontTools": {"level": "WARNING"},
    },
}

# Cases (issue 10): days an agency has to answer a referral, days without follow-up before a case is stale,
# days a referral's reply link works, and the office's letterhead on referral letters.
CASES_REFERRAL_ANSWER_DAYS = int(os.environ.get("CASES_REFERRAL_ANSWER_DAYS", "14"))
CASES_STALE_DAYS = int(os.environ.get("CASES_STALE_DAYS", "30"))
CASES_REPLY_LINK_DAYS = int(os.environ.get("CASES_REPLY_LINK_DAYS", "60"))
CASES_LETTERHEAD = {
    "office": os.environ.get("OFFICE_NAME", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง"),
    "address": os.environ.get("OFFICE_ADDRESS", "ศาลากลางจังหวัดตรัง ถนนพระราม 6 ตำบลทับเที่ยง อำเภอเมืองตรัง จังหวัดตรัง 92000"),
    "phone": os.environ.get("OFFICE_PHONE", "0 7521 8079"),
    "reference_prefix": os.environ.get("OFFICE_REFERENCE_PREFIX", "ตง 0017"),
    "signatory": os.environ.get("OFFICE_SIGNATORY", "พัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง"),
}
# The address agencies reach the reply page at (the QR code on the letter); empty: the address of the request.
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", "")
