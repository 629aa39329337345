"""Background work of the core app. Tasks take ids or plain values and re-read what they need."""

from __future__ import annotations

from django_tasks import task

from kretsen.core.services import signin, staff


@task()
def send_sign_in_link(email: str, language: str) -> None:
    signin.create_and_send_link(email, language)


@task()
def send_staff_invitation(membership_id: int, language: str) -> None:
    staff.create_and_send_invitation(membership_id, language)


@task()
def check_audit_chain(check_id: int) -> None:
    from kretsen.core import audit_chain

    audit_chain.run_daily_check(check_id)
