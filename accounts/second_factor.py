"""Two-factor authentication (django-otp): a TOTP device and single-use recovery codes.

Required for officers (and superusers) who sign in with a password; optional for partners (once
enrolled, they are asked too). API tokens are not affected."""

from __future__ import annotations

import secrets

import segno
from django.contrib.auth.models import User
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conventions.access import is_officer

SESSION_PENDING = "accounts_second_factor"
TOTP_NAME = "Application d'authentification"
RECOVERY_NAME = "Codes de secours"
RECOVERY_COUNT = 10


def second_factor_required(user: User) -> bool:
    """Officers and superusers always; a partner once they have enrolled."""
    if getattr(user, "is_superuser", False) or is_officer(user):
        return True
    return has_second_factor(user)


def has_second_factor(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def totp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device an enrolment shows (one per user, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with a first code; return fresh recovery codes, or None if wrong."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=device.user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Replace the recovery codes; each works once. Returned in clear, shown once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def second_factor_remove(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def token_match(*, user: User, token: str):
    """The confirmed device that accepts this code (TOTP, once per time step; or a recovery code,
    which is then spent), else None."""
    token = (token or "").strip().replace(" ", "")
    if not token:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def qr_svg(device: TOTPDevice) -> str:
    """A data: URI of the QR code for the device's otpauth:// URL (no external service)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def base32_secret(device: TOTPDevice) -> str:
    import base64

    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def second_factor_install(*, user: User, key_hex: str, recovery_codes: list[str]) -> TOTPDevice:
    """Enrol a user with a known secret (demo data only): kept as is if already enrolled."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        return device
    device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key_hex, confirmed=True)
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in recovery_codes])
    return device


def current_code(device: TOTPDevice) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    return f"{totp.token():0{device.digits}d}"
