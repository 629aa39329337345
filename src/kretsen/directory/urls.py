from django.urls import path

from kretsen.directory.views import posters, public, staff

app_name = "directory"

urlpatterns = [
    path("offers/", public.directory, name="directory"),
    path("offers/<uuid:offer>/", public.offer_detail, name="offer"),
    path("offers/<uuid:offer>/poster.pdf", posters.offer_poster, name="offer-poster"),
    path("o/<slug:org>/", public.organisation_page, name="organisation"),
    path("o/<slug:org>/privacy/", public.privacy, name="privacy"),
    path("o/<slug:org>/embed/", public.embed, name="embed"),
    path("o/<slug:org>/offers.json", public.offers_json, name="offers-json"),
    path("o/<slug:org>/poster.pdf", posters.organisation_poster, name="organisation-poster"),
    path("staff/<slug:org>/offers/", staff.offer_list, name="staff-offers"),
    path("staff/<slug:org>/offers/new/", staff.offer_create, name="staff-offer-new"),
    path("staff/<slug:org>/offers/<uuid:offer>/", staff.offer_edit, name="staff-offer"),
    path(
        "staff/<slug:org>/offers/<uuid:offer>/state/", staff.offer_state, name="staff-offer-state"
    ),
    path("staff/<slug:org>/settings/", staff.organisation_settings, name="settings"),
]
