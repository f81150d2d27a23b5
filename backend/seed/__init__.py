"""The demo municipality (`flask --app backend seed-demo`), see docs/architecture.md#demo-municipality.

Organisations and users are made with the administrator functions; all case data is then written
through the sync engine (`backend.sync.push.push`) as the real staff member or young person who
would record it, so the demo also exercises the permission rules. Any rejected mutation stops
the seed with an error.

Idempotent: record and mutation ids are deterministic (uuid5), mutations already applied are not
sent again, and once the last step is in place the case data is left alone entirely — a second
run changes nothing. Dates are relative to the day of the first run, so a fresh demo always
looks current.

Other modules add their own demo data by appending a callable to `EXTRA_SEEDERS` at import time
(e.g. in the package `create_app` imports); `seed_demo()` calls each after the core demo and
adds what it returns (a line of text, or None) to the summary.

The package: `base` (the cast, ids, errors), `seeder` (the seeder and its pushes), one module per
step (`plans`, `attendance`, `agreements`, `assessments`).
"""

from __future__ import annotations

from collections.abc import Callable

from backend import clock
from backend.seed.base import (
    CONSENTS,
    DEMO_PASSWORD,
    NAMESPACE,
    ORGANIZATIONS,
    USERS,
    SeedError,
    rid,
)
from backend.seed.seeder import _Seeder

__all__ = [
    "CONSENTS",
    "DEMO_PASSWORD",
    "EXTRA_SEEDERS",
    "NAMESPACE",
    "ORGANIZATIONS",
    "USERS",
    "SeedError",
    "_Seeder",
    "extra_seeders",
    "rid",
    "seed_demo",
]

EXTRA_SEEDERS: list[Callable[[], str | None]] = []
"""Further demo data (e.g. programmes); append at import time. Each must be idempotent itself."""


def extra_seeders() -> list[Callable[[], str | None]]:
    """The registered extra seeders, in registration order (read here, so tests can replace the list)."""
    return list(EXTRA_SEEDERS)


def seed_demo() -> str:
    """Create the demo municipality (idempotent); returns a short Danish summary."""
    seeder = _Seeder(clock.today())
    lines = [seeder.run()]
    for fn in extra_seeders():
        out = fn()
        if out:
            lines.append(out)
    return "\n".join(lines)


# The programme catalogue and the results history (issue 6) seed after the core demo.
from backend.programmes.seed import seed_programmes  # noqa: E402

EXTRA_SEEDERS.append(seed_programmes)

# The young person's voice, steps and company agreements (issue 14) after that.
from backend.seed.voice import seed_voice  # noqa: E402

EXTRA_SEEDERS.append(seed_voice)
