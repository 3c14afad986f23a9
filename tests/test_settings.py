"""Settings come from the environment, and production refuses unsafe values."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly these variables."""
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "diplomacy.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


REAL_KEY = "kq3V-8zWf0pLr7TnYb2HsXc6JmAe9UdGi4oQ1vNtSyZwKxR5uE_lMjPh"


@pytest.mark.parametrize(
    "secret",
    [
        None,
        "",
        "development-only-key-never-use-in-production",
        "x",  # too short
        REAL_KEY[:49],  # one character short
        "ab" * 40,  # long, but two distinct characters
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    env = {"DEBUG": "0"} | ({} if secret is None else {"SECRET_KEY": secret})
    result = load_settings(**env)
    assert result.returncode != 0
    assert "SECRET_KEY must be a random value of at least 50 characters when DEBUG is off" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = load_settings(DEBUG="0", SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="records.example.org")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("hosts", [None, "", " , ", "*"])
def test_production_refuses_to_start_without_its_host_names(hosts):
    env = {"DEBUG": "0", "SECRET_KEY": REAL_KEY} | ({} if hosts is None else {"ALLOWED_HOSTS": hosts})
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name the site's host names" in result.stderr
    assert "Traceback" in result.stderr  # an exception, not a warning: nothing starts


def test_every_unsafe_value_is_named_at_once():
    result = load_settings(DEBUG="0")
    assert "SECRET_KEY must be" in result.stderr and "ALLOWED_HOSTS must" in result.stderr


def test_a_retired_secret_key_must_be_as_strong_as_the_key():
    result = load_settings(DEBUG="0", SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="a.example", SECRET_KEY_FALLBACKS="short")
    assert "SECRET_KEY_FALLBACKS must be a random value" in result.stderr


# The production environment docs/operations.md documents, behind a proxy that ends TLS.
DOCUMENTED = {
    "DEBUG": "0",
    "SECRET_KEY": REAL_KEY,
    "ALLOWED_HOSTS": "records.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://records.example.org",
    "DATABASE_URL": "postgres://diplomacy@db.internal/diplomacy",
}


def manage(*args, **env):
    environment = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_the_documented_production_environment_passes_every_deployment_check():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **DOCUMENTED)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_operators_guide_documents_that_environment():
    guide = (ROOT / "docs" / "operations.md").read_text()
    for name in DOCUMENTED:
        assert f"{name}=" in guide, name


def test_plain_http_is_a_choice_the_deployment_check_names():
    result = manage("check", "--deploy", **DOCUMENTED, HTTPS="0")
    assert "security.W004" in result.stderr and "security.W008" in result.stderr  # HSTS, redirect to HTTPS


@pytest.mark.parametrize("path", ["/office", "office", "of fice/", "../x/"])
def test_a_malformed_admin_address_is_refused(path):
    result = load_settings(ADMIN_URL=path)
    assert result.returncode != 0 and "ADMIN_URL must be a path such as 'office/'" in result.stderr


def test_the_local_run_defaults_to_sqlite():
    assert load_settings().stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql():
    result = load_settings(DATABASE_URL="postgres://editor@db.example/diplomacy")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_a_malformed_boolean_is_named():
    result = load_settings(DEBUG="maybe")
    assert "DEBUG must be a boolean" in result.stderr


def test_production_serves_the_stylesheet_from_collected_static_files(tmp_path):
    env = {"DEBUG": "0", "SECRET_KEY": REAL_KEY, "ALLOWED_HOSTS": "testserver", "STATIC_ROOT": str(tmp_path)}
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "from django.test import Client\n"
        "from django.templatetags.static import static\n"
        "url = static('records/site.css')\n"
        "response = Client().get(url, headers={'X-Forwarded-Proto': 'https'})\n"
        "print(url, response.status_code, response['Cache-Control'])\n"
    )
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "diplomacy.settings", **env}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    url, status, cache = result.stdout.split(" ", 2)
    assert re.fullmatch(r"/static/records/site\.[0-9a-f]{12}\.css", url)
    assert status == "200"
    assert "immutable" in cache


def cache_backend(**env):
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "diplomacy.settings", **env}
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_the_page_cache_is_local_memory_unless_cache_url_names_redis():
    assert cache_backend().stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    redis = cache_backend(CACHE_URL="redis://cache.internal:6379/0")
    assert redis.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    refused = cache_backend(CACHE_URL="memcached://cache.internal:11211")
    assert refused.returncode != 0 and "CACHE_URL must be a redis:// address" in refused.stderr


def test_the_web_process_refuses_to_start_before_collectstatic(tmp_path):
    env = DOCUMENTED | {"STATIC_ROOT": str(tmp_path), "PATH": os.environ["PATH"]}
    result = subprocess.run(
        [sys.executable, "-c", "import diplomacy.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "run `python manage.py collectstatic --no-input` first" in result.stderr
    collected = manage("collectstatic", "--no-input", **DOCUMENTED, STATIC_ROOT=str(tmp_path))
    assert collected.returncode == 0, collected.stderr
    started = subprocess.run(
        [sys.executable, "-c", "import diplomacy.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert started.returncode == 0, started.stderr
