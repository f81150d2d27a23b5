"""Errors the core raises; every one carries a plain Danish message for the screen."""


class CoreError(Exception):
    """Base class: `message` is Danish and safe to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationFailed(CoreError):
    """An entry was refused on the phone before it was queued."""


class Offline(CoreError):
    """The server could not be reached (after retries)."""

    def __init__(self, message: str = "Ingen forbindelse til serveren. Dine ændringer er gemt på telefonen."):
        super().__init__(message)


class ServerUnavailable(Offline):
    """503: the server is up but cannot work now (its database is down); try again later."""

    def __init__(self, message: str = "", retry_after: float | None = None):
        super().__init__(
            message
            or "Serveren er midlertidigt utilgængelig. Dine ændringer er gemt på "
            "telefonen, og de bliver sendt, når serveren virker igen."
        )
        self.retry_after = retry_after


class AuthExpired(CoreError):
    """401: the token is no longer valid; the user must log in again."""

    def __init__(self, message: str = "Du skal logge ind igen."):
        super().__init__(message)


class UpdateRequired(CoreError):
    """426: the server no longer accepts this app version."""

    def __init__(self, message: str = "Appen er for gammel. Opdater appen for at kunne sende dine ændringer."):
        super().__init__(message)


class ApiError(CoreError):
    """Any other error answer from the server."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code


class Locked(CoreError):
    """The store's data key is not in memory: the app is locked (or nobody is logged in)."""

    def __init__(self, message: str = "Appen er låst. Skriv din pinkode."):
        super().__init__(message)


class TokenRevoked(AuthExpired):
    """401 token_revoked: the token was revoked (lost phone) or the user closed; the phone wipes itself."""

    def __init__(self, message: str = "Telefonen er blevet tømt, fordi adgangen er lukket. Log ind igen."):
        super().__init__(message)


class SecondFactorNeeded(CoreError):
    """401 two_factor_required: the password was right; the user has two-factor login on."""

    def __init__(self, message: str = "Skriv koden fra din godkendelses-app."):
        super().__init__(message)


class WrongSecondFactor(SecondFactorNeeded):
    """401 invalid_otp: the code from the authenticator app (or the recovery code) did not match."""

    def __init__(self, message: str = "Forkert kode – prøv igen."):
        super().__init__(message)
