"""Production refuses to start without its secrets, and `check --deploy` is clean when they are given."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def run_pocketbook(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Nothing of the test run's own environment (make test says POCKETBOOK_TESTING=1) leaks into the child.
    unset = {"SECRET_KEY", "FIELD_ENCRYPTION_KEY", "ALLOWED_HOSTS", "DEBUG", "POCKETBOOK_TESTING"}
    unset |= {"TWO_FACTOR_REQUIRED_FOR_STAFF", "SECURE_COOKIES", "SECURE_SSL_REDIRECT"}
    clean_env = {k: v for k, v in os.environ.items() if k not in unset}
    clean_env.update(env)
    clean_env.pop("PYTEST_CURRENT_TEST", None)
    clean_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests; not for a deployment check
    return subprocess.run(
        [sys.executable, "-m", "pocketbook", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secrets():
    # when
    result = run_pocketbook("check", DEBUG="0")
    # then
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY, FIELD_ENCRYPTION_KEY, ALLOWED_HOSTS" in result.stderr


def test_debug_is_off_when_the_variable_is_unset_and_then_the_secrets_are_required():
    # when: nothing is set at all, as on a fresh server
    result = run_pocketbook("check")
    # then
    assert result.returncode != 0
    assert "SECRET_KEY, FIELD_ENCRYPTION_KEY, ALLOWED_HOSTS" in result.stderr


def test_with_debug_unset_debug_is_off_staff_need_two_factors_and_cookies_are_secure(tmp_path):
    # given: the secrets, and nothing else
    env = {
        "SECRET_KEY": "x" * 20 + "-production-secret-" + "y" * 30,
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "pocketbook.example",
        "POCKETBOOK_VAR_DIR": str(tmp_path),
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.TWO_FACTOR_REQUIRED_FOR_STAFF, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    # when
    result = run_pocketbook("shell", "-c", code, **env)
    # then
    assert result.stdout.splitlines()[-1].split() == ["False", "True", "True", "True"], result.stdout + result.stderr


def test_the_development_keys_are_refused_when_debug_is_unset():
    result = run_pocketbook(
        "check",
        SECRET_KEY="dev-only-insecure-secret-key-change-me-in-production-0123456789",
        FIELD_ENCRYPTION_KEY="ZGV2LW9ubHktZmllbGQta2V5LTMyLWJ5dGVzLWxvbmc=",
        ALLOWED_HOSTS="pocketbook.example",
    )
    assert result.returncode != 0
    assert "must not use the development" in result.stderr


def test_production_refuses_the_development_keys():
    result = run_pocketbook(
        "check",
        DEBUG="0",
        SECRET_KEY="dev-only-insecure-secret-key-change-me-in-production-0123456789",
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="pocketbook.example",
    )
    assert result.returncode != 0
    assert "must not use the development" in result.stderr


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    # given
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-secret-" + "y" * 30,
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "pocketbook.example",
        "POCKETBOOK_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
    }
    # when
    result = run_pocketbook("check", "--deploy", "--fail-level", "WARNING", **env)
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="pocketbook.settings", POCKETBOOK_VAR_DIR=str(tmp_path), POCKETBOOK_TESTING="1")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["wal", "20000"], result.stderr
