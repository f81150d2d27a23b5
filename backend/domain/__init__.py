"""Domain rules of the backend that need no database, request or framework (see policies.py)."""
