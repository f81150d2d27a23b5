"""Caseworker web pages (server-rendered, session login, CSRF)."""

from flask import Flask


def register_web(app: Flask) -> None:
    """Register the caseworker blueprints."""
