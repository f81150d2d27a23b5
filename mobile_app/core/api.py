"""HTTP client for the server's /api/v1 (requests), with retries and backoff (tenacity)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from mobile_app.core.errors import (
    ApiError,
    AuthExpired,
    Offline,
    SecondFactorNeeded,
    ServerUnavailable,
    TokenRevoked,
    UpdateRequired,
    WrongSecondFactor,
)

if TYPE_CHECKING:
    import requests


class _Transient(Exception):
    """A failure worth retrying: no connection, timeout, 5xx, 429 (`resp` when the server answered)."""

    def __init__(self, message: str, resp: requests.Response | None = None):
        super().__init__(message)
        self.resp = resp


def _retry_after(resp: requests.Response) -> float | None:
    try:
        return float(resp.headers.get("Retry-After", ""))
    except ValueError:
        return None  # absent, or an HTTP date: the caller's own schedule decides


class ApiClient:
    """One server, one token. Transient failures are retried with exponential backoff."""

    def __init__(
        self, base_url: str, token: str | None = None, timeout: float = 15.0, attempts: int = 4, max_wait: float = 8.0
    ):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.attempts = attempts
        self.max_wait = max_wait
        self._session: requests.Session | None = None

    @property
    def _http(self) -> requests.Session:
        # requests (with urllib3, http.client, email …) is imported on the first call, not at the
        # app's start: in the browser that import costs about a second of the warm start.
        if self._session is None:
            import requests

            self._session = requests.Session()
        return self._session

    def _request(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        headers = kw.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = f"{self.base_url}/api/v1{path}"

        def once() -> requests.Response:
            import requests

            try:
                resp = self._http.request(method, url, headers=headers, timeout=self.timeout, **kw)
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ) as exc:
                # ChunkedEncodingError: the connection broke in the middle of the answer.
                raise _Transient(str(exc)) from exc
            if resp.status_code >= 500 or resp.status_code == 429:
                raise _Transient(f"HTTP {resp.status_code}", resp)
            if resp.status_code < 400:
                try:
                    ok = isinstance(resp.json(), dict)
                except ValueError:
                    ok = False
                if not ok:
                    # A 200 that is not the API's JSON: a captive portal (hotel wifi) or a proxy's page.
                    raise _Transient("svaret var ikke fra Trinvis-serveren")
            return resp

        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential_jitter(initial=0.2, max=self.max_wait),
            retry=retry_if_exception_type(_Transient),
            reraise=False,
        )
        try:
            resp = retrying(once)
        except RetryError as exc:
            answered: requests.Response | None = getattr(exc.last_attempt.exception(), "resp", None)
            if answered is not None and answered.status_code == 503:
                # The server answered but cannot work now (its database is down): try again later.
                raise ServerUnavailable(retry_after=_retry_after(answered)) from exc
            raise Offline() from exc
        return self._decode(resp)

    @staticmethod
    def _decode(resp: requests.Response) -> dict[str, Any]:
        try:
            body = resp.json()
        except ValueError:
            body = {}
        if resp.status_code < 400:
            return cast("dict[str, Any]", body)  # once() let through only JSON objects
        err = (body or {}).get("error") or {}
        message = err.get("message") or f"Serveren svarede {resp.status_code}."
        if resp.status_code == 401:
            if err.get("code") == "token_revoked":
                raise TokenRevoked()
            # Only the login answers these two (password right, second factor missing or wrong).
            if err.get("code") == "two_factor_required":
                raise SecondFactorNeeded()
            if err.get("code") == "invalid_otp":
                raise WrongSecondFactor()
            if err.get("code") == "signed_out":
                raise AuthExpired(message)  # a password reset: log in with the new one, data kept
            raise AuthExpired()
        if resp.status_code == 426:
            raise UpdateRequired(message or UpdateRequired().message)
        raise ApiError(resp.status_code, err.get("code") or str(resp.status_code), message)

    def health(self) -> dict[str, Any]:
        return self._request("GET", "/health")

    def login(self, username: str, password: str, device_name: str, otp: str | None = None) -> dict[str, Any]:
        """A token for this phone; `otp` is the TOTP or recovery code of a user with two-factor login."""
        body = {"username": username, "password": password, "device_name": device_name}
        if otp is not None:
            body["otp"] = otp
        try:
            return self._request("POST", "/auth/login", json=body)
        except AuthExpired:
            # A 401 on the login itself means wrong username or password.
            raise ApiError(401, "invalid_credentials", "Forkert brugernavn eller adgangskode.") from None

    def token_status(self, token_hash: str) -> str:
        """'revoked', 'signed_out' (password reset), 'active' or 'unknown' for the token with this
        SHA-256 (no token needed). Only 'revoked' means wipe."""
        return str(self._request("POST", "/auth/token-status", json={"token_hash": token_hash}).get("status"))

    def logout(self) -> None:
        self._request("POST", "/auth/logout", json={})

    def pull(self, cursor: str | None, limit: int) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return self._request("GET", "/sync/pull", params=params)

    def push(self, device_id: str, schema_version: int, mutations: list[dict[str, Any]]) -> dict[str, Any]:
        body = {"device_id": device_id, "schema_version": schema_version, "mutations": mutations}
        return self._request("POST", "/sync/push", json=body)

    def my_contacts(self) -> dict[str, Any]:
        """The young person's mentor (name, work phone) for "Ring til nogen"."""
        return self._request("GET", "/me/contacts")

    def export(self, youth_id: str) -> dict[str, Any]:
        """Everything the server holds about the young person (GDPR art. 15), as JSON."""
        return self._request("GET", f"/youth/{youth_id}/export")

    def export_link(self, youth_id: str) -> dict[str, Any]:
        """A short-lived link to the same as a readable document, for the phone's browser."""
        return self._request("POST", f"/youth/{youth_id}/export-link", json={})
