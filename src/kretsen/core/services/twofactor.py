"""Second factor for staff: TOTP devices (django-otp) and one-time recovery codes."""

from __future__ import annotations

import math
from datetime import datetime

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.models import ThrottlingMixin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kretsen.core.models import User

RECOVERY_DEVICE_NAME = "recovery"


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device shown during enrolment; the same one until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def confirm_totp(device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token.replace(" ", "")):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def qr_svg(uri: str) -> str:
    return str(segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#1d2a35"))


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()


# A typo or a code that changed while it was typed should cost nothing: the first wrong codes
# in a row are free. From then on each wrong code doubles the wait (1 s, 2 s, 4 s, ... up to
# 15 minutes), which still makes guessing six digits hopeless. django-otp's own throttle is
# off (OTP_*_THROTTLE_FACTOR = 0) because it refuses even the right code for a second after
# the first wrong one; its failure counters are still kept and are what this reads.
FREE_WRONG_CODES = 3
MAX_WAIT_SECONDS = 15 * 60


def wait_after(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong codes in a row."""
    if failures < FREE_WRONG_CODES:
        return 0
    return int(min(2 ** (failures - FREE_WRONG_CODES), MAX_WAIT_SECONDS))


def _devices(user: User) -> list[ThrottlingMixin]:
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def seconds_to_wait(user: User, now: datetime | None = None) -> int:
    """How long ``user`` must wait before another code is checked (0: try now)."""
    now = now or timezone.now()
    waits = []
    for device in _devices(user):
        last = device.throttling_failure_timestamp
        if last is None:
            continue
        left = wait_after(device.throttling_failure_count) - (now - last).total_seconds()
        waits.append(math.ceil(left))
    return max([0, *waits])


def reset_wrong_codes(user: User) -> None:
    """After a right code, every device starts again from no wrong codes."""
    for device in _devices(user):
        if device.throttling_failure_count:
            device.throttle_reset()
