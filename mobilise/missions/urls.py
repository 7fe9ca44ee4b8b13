from django.urls import path

from . import views

app_name = "missions"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/outcomes/<slug:outcome_slug>/", views.outcome_detail, name="outcome_detail"),
]
