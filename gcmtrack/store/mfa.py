"""Multi-factor sign-in through django-otp: a TOTP device (RFC 6238, any authenticator app) and
a static device holding the recovery codes, each usable once. Required for staff and admins,
optional for submitters and reviewers. django-otp's own models stay inside the store, like ours;
its devices throttle wrong codes themselves (an exponential delay per device)."""

from __future__ import annotations

from dataclasses import dataclass

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gcmtrack.store.api import Store, cli_actor
from gcmtrack.store.events import Action, Role
from gcmtrack.store.models import Account

RECOVERY_CODES = 10
MFA_REQUIRED = (Role.STAFF, Role.ADMIN)


@dataclass(frozen=True)
class Enrolment:
    """A TOTP device being set up: shown to the person, confirmed by a first code."""

    device_id: int
    secret: str  # base32, as authenticator apps take it typed
    url: str  # otpauth:// for the QR code


def mfa_required(account: Account) -> bool:
    return account.role in MFA_REQUIRED


def has_mfa(store: Store, account: Account) -> bool:
    return TOTPDevice.objects.using(store.alias).filter(user=account, confirmed=True).exists()


def start_enrolment(store: Store, account: Account) -> Enrolment:
    """A new, unconfirmed TOTP device (any earlier unconfirmed one is dropped)."""
    import base64

    with store.transaction():
        TOTPDevice.objects.using(store.alias).filter(user=account, confirmed=False).delete()
        device = TOTPDevice(user=account, name="authenticator", confirmed=False)
        device.save(using=store.alias)
    return Enrolment(device.pk, base64.b32encode(device.bin_key).decode(), device.config_url)


def enrolment(store: Store, account: Account, device_id: int) -> Enrolment | None:
    import base64

    device = TOTPDevice.objects.using(store.alias).filter(pk=device_id, user=account, confirmed=False).first()
    if device is None:
        return None
    return Enrolment(device.pk, base64.b32encode(device.bin_key).decode(), device.config_url)


def confirm_enrolment(store: Store, account: Account, device_id: int, code: str) -> list[str] | None:
    """Confirm the device with a first code: returns the new recovery codes (shown once; any
    earlier device and codes are replaced), or None when the code is not right."""
    code = "".join((code or "").split())[:16]
    device = TOTPDevice.objects.using(store.alias).filter(pk=device_id, user=account, confirmed=False).first()
    if device is None or not code.isdigit() or not device.verify_token(code):
        return None
    with store.transaction():
        TOTPDevice.objects.using(store.alias).filter(user=account).exclude(pk=device.pk).delete()
        StaticDevice.objects.using(store.alias).filter(user=account).delete()
        device.confirmed = True
        device.save(using=store.alias)
        codes = new_recovery_codes(store, account)
        store.record(account.email, Action.MFA_ENROL, object_type="account", object_id=account.email)
    return codes


def new_recovery_codes(store: Store, account: Account) -> list[str]:
    """RECOVERY_CODES fresh codes (the old ones stop working); only these are shown, once."""
    static = StaticDevice.objects.using(store.alias).filter(user=account).first()
    if static is None:
        static = StaticDevice(user=account, name="recovery", confirmed=True)
        static.save(using=store.alias)
    StaticToken.objects.using(store.alias).filter(device=static).delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.using(store.alias).bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verify_code(store: Store, account: Account, code: str) -> str | None:
    """Check a code from the authenticator ("totp") or a recovery code ("recovery", used up now);
    None when neither matches (or the device is throttled after wrong codes)."""
    code = "".join((code or "").split())[:16]
    if not code:
        return None
    devices = TOTPDevice.objects.using(store.alias).filter(user=account, confirmed=True)
    if code.isdigit():
        for device in devices:
            if device.verify_is_allowed()[0] and device.verify_token(code):
                return "totp"
    for static in StaticDevice.objects.using(store.alias).filter(user=account, confirmed=True):
        if static.verify_is_allowed()[0] and static.verify_token(code.lower()):
            store.audit(account.email, Action.MFA_RECOVERY_USED, object_type="account", object_id=account.email,
                        detail={"left": StaticToken.objects.using(store.alias).filter(device=static).count()})
            return "recovery"
    return None


def reset_mfa(store: Store, email: str, *, actor: str | None = None) -> Account:
    """Remove an account's authenticator and recovery codes (an admin helping someone who lost
    both): staff and admins enrol again at their next sign-in."""
    from gcmtrack.store.accounts import get_account

    account = get_account(store, email)
    with store.transaction():
        TOTPDevice.objects.using(store.alias).filter(user=account).delete()
        StaticDevice.objects.using(store.alias).filter(user=account).delete()
        store.record(actor or cli_actor(), Action.MFA_RESET, object_type="account", object_id=account.email)
    return account
