"""Settings for Diplomacy Records, read from the environment.

The defaults serve the local run (SQLite file, DEBUG on). Production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; without a real secret
key the site refuses to start.
"""

import datetime
import os
import re
import tempfile
from pathlib import Path

import dj_database_url
from django.core.checks.security.base import SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_UNIQUE_CHARACTERS
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envint(name, default):
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = envbool("DEBUG", "true")

# Only good enough for a laptop: with DEBUG off this value is refused below.
DEVELOPMENT_SECRET_KEY = "development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Former keys, still accepted for sessions and signatures while a new key is rolled out (docs/operations.md).
SECRET_KEY_FALLBACKS = envlist("SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")


def unsafe_for_production():
    """What keeps this configuration from serving the public, one sentence per variable to set."""
    problems = []
    # The same measure as `check --deploy`, but refused at start instead of warned about.
    for name, key in [("SECRET_KEY", SECRET_KEY)] + [("SECRET_KEY_FALLBACKS", key) for key in SECRET_KEY_FALLBACKS]:
        if (
            key == DEVELOPMENT_SECRET_KEY
            or len(key) < SECRET_KEY_MIN_LENGTH
            or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        ):
            problems.append(
                f"{name} must be a random value of at least {SECRET_KEY_MIN_LENGTH} characters when DEBUG is off "
                "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
            )
            break
    if not ALLOWED_HOSTS:
        problems.append(
            "ALLOWED_HOSTS must name the site's host names when DEBUG is off (ALLOWED_HOSTS=records.example.org)."
        )
    if "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the site's host names, not '*', when DEBUG is off.")
    return problems


if not DEBUG and (problems := unsafe_for_production()):
    raise ImproperlyConfigured("The site will not start with DEBUG off:\n  " + "\n  ".join(problems))

# Behind a proxy that ends TLS (nginx, a load balancer): the default with DEBUG
# off. The proxy must set X-Forwarded-Proto; HTTPS=0 serves plain HTTP.
HTTPS = envbool("HTTPS", "false" if DEBUG else "true")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # A load balancer's health check may ask over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", "true")
    SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", "true")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Trigram and full-text lookups; unused (and harmless) on SQLite.
    "django.contrib.postgres",
    "simple_history",
    "import_export",
    # Locks the admin login after repeated wrong passwords (see AXES_ below).
    "axes",
    "records",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "records.middleware.RefuseNulCharacters",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the admin, for the history pages.
    "simple_history.middleware.HistoryRequestMiddleware",
    "records.middleware.PublicPageHeaders",
    # Last, as django-axes asks: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "diplomacy.urls"
# Where the admin lives: moving it off /admin/ keeps scripted guessing off the login page.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/")
if not re.fullmatch(r"([A-Za-z0-9_-]+/)+", ADMIN_URL):
    raise ImproperlyConfigured(f"ADMIN_URL must be a path such as 'office/' (no leading slash), not {ADMIN_URL!r}")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "diplomacy.wsgi.application"

# DATABASE_URL picks the backend: sqlite:///path or postgres://user@host/name.
# Connections are kept between requests (a new PostgreSQL connection costs more
# than a cached page), and checked before reuse.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", "300"),
        conn_health_checks=True,
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "records.accounts.GuessablePasswordValidator"},
]

# The admin login, guarded by django-axes: after AXES_FAILURE_LIMIT wrong
# passwords for one account from one address, that pair is refused (429)
# for LOGIN_LOCKOUT_MINUTES, the right password included. Locking by the
# pair keeps a guesser from locking an editor out from elsewhere.
# `manage.py axes_reset_username NAME` unlocks at once (docs/operations.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", "60"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address of the client, not of the proxy in front: the proxy's own
# X-Forwarded-For entry, when TRUSTED_PROXIES says how many proxies there are.
AXES_CLIENT_IP_CALLABLE = "records.accounts.client_ip"
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", "1" if HTTPS else "0")

# A session ends after SESSION_IDLE_HOURS without a request, and when the browser closes.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_HOURS", "8") * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles")
if not DEBUG:
    # In production the web process serves the stylesheet and the admin's
    # files itself (runserver does so in the local run): compressed, with
    # content hashes in their names, cached for ever. `collectstatic` writes
    # them at deployment.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# History rows say why a record changed ("Imported from people.csv", "Merged
# …"): reasons name files and records, so they get a text column, not 100
# characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# History pages list one record's versions, found by its id: no index on the date is needed.
SIMPLE_HISTORY_DATE_INDEX = False

# CSV, XLSX and JSON import and export (django-import-export).
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Import and export are permissions of their own, not implied by change or view.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# Each record's history already says who imported what from which file; the
# admin's own log would add a row per imported row.
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_MAX_UPLOAD_BYTES = envint("IMPORT_MAX_UPLOAD_MB", "10") * 1024 * 1024
IMPORT_MAX_CELL_CHARS = envint("IMPORT_MAX_CELL_CHARS", "50000")
# An upload waits here between the admin's import preview and its
# confirmation, under a random name (records/previews.py). Every web process
# must see the same folder.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "records.previews.PreviewStorage"
IMPORT_PREVIEW_DIR = os.environ.get("IMPORT_PREVIEW_DIR", Path(tempfile.gettempdir()) / "diplomacy-import-previews")
IMPORT_PREVIEW_MAX_AGE = envint("IMPORT_PREVIEW_MAX_AGE_MINUTES", "60") * 60

# Public pages answer conditional GETs and are kept in Django's cache under
# the data version (records/caching.py): local memory by default, per process;
# CACHE_URL=redis://host:6379/0 shares one Redis between workers and hosts.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address, not {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}}
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "3600")
# How long browsers and shared caches may show a page without asking again.
PUBLIC_MAX_AGE = envint("PUBLIC_MAX_AGE_SECONDS", "60")
# Part of every ETag and page-cache key: set it per deployment (a git commit);
# unset, the templates' and code's modification times stand for it.
RELEASE = os.environ.get("RELEASE", "")

# The public lists' CSV downloads stream at most this many rows, so that they
# always finish; the whole data set is built by `manage.py build_downloads`
# into DATA_DOWNLOADS_DIR and served at /data/ (records/downloads.py).
PUBLIC_CSV_ROW_LIMIT = envint("PUBLIC_CSV_ROW_LIMIT", "50000")
DATA_DOWNLOADS_DIR = Path(os.environ.get("DATA_DOWNLOADS_DIR", BASE_DIR / "downloads"))

# Errors and warnings go to stderr, with their tracebacks: a 500 with DEBUG
# off is otherwise logged nowhere (Django's default only mails ADMINS).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's own handlers print only with DEBUG on; let its records reach the root's.
        "django": {"handlers": [], "level": os.environ.get("LOG_LEVEL", "WARNING"), "propagate": True},
    },
}
