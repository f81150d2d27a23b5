"""Accounts: server-side web sessions, password policy, two-factor login, the user lifecycle and the
shared login throttle (issue 11). The web pages for them live in backend/web/account.py and
backend/web/admin_users.py."""
