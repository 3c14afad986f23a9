from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from records import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("records.urls")),
]

# 503 instead of 500 when the database is away (records/health.py).
handler500 = health.server_error
