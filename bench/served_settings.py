"""The site's settings, served by gunicorn for bench/pages.py: its own URLs plus a bare view to compare with."""

from diplomacy.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1"]
