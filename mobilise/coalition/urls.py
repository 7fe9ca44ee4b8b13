from django.urls import path

from . import views

app_name = "coalition"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("places/<str:code>/", views.place_dashboard, name="place_dashboard"),
    # A mission's coalition.
    path("missions/<slug:slug>/", views.mission, name="mission"),
    path("missions/<slug:slug>/join/", views.join, name="join"),
    path("missions/<slug:slug>/members/", views.members, name="members"),
    path(
        "missions/<slug:slug>/members/<int:member_id>/", views.member_decide, name="member_decide"
    ),
    path("missions/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("missions/<slug:slug>/pledges.csv", views.pledges_csv, name="pledges_csv"),
    path(
        "missions/<slug:slug>/volunteering.csv", views.opportunities_csv, name="opportunities_csv"
    ),
    path("missions/<slug:slug>/pledges/new/", views.pledge_create, name="pledge_create"),
    path("missions/<slug:slug>/asks/new/", views.ask_create, name="ask_create"),
    path("missions/<slug:slug>/offers/new/", views.offer_create, name="offer_create"),
    path(
        "missions/<slug:slug>/volunteering/new/",
        views.opportunity_create,
        name="opportunity_create",
    ),
    # Pledges.
    path("pledges/<int:pledge_id>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pledge_id>/progress/", views.pledge_progress, name="pledge_progress"),
    path("pledges/<int:pledge_id>/flag/", views.pledge_flag, name="pledge_flag"),
    # Asks, offers and matches.
    path("asks/<int:ask_id>/", views.ask_detail, name="ask_detail"),
    path("asks/<int:ask_id>/close/", views.ask_close, name="ask_close"),
    path("asks/<int:ask_id>/match/<int:offer_id>/", views.match_create, name="match_create"),
    path("offers/<int:offer_id>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:offer_id>/close/", views.offer_close, name="offer_close"),
    path("matches/<int:match_id>/", views.match_detail, name="match_detail"),
    # Volunteering.
    path("volunteering/", views.opportunity_index, name="opportunity_index"),
    path("volunteering/<int:opportunity_id>/", views.opportunity_detail, name="opportunity_detail"),
    path(
        "volunteering/<int:opportunity_id>/edit/", views.opportunity_edit, name="opportunity_edit"
    ),
    path(
        "volunteering/<int:opportunity_id>/sessions/new/",
        views.session_create,
        name="session_create",
    ),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/calendar.ics", views.session_calendar, name="session_calendar"),
    path("sessions/<int:session_id>/sign-up/", views.signup_create, name="signup_create"),
    path(
        "sessions/<int:session_id>/attendance/", views.session_attendance, name="session_attendance"
    ),
    path("sign-ups/<int:sign_up_id>/cancel/", views.signup_cancel, name="signup_cancel"),
]
