"""Code both the backend and the app use: enums, dimensions, schemas and pure domain rules.

Nothing in this package imports Flask, SQLAlchemy or Flet.
"""

SCHEMA_VERSION = 4
"""Newest sync payload schema version; the server accepts clients from MIN_SCHEMA_VERSION to this."""

MIN_SCHEMA_VERSION = 3
