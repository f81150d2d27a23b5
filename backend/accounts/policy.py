"""Password policy for people setting a password: zxcvbn's strength estimate and a minimum length
(12 for staff, who open case data; 8 for young people, who use the app on their own phone)."""

from __future__ import annotations

from zxcvbn import zxcvbn

from shared.enums import Role

STAFF_MIN_LENGTH = 12
YOUTH_MIN_LENGTH = 8
MIN_SCORE = 3  # zxcvbn 0–4; 3 = "safely unguessable" (about 10^8 guesses or more)
MAX_LENGTH = 500


class WeakPassword(ValueError):
    """The password does not meet the policy; the message says why in plain Danish."""


def min_length(role: str) -> int:
    return YOUTH_MIN_LENGTH if role == Role.YOUTH else STAFF_MIN_LENGTH


def check_password(password: str, role: str, personal: tuple[str, ...] = ()) -> None:
    """Raise WeakPassword unless `password` is long and hard enough to guess for this role.

    `personal` (username, name) are words zxcvbn treats as easy to guess.
    """
    if not isinstance(password, str) or "\x00" in password:
        raise WeakPassword("Adgangskoden indeholder ugyldige tegn.")
    n = min_length(role)
    if len(password) < n:
        raise WeakPassword(f"Adgangskoden skal være mindst {n} tegn. Brug gerne en sætning af flere ord.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Adgangskoden må højst være {MAX_LENGTH} tegn.")
    # zxcvbn's cost grows with length; the first 100 characters decide the score anyway.
    inputs = [p for part in personal if part for p in [part, *part.replace(".", " ").split()]]
    result = zxcvbn(password[:100], user_inputs=inputs + ["trinvis"])
    if result["score"] < MIN_SCORE:
        raise WeakPassword(
            "Adgangskoden er for let at gætte. Undgå almindelige ord, dit navn, årstal og rækker som "
            "1234 eller qwerty. Brug fx tre-fire tilfældige ord med bindestreg imellem."
        )
