from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from django_otp.admin import OTPAdminSite

from kretsen.core.access import public

# Platform operators only, and only after the second factor.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Kretsen"
admin.site.site_title = "Kretsen"

urlpatterns = [
    path("", include("kretsen.directory.urls")),
    path("", include("kretsen.intake.urls")),
    path("", include("kretsen.groups.urls")),
    path("", include("kretsen.matching.urls")),
    path("", include("kretsen.care.urls")),
    path("", include("kretsen.core.urls")),
    path("network/", include("kretsen.network.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
