"""The WSGI application gunicorn serves (diplomacy/gunicorn.py, `make serve`).

With DEBUG off, pages name their static files by the hashed names
`collectstatic` writes into a manifest; without it every page would be a
500. So a web process refuses to start until the files are collected.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.settings")

application = get_wsgi_application()


def _require_collected_static_files():
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if not settings.DEBUG and manifest and not staticfiles_storage.exists(manifest):
        raise ImproperlyConfigured(
            f"The static files are not collected into STATIC_ROOT ({settings.STATIC_ROOT}): "
            "run `python manage.py collectstatic --no-input` first (`make serve` does)."
        )


_require_collected_static_files()
