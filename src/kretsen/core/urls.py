from django.urls import include, path

from kretsen.core.views import health, public, relative, staff, staff_auth

app_name = "core"

account = [
    path("sign-in/", staff_auth.sign_in, name="staff-sign-in"),
    path("verify/", staff_auth.verify, name="staff-verify"),
    path("two-factor/", staff_auth.two_factor_setup, name="staff-two-factor-setup"),
    path("recovery-codes/", staff_auth.recovery_codes, name="staff-recovery-codes"),
    path("sign-out/", staff_auth.sign_out, name="staff-sign-out"),
    path("invitation/<str:token>/", staff_auth.invitation, name="staff-invitation"),
    path("password-reset/", staff_auth.password_reset, name="staff-password-reset"),
    path("password-reset/sent/", staff_auth.password_reset_sent, name="staff-password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        staff_auth.password_reset_confirm,
        name="staff-password-reset-confirm",
    ),
    path("password-reset/done/", staff_auth.password_reset_done, name="staff-password-reset-done"),
]

organisation = [
    path("", staff.org_home, name="org-home"),
    path("people/", staff.people, name="people"),
    path("people/invite/", staff.invite, name="people-invite"),
    path("people/<uuid:membership>/", staff.membership_detail, name="membership"),
    path(
        "people/<uuid:membership>/deactivate/",
        staff.membership_deactivate,
        name="membership-deactivate",
    ),
    path(
        "people/<uuid:membership>/reactivate/",
        staff.membership_reactivate,
        name="membership-reactivate",
    ),
    path("audit/", staff.audit_log, name="audit"),
]

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("sign-in/", relative.sign_in, name="sign-in"),
    path("sign-in/sent/", relative.sign_in_sent, name="sign-in-sent"),
    path("sign-in/link/<str:token>/", relative.sign_in_link, name="sign-in-link"),
    path("me/", relative.me, name="me"),
    path("me/sign-out/", relative.me_sign_out, name="me-sign-out"),
    path("staff/", staff.staff_home, name="staff-home"),
    path("staff/account/", include(account)),
    path("staff/<slug:org>/", include(organisation)),
]
