"""The site's URLs with the admin moved to /office/, as ADMIN_URL moves it in production."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("office/", admin.site.urls),
    path("", include("records.urls")),
]
