from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from mobilise import views

admin.site.site_header = _("Mobilise administration")
admin.site.site_title = _("Mobilise administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("mobilise.core.urls")),
    path("places/", include("mobilise.places.urls")),
    path("missions/", include("mobilise.missions.urls")),
    path("indicators/", include("mobilise.indicators.urls")),
    path("coalition/", include("mobilise.coalition.urls")),
    path("conversations/", include("mobilise.deliberation.urls")),
    path("budgets/", include("mobilise.budgeting.urls")),
    path("learning/", include("mobilise.learning.urls")),
    path("assurance/", include("mobilise.assurance.urls")),
    path("", include("mobilise.accounts.urls")),
    path("account/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
