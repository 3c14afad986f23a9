from django.urls import path

from . import views

urlpatterns = [
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("statements/<slug:slug>/", views.statement_detail, name="statement-detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
]
