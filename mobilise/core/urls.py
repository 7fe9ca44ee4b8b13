from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("data-sources/", views.data_sources, name="data_sources"),
    path("healthz", views.healthz, name="healthz"),
]
