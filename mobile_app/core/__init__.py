"""The app's core: local store, outbox, sync client and services. Imports no Flet."""

from mobile_app.core.app_core import AppCore
from mobile_app.core.errors import (
    ApiError,
    AuthExpired,
    CoreError,
    Locked,
    Offline,
    SecondFactorNeeded,
    ServerUnavailable,
    TokenRevoked,
    UpdateRequired,
    ValidationFailed,
    WrongSecondFactor,
)

__all__ = [
    "AppCore",
    "ApiError",
    "AuthExpired",
    "CoreError",
    "Locked",
    "Offline",
    "SecondFactorNeeded",
    "ServerUnavailable",
    "TokenRevoked",
    "UpdateRequired",
    "ValidationFailed",
    "WrongSecondFactor",
]
