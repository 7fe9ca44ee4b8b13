from django.urls import path

from . import views

app_name = "missions"

urlpatterns = [
    path("", views.index, name="index"),
    # Before "<slug:slug>/": services never give a mission the slug "new".
    path("new/", views.mission_create, name="create"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.mission_edit, name="edit"),
    path("<slug:slug>/adopt/", views.mission_adopt, name="adopt"),
    path("<slug:slug>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("<slug:slug>/outcomes/<slug:outcome_slug>/", views.outcome_detail, name="outcome_detail"),
    path("<slug:slug>/outcomes/<slug:outcome_slug>/edit/", views.outcome_edit, name="outcome_edit"),
    path(
        "<slug:slug>/outcomes/<slug:outcome_slug>/delete/",
        views.outcome_delete,
        name="outcome_delete",
    ),
    path("<slug:slug>/theory-of-change/", views.toc_manage, name="toc_manage"),
    path("<slug:slug>/theory-of-change/steps/new/", views.node_create, name="node_create"),
    path(
        "<slug:slug>/theory-of-change/steps/<int:node_id>/edit/", views.node_edit, name="node_edit"
    ),
    path(
        "<slug:slug>/theory-of-change/steps/<int:node_id>/delete/",
        views.node_delete,
        name="node_delete",
    ),
    path("<slug:slug>/theory-of-change/links/new/", views.link_create, name="link_create"),
    path(
        "<slug:slug>/theory-of-change/links/<int:link_id>/edit/", views.link_edit, name="link_edit"
    ),
    path(
        "<slug:slug>/theory-of-change/links/<int:link_id>/delete/",
        views.link_delete,
        name="link_delete",
    ),
]
