"""The app lock in tests: one PIN, and a cheap scrypt so hundreds of test unlocks stay fast.

The real cost (vault.KdfParams()) is exercised by tests/mobile_app/test_app_security.py.
"""

from mobile_app.core.vault import KdfParams

TEST_PIN = "2580"
FAST_KDF = KdfParams(n=2**10, r=8, p=1)
