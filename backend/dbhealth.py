"""Database connection health: stale pooled connections, a bounded retry, 503 while unreachable.

After PostgreSQL restarts, every pooled connection is dead. `pool_pre_ping` tests a connection
when a request checks it out (and, when the test fails, drops every older pooled connection);
`connect_first` makes that checkout the first thing a request does and retries it a few times
while the database is coming back. A database that stays unreachable is `DatabaseUnavailable`,
which the error handlers answer with 503 and `Retry-After` - not 500, and not the push's 409.
"""

from __future__ import annotations

import time

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

RETRY_AFTER_SECONDS = 10
CONNECT_ATTEMPTS = 3
CONNECT_WAIT = 0.3  # seconds before the 2nd attempt, doubled before the 3rd

# PostgreSQL SQLSTATEs that mean "no usable server" (class 08, shutdown, not accepting yet).
_DOWN_STATES = ("57P01", "57P02", "57P03")
_MISSING = object()


class DatabaseUnavailable(Exception):
    """The database cannot be reached now; the request may be tried again later."""


def engine_options(database_url: str) -> dict:
    """SQLAlchemy engine options for Flask-SQLAlchemy's SQLALCHEMY_ENGINE_OPTIONS."""
    if database_url.startswith("sqlite"):
        return {}  # a file: nothing to go stale, and pinging would cost the bench a query
    # A blackholed server must not hold a worker for the OS's minutes-long connect timeout.
    return {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}}


def is_unavailable(exc: BaseException) -> bool:
    """True when `exc` says the database is gone (dropped connection, refused, shutting down).

    A lock timeout, a serialization failure or SQLite's "database is locked" are not: the server
    is there and busy.
    """
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    sqlstate = getattr(exc.orig, "sqlstate", _MISSING)
    if sqlstate is _MISSING:  # not a PostgreSQL driver error (SQLite has no SQLSTATE)
        return False
    if sqlstate is None:
        # psycopg reports a refused, broken or closed connection without a SQLSTATE, as an
        # OperationalError or InterfaceError; a DataError without one is bad input it refused to
        # send (a NUL in a text value), not an outage.
        return isinstance(exc, (OperationalError, InterfaceError))
    return sqlstate.startswith("08") or sqlstate in _DOWN_STATES


def connect_first(session) -> None:
    """Check out the request's connection before anything else, retrying a dropped one briefly.

    Nothing has happened in the request yet, so trying again is safe. Raises DatabaseUnavailable
    when the database still cannot be reached.
    """
    wait = CONNECT_WAIT
    for attempt in range(CONNECT_ATTEMPTS):
        try:
            session.connection()
            return
        except DBAPIError as e:
            session.rollback()
            if not is_unavailable(e):
                raise
            if attempt == CONNECT_ATTEMPTS - 1:
                raise DatabaseUnavailable(str(e.orig)[:200]) from e
            time.sleep(wait)
            wait *= 2
