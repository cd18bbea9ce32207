"""The first schema: pools, invites, members, events and running counters.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen here on purpose: db.py describes the newest schema, this file the first one.
_ID = sa.Integer()
_BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "pools",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("slug", sa.String(32), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("company", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("organiser_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "invites",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("pool_id", _ID, sa.ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_invites_pool", "invites", ["pool_id"])
    op.create_table(
        "members",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("pool_id", _ID, sa.ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
        sa.Column("public_id", sa.String(40), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
    )
    op.create_index("ix_members_pool", "members", ["pool_id"])
    op.create_table(
        "events",
        sa.Column("id", _BIG, primary_key=True),
        sa.Column(
            "member_id", _ID, sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(40), nullable=True),
        sa.Column("rung", sa.Integer(), nullable=True),
        sa.Column("flag", sa.Boolean(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("band", sa.String(16), nullable=True),
        sa.UniqueConstraint("member_id", "event_id", name="uq_events_member_event"),
    )
    op.create_table(
        "counters",
        sa.Column("pool_id", _ID, sa.ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("shard", sa.SmallInteger(), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    for table in ("counters", "events", "members", "invites", "pools"):
        op.drop_table(table)
