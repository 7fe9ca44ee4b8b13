from django.urls import path  # noqa: F401 - the indicator pages add their routes here

app_name = "indicators"

urlpatterns: list = []
