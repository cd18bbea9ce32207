"""Members by week: the ``joined:MONDAY`` counters of the members already in a pool.

From now on a join adds one to ``joined:`` of its week and a leave or revocation one
to ``left:`` of its week, so the page and the dossier can draw the members over time.
Members who had already left are not counted in either (when they left is not known);
the running total therefore ends at the members active today.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SHARDS = 16  # as db.SHARDS when this was written


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, pool_id, joined_on FROM members WHERE state = 'active'")
    ).all()
    totals: Counter[tuple[int, str, int]] = Counter()
    for member_id, pool_id, joined_on in rows:
        day = joined_on if isinstance(joined_on, date) else date.fromisoformat(str(joined_on))
        monday = day - timedelta(days=day.weekday())
        totals[(pool_id, f"joined:{monday.isoformat()}", member_id % _SHARDS)] += 1
    if totals:
        connection.execute(
            sa.text(
                "INSERT INTO counters (pool_id, name, shard, value)"
                " VALUES (:pool, :name, :shard, :value)"
            ),
            [
                {"pool": pool, "name": name, "shard": shard, "value": value}
                for (pool, name, shard), value in sorted(totals.items())
            ],
        )


def downgrade() -> None:
    op.execute("DELETE FROM counters WHERE name LIKE 'joined:%' OR name LIKE 'left:%'")
