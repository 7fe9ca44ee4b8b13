from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("organisations/", views.organisation_index, name="organisation_index"),
    # Before the detail pattern, so "new" is never read as an organisation's slug.
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<slug:slug>/members/",
        views.organisation_members,
        name="organisation_members",
    ),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/",
        views.membership_change,
        name="membership_change",
    ),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("account/dashboard/", views.dashboard, name="dashboard"),
    path("account/details/", views.profile_edit, name="profile_edit"),
    path("account/your-data/", views.your_data, name="your_data"),
    path("account/your-data/download/", views.data_export_download, name="data_export_download"),
    path("account/delete/", views.account_delete, name="account_delete"),
]
