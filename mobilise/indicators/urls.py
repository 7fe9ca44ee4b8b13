from django.urls import path

app_name = "indicators"

# Pages are added by the indicator pages work; the import page by the importer work.
urlpatterns: list = []
