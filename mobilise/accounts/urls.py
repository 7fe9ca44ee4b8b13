from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("organisations/", views.organisation_index, name="organisation_index"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("account/dashboard/", views.dashboard, name="dashboard"),
]
