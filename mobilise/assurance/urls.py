from django.urls import path

from . import views

app_name = "assurance"

urlpatterns = [
    path("missions/<slug:slug>/council/", views.council, name="council"),
    path("missions/<slug:slug>/council/meetings/new/", views.meeting_create, name="meeting_create"),
    path("missions/<slug:slug>/council/meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path(
        "missions/<slug:slug>/council/meetings/<int:meeting_id>/edit/",
        views.meeting_edit,
        name="meeting_edit",
    ),
    path(
        "missions/<slug:slug>/council/meetings/<int:meeting_id>/agenda/",
        views.agenda_edit,
        name="agenda_edit",
    ),
    path(
        "missions/<slug:slug>/council/meetings/<int:meeting_id>/decisions/new/",
        views.decision_create,
        name="decision_create",
    ),
    path(
        "missions/<slug:slug>/council/meetings/<int:meeting_id>/minutes/",
        views.minutes_edit,
        name="minutes_edit",
    ),
    path(
        "missions/<slug:slug>/council/meetings/<int:meeting_id>/papers/add/",
        views.paper_add,
        name="paper_add",
    ),
    path("papers/<int:paper_id>/", views.paper_download, name="paper_download"),
    path("missions/<slug:slug>/council/actions/new/", views.action_create, name="action_create"),
    path(
        "missions/<slug:slug>/council/actions/<int:action_id>/",
        views.action_update,
        name="action_update",
    ),
    path("missions/<slug:slug>/confidence/", views.confidence, name="confidence"),
    path("missions/<slug:slug>/confidence/assess/", views.assess, name="assess"),
    path("missions/<slug:slug>/stocktakes/", views.packs, name="packs"),
    path("missions/<slug:slug>/stocktakes/new/", views.pack_create, name="pack_create"),
    path("missions/<slug:slug>/stocktakes/<int:pack_id>/", views.pack, name="pack"),
    path("missions/<slug:slug>/stocktakes/<int:pack_id>/pdf/", views.pack_pdf, name="pack_pdf"),
    path(
        "missions/<slug:slug>/stocktakes/<int:pack_id>/retry/", views.pack_retry, name="pack_retry"
    ),
    path(
        "missions/<slug:slug>/stocktakes/<int:pack_id>/paper/", views.pack_paper, name="pack_paper"
    ),
]
