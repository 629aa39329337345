from django.urls import path

from kretsen.intake.views import public, relative, staff

app_name = "intake"

urlpatterns = [
    path("offers/<uuid:offer>/interest/", public.interest_for_offer, name="interest-offer"),
    path("o/<slug:org>/interest/", public.interest_for_organisation, name="interest"),
    path("o/<slug:org>/interest/received/", public.received, name="received"),
    path("me/data/", relative.my_data, name="my-data"),
    path(
        "me/registrations/<uuid:registration>/contact/",
        relative.correct_contact,
        name="my-contact",
    ),
    path("me/registrations/<uuid:registration>/withdraw/", relative.withdraw, name="my-withdraw"),
    path("staff/<slug:org>/registrations/", staff.inbox, name="inbox"),
    path(
        "staff/<slug:org>/registrations/<uuid:registration>/",
        staff.registration_detail,
        name="registration",
    ),
    path(
        "staff/<slug:org>/registrations/<uuid:registration>/assign/",
        staff.registration_assign,
        name="registration-assign",
    ),
    path(
        "staff/<slug:org>/registrations/<uuid:registration>/contact/",
        staff.registration_contact,
        name="registration-contact",
    ),
    path(
        "staff/<slug:org>/registrations/<uuid:registration>/status/",
        staff.registration_status,
        name="registration-status",
    ),
    path(
        "staff/<slug:org>/registrations/<uuid:registration>/intake/",
        staff.registration_intake,
        name="registration-intake",
    ),
    path("staff/<slug:org>/waiting-list/", staff.waiting_list, name="waiting-list"),
]
