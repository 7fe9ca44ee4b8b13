from django.urls import path

from . import views

app_name = "deliberation"

urlpatterns = [
    path("", views.index, name="index"),
    path("missions/<slug:slug>/new/", views.create, name="create"),
    path("<int:conversation_id>/", views.detail, name="detail"),
    path("<int:conversation_id>/votes.json", views.votes_json, name="votes_json"),
    path("<int:conversation_id>/statements/new/", views.statement_create, name="statement_create"),
    path("<int:conversation_id>/results/", views.results, name="results"),
    path("<int:conversation_id>/moderate/", views.moderate, name="moderate"),
    path("<int:conversation_id>/export.zip", views.export, name="export"),
]
