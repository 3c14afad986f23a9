"""The site's URLs and /bench/bare/: the cheapest answer Django gives, the ceiling for bench/pages.py."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("diplomacy.urls"))]
