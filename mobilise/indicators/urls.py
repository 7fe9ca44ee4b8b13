from django.urls import path

from . import views, views_import, views_links

app_name = "indicators"

# Fixed words come before "<code>/": no indicator may have the code "places", "maps", "import" or "outcomes".
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views_import.upload, name="import"),
    path(
        "outcomes/<slug:slug>/<slug:outcome_slug>/link/",
        views_links.link_create,
        name="link_create",
    ),
    path(
        "outcomes/<slug:slug>/<slug:outcome_slug>/link/<int:link_id>/remove/",
        views_links.link_delete,
        name="link_delete",
    ),
    path(
        "outcomes/<slug:slug>/<slug:outcome_slug>/unlink/<slug:code>/",
        views_links.unlink_indicator,
        name="unlink_indicator",
    ),
    path(
        "outcomes/<slug:slug>/<slug:outcome_slug>/link/<int:link_id>/target/",
        views_links.link_target,
        name="link_target",
    ),
    path("places/<str:place_code>/", views.place_comparison, name="place"),
    path("maps/<str:level>.geojson", views.boundaries, name="boundaries"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/data.csv", views.data_csv, name="data_csv"),
    path("<slug:code>/map/", views.map_view, name="map"),
    path("<slug:code>/targets/<str:place_code>/", views.target_edit, name="target_edit"),
    path("<slug:code>/targets/<str:place_code>/delete/", views.target_delete, name="target_delete"),
]
