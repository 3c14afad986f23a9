from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("search/", views.search_page, name="search"),
    path("data/", views.data, name="data"),
    path("popolo.json", views.popolo, name="popolo"),
    path("data/<str:name>", views.data_file, name="data-file"),
    path("people/", views.person_list, name="person-list"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("posts/<slug:slug>/", views.post_detail, name="post-detail"),
    path("events/", views.event_list, name="event-list"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("statements/", views.statement_list, name="statement-list"),
    path("statements/<slug:slug>/", views.statement_detail, name="statement-detail"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
]
