"""Trinvis phone app: core/ (offline store, outbox, sync; no Flet) and ui/ (Flet views)."""
