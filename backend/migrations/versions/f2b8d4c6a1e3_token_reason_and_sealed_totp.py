"""why a device token ended, and TOTP secrets encrypted at rest

`device_token.revoked_reason` (wipe, logout, deactivated, password_reset): only a password reset
lets the phone keep its data. Tokens revoked before this migration keep NULL, which wipes (the
safe reading when the reason is unknown).

`totp_credential.secret` (clear base32) becomes `encrypted_secret`, a Fernet token under the first
key of TRINVIS_FIELD_KEYS (or the key derived from SECRET_KEY outside production, see
backend/accounts/fieldcrypt.py). The downgrade decrypts them again and stops, changing nothing,
if a secret cannot be decrypted with the configured keys.

Revision ID: f2b8d4c6a1e3
Revises: e5f1a7c3b9d2
Create Date: 2026-12-01 17:00:00
"""

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "f2b8d4c6a1e3"
down_revision = "e5f1a7c3b9d2"
branch_labels = None
depends_on = None


def _keys() -> tuple[str, ...]:
    from backend.accounts.fieldcrypt import effective_keys

    return effective_keys(current_app.config)


def upgrade():
    with op.batch_alter_table("device_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_reason", sa.String(length=20), nullable=True))

    from backend.accounts.fieldcrypt import seal

    keys = _keys()
    with op.batch_alter_table("totp_credential", schema=None) as batch_op:
        batch_op.add_column(sa.Column("encrypted_secret", sa.String(length=255), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT user_id, secret FROM totp_credential")).all()
    for user_id, secret in rows:
        conn.execute(
            sa.text("UPDATE totp_credential SET encrypted_secret = :s WHERE user_id = :u"),
            {"s": seal(secret, keys), "u": user_id},
        )
    with op.batch_alter_table("totp_credential", schema=None) as batch_op:
        batch_op.drop_column("secret")
        batch_op.alter_column("encrypted_secret", existing_type=sa.String(length=255), nullable=False)


def downgrade():
    from backend.accounts.fieldcrypt import FieldKeyError, unseal

    keys = _keys()
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT user_id, encrypted_secret FROM totp_credential")).all()
    plain, unreadable = {}, []
    for user_id, token in rows:
        try:
            plain[user_id] = unseal(token, keys)
        except FieldKeyError:
            unreadable.append(user_id)
    if unreadable:
        raise RuntimeError(
            f"{len(unreadable)} TOTP secret(s) cannot be decrypted with TRINVIS_FIELD_KEYS "
            f"(users {', '.join(unreadable)}): set the key they were encrypted with, or reset their 2FA first."
        )
    with op.batch_alter_table("totp_credential", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret", sa.String(length=64), nullable=True))
    for user_id, secret in plain.items():
        conn.execute(sa.text("UPDATE totp_credential SET secret = :s WHERE user_id = :u"), {"s": secret, "u": user_id})
    with op.batch_alter_table("totp_credential", schema=None) as batch_op:
        batch_op.drop_column("encrypted_secret")
        batch_op.alter_column("secret", existing_type=sa.String(length=64), nullable=False)

    with op.batch_alter_table("device_token", schema=None) as batch_op:
        batch_op.drop_column("revoked_reason")
