from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.index, name="index"),
    path("missions/<slug:slug>/pilots/new/", views.pilot_create, name="pilot_create"),
    path("pilots/<int:pilot_id>/", views.pilot_detail, name="pilot_detail"),
    path("pilots/<int:pilot_id>/comparison/", views.pilot_comparison, name="pilot_comparison"),
    path("pilots/<int:pilot_id>/results/", views.pilot_results, name="pilot_results"),
    path("pilots/<int:pilot_id>/results.csv", views.pilot_results_csv, name="pilot_results_csv"),
    path("pilots/<int:pilot_id>/replicate/", views.pilot_replicate, name="pilot_replicate"),
    path("pilots/<int:pilot_id>/learnings/new/", views.learning_create, name="learning_create"),
    path("library/", views.learning_index, name="library"),
    path("library/<int:learning_id>/", views.learning_detail, name="learning_detail"),
    path("library/<int:learning_id>/edit/", views.learning_edit, name="learning_edit"),
    path("pilots/<int:pilot_id>/edit/", views.pilot_edit, name="pilot_edit"),
]
