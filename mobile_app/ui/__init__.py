"""Flet views: they call the core and hold no rules."""
