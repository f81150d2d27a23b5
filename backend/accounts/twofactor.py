"""Two-factor login for staff: TOTP (RFC 6238 via pyotp; the secret stored encrypted, see
fieldcrypt.py), a QR code as inline SVG (qrcode, no Pillow), and ten one-time recovery codes
stored as SHA-256."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import secrets
import time

import pyotp
import qrcode
import qrcode.image.svg
from flask import current_app
from sqlalchemy import delete, select

from backend.accounts.fieldcrypt import FieldKeyError, seal, unseal
from backend.accounts.models import RecoveryCode, TotpCredential
from backend.extensions import db
from backend.models import User, utcnow
from shared.enums import Role

ISSUER = "Trinvis"
RECOVERY_CODES = 10
# Coordinators, partners and admins open case data or accounts from any browser; mentors too may
# turn it on themselves. Young people use the app on their own phone.
REQUIRED_ROLES = frozenset({Role.COORDINATOR, Role.PARTNER, Role.ADMIN})
ALLOWED_ROLES = REQUIRED_ROLES | {Role.MENTOR}
FIELD_HINT = "wrong or missing TRINVIS_FIELD_KEYS"
UNAVAILABLE_DA = (
    "Koden fra godkendelses-appen kan ikke tjekkes lige nu (en fejl i serverens opsætning). "
    "Brug en gendannelseskode, eller kontakt din administrator."
)


class SecondFactorUnavailable(Exception):
    """The stored TOTP secret cannot be decrypted (wrong TRINVIS_FIELD_KEYS): no code can pass."""


def credential(user: User) -> TotpCredential | None:
    return db.session.get(TotpCredential, user.id)


def enabled(user: User) -> bool:
    cred = credential(user)
    return cred is not None and cred.enabled_at is not None


def required(user: User) -> bool:
    """The deployment demands a second factor of this user (TRINVIS_REQUIRE_2FA, by role)."""
    return bool(current_app.config.get("REQUIRE_2FA")) and user.role in REQUIRED_ROLES


def login_stage(user: User) -> str:
    """What a correct password leads to: "full", "mfa" (ask for a code) or "enrol" (set it up)."""
    if enabled(user):
        return "mfa"
    return "enrol" if required(user) else "full"


def pending_secret(user: User) -> str:
    """The secret being set up (kept across reloads of the enrolment page until confirmed)."""
    cred = credential(user)
    if cred is not None:
        try:
            return unseal(cred.encrypted_secret)
        except FieldKeyError:
            # Sealed under a key no longer configured; not in use yet (the page is only shown
            # before it is confirmed), so a new one costs nothing.
            db.session.delete(cred)
            db.session.flush()
    secret = pyotp.random_base32()
    db.session.add(TotpCredential(user_id=user.id, encrypted_secret=seal(secret), last_step=0))
    db.session.commit()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(data: str) -> str:
    """The QR code as an inline <svg> element (CSP allows it: no data: URL, no script)."""
    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buf = io.BytesIO()
    img.save(buf)
    svg = buf.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    # Millimetre sizes from the library; the page's CSS sizes it instead.
    return re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        '<svg role="img" aria-label="QR-kode til godkendelsesappen"',
        svg,
        count=1,
    )


def _verify_totp(cred: TotpCredential, code: str) -> bool:
    """A 6-digit code of the current, previous or next 30 s step, each step accepted once.
    FieldKeyError when the secret cannot be decrypted."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return False
    totp = pyotp.TOTP(unseal(cred.encrypted_secret))
    now = int(time.time())
    for drift in (-1, 0, 1):
        step = now // 30 + drift
        if step > (cred.last_step or 0) and secrets.compare_digest(totp.at(step * 30), code):
            cred.last_step = step
            return True
    return False


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Turn TOTP on if `code` matches the pending secret; returns new recovery codes (shown once)."""
    cred = credential(user)
    try:
        if cred is None or not _verify_totp(cred, code):
            return None
    except FieldKeyError:
        return None  # pending_secret replaced it; the page shows the new one
    cred.enabled_at = utcnow()
    return new_recovery_codes(user)


def _digest(code: str) -> str:
    return hashlib.sha256("".join(code.lower().split()).replace("-", "").encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones (16 base32 chars = 80 random bits)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()  # 16 chars
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(codes[-1]), used=False))
    return codes


def verify_second_factor(user: User, code: str) -> str | None:
    """ "totp" or "recovery" when `code` is a valid TOTP code or an unused recovery code, else None.

    SecondFactorUnavailable when the TOTP secret cannot be decrypted and `code` is no recovery code
    (recorded in the audit log with the reason; the caller refuses the login with UNAVAILABLE_DA).
    """
    cred = credential(user)
    if cred is None or cred.enabled_at is None or not isinstance(code, str) or len(code) > 100:
        return None
    try:
        if _verify_totp(cred, code):
            return "totp"
        unreadable = False
    except FieldKeyError:
        unreadable = True
    if _use_recovery_code(user, code):
        return "recovery"
    if unreadable:
        from backend import audit

        audit.record(user, "login_failed", detail=f"second factor: TOTP secret not decryptable ({FIELD_HINT})")
        current_app.logger.error("TOTP secret of user %s cannot be decrypted: %s", user.id, FIELD_HINT)
        raise SecondFactorUnavailable()
    return None


def _use_recovery_code(user: User, code: str) -> bool:
    row = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code), RecoveryCode.used.is_(False)
        )
    )
    if row is None:
        return False
    row.used = True
    return True


def remaining_recovery_codes(user: User) -> int:
    rows = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used.is_(False))
    ).all()
    return len(rows)


def reset(user: User) -> None:
    """Remove the user's TOTP and recovery codes (lost phone); they set it up again at next login."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TotpCredential).where(TotpCredential.user_id == user.id))


def check_second_factor(user: User, code: str | None) -> None:
    """The API login's second step: a user with TOTP on (or required) must send `otp` as well."""
    from backend import audit
    from backend.errors import ApiError

    stage = login_stage(user)
    if stage == "full":
        return
    if stage == "enrol":
        db.session.commit()
        raise ApiError(
            403,
            "two_factor_setup_required",
            "Du skal først sætte totrinsbekræftelse op. Log ind på sagsbehandler-siderne i en browser.",
        )
    if not code:
        db.session.commit()
        raise ApiError(401, "two_factor_required", "Skriv koden fra din godkendelses-app (felt otp).")
    try:
        kind = verify_second_factor(user, code)
    except SecondFactorUnavailable:
        db.session.commit()  # the audit line
        raise ApiError(503, "two_factor_unavailable", UNAVAILABLE_DA) from None
    if kind is None:
        audit.record(user, "login_failed", detail="second factor")
        db.session.commit()
        raise ApiError(401, "invalid_otp", "Koden passer ikke. Prøv igen med den nyeste kode.")
