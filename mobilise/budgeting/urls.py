from django.urls import path

from . import views

app_name = "budgeting"

urlpatterns = [
    path("", views.index, name="index"),
    path("missions/<slug:slug>/new/", views.round_create, name="round_create"),
    path("<int:round_id>/", views.round_detail, name="round"),
    path("<int:round_id>/changes/", views.round_changes, name="round_changes"),
    path("<int:round_id>/edit/", views.round_edit, name="round_edit"),
    path("<int:round_id>/phase/", views.round_phase, name="phase"),
    path("<int:round_id>/ideas/new/", views.propose, name="propose"),
    path("<int:round_id>/voter-codes/", views.voter_codes, name="voter_codes"),
    # Voting: eligibility, choices, check and cast, confirmation.
    path("<int:round_id>/vote/", views.vote, name="vote"),
    path("<int:round_id>/vote/choices/", views.ballot, name="ballot"),
    path("<int:round_id>/vote/check/", views.check, name="check"),
    path("<int:round_id>/vote/done/", views.voted, name="voted"),
    path("<int:round_id>/results/", views.results, name="results"),
    path("<int:round_id>/ballots.pb", views.ballots_pb, name="ballots_pb"),
    path("projects/<int:project_id>/review/", views.review, name="review"),
    # A funded project's delivery: its public timeline, a lead's update, e-mail updates, photos.
    path("delivery/<int:item_id>/", views.delivery, name="delivery"),
    path("delivery/<int:item_id>/update/", views.delivery_edit, name="delivery_edit"),
    path("delivery/<int:item_id>/follow/", views.delivery_follow, name="delivery_follow"),
    path("delivery/updates/<int:update_id>/photo/", views.delivery_photo, name="delivery_photo"),
]
