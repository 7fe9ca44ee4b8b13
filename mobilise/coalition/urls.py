from django.urls import path

from .views import exchange, membership, overview, pledges, volunteering

app_name = "coalition"

urlpatterns = [
    path("", membership.index, name="index"),
    path("mine/", overview.mine, name="mine"),
    path("places/<str:code>/", overview.place_dashboard, name="place_dashboard"),
    # A mission's coalition.
    path("missions/<slug:slug>/", membership.mission, name="mission"),
    path("missions/<slug:slug>/join/", membership.join, name="join"),
    path("missions/<slug:slug>/members/", membership.members, name="members"),
    path(
        "missions/<slug:slug>/members/<int:member_id>/",
        membership.member_decide,
        name="member_decide",
    ),
    path("missions/<slug:slug>/matches/", exchange.matches, name="matches"),
    path("missions/<slug:slug>/dashboard/", overview.dashboard, name="dashboard"),
    path("missions/<slug:slug>/pledges.csv", overview.pledges_csv, name="pledges_csv"),
    path(
        "missions/<slug:slug>/volunteering.csv",
        overview.opportunities_csv,
        name="opportunities_csv",
    ),
    path("missions/<slug:slug>/pledges/new/", pledges.pledge_create, name="pledge_create"),
    path(
        "missions/<slug:slug>/asks/new/",
        exchange.listing_create,
        {"kind": "ask"},
        name="ask_create",
    ),
    path(
        "missions/<slug:slug>/offers/new/",
        exchange.listing_create,
        {"kind": "offer"},
        name="offer_create",
    ),
    path(
        "missions/<slug:slug>/volunteering/new/",
        volunteering.opportunity_create,
        name="opportunity_create",
    ),
    # Pledges.
    path("pledges/<int:pledge_id>/", pledges.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pledge_id>/progress/", pledges.pledge_progress, name="pledge_progress"),
    path("pledges/<int:pledge_id>/flag/", pledges.pledge_flag, name="pledge_flag"),
    path("pledges/<int:pledge_id>/offer/", pledges.pledge_offer, name="pledge_offer"),
    # Asks, offers and matches.
    path("asks/<int:listing_id>/", exchange.listing_detail, {"kind": "ask"}, name="ask_detail"),
    path("asks/<int:listing_id>/close/", exchange.listing_close, {"kind": "ask"}, name="ask_close"),
    path("asks/<int:ask_id>/match/<int:offer_id>/", exchange.match_create, name="match_create"),
    path(
        "offers/<int:listing_id>/", exchange.listing_detail, {"kind": "offer"}, name="offer_detail"
    ),
    path(
        "offers/<int:listing_id>/close/",
        exchange.listing_close,
        {"kind": "offer"},
        name="offer_close",
    ),
    path("matches/<int:match_id>/", exchange.match_detail, name="match_detail"),
    # Volunteering.
    path("volunteering/", volunteering.opportunity_index, name="opportunity_index"),
    path(
        "volunteering/<int:opportunity_id>/",
        volunteering.opportunity_detail,
        name="opportunity_detail",
    ),
    path(
        "volunteering/<int:opportunity_id>/edit/",
        volunteering.opportunity_edit,
        name="opportunity_edit",
    ),
    path(
        "volunteering/<int:opportunity_id>/sessions/new/",
        volunteering.session_create,
        name="session_create",
    ),
    path("sessions/<int:session_id>/", volunteering.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/edit/", volunteering.session_edit, name="session_edit"),
    path(
        "sessions/<int:session_id>/calendar.ics",
        volunteering.session_calendar,
        name="session_calendar",
    ),
    path("sessions/<int:session_id>/sign-up/", volunteering.signup_create, name="signup_create"),
    path(
        "sessions/<int:session_id>/attendance/",
        volunteering.session_attendance,
        name="session_attendance",
    ),
    path("sign-ups/<int:sign_up_id>/cancel/", volunteering.signup_cancel, name="signup_cancel"),
]
