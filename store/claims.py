"""Leases on packet folders, so two workers never pre-check the same packet at the same time.

A claim is one row per packet key with an owner and an expiry. Acquiring deletes an expired (or
the caller's own) row and inserts with ON CONFLICT DO NOTHING; the primary key lets exactly one
concurrent inserter win, on SQLite and PostgreSQL alike. A crashed worker's claim simply expires.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from store.engine import session_scope
from store.models import Claim

DEFAULT_LEASE_S = 600.0


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def acquire_claim(engine: Engine, packet_key: str, owner: str, lease_s: float = DEFAULT_LEASE_S,
                  now: datetime | None = None) -> bool:
    """Try to take the lease on one packet.

    Args:
        engine: The results database.
        packet_key: The packet folder's key (its absolute path).
        owner: Who asks (e.g. ``host:pid``); the same owner re-acquiring renews its lease.
        lease_s: How long the lease lasts unless renewed or released.
        now: The current time (tests).

    Returns:
        True when the caller now holds the lease; False when another owner holds an unexpired one.
    """
    current = _now(now)
    with session_scope(engine) as session:
        session.execute(delete(Claim).where(
            Claim.packet_key == packet_key, or_(Claim.expires_at <= current, Claim.owner == owner)))
        insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        statement = insert(Claim).values(
            packet_key=packet_key, owner=owner, acquired_at=current,
            expires_at=current + timedelta(seconds=lease_s),
        ).on_conflict_do_nothing(index_elements=["packet_key"]).returning(Claim.packet_key)
        return session.execute(statement).first() is not None


def renew_claim(engine: Engine, packet_key: str, owner: str, lease_s: float = DEFAULT_LEASE_S,
                now: datetime | None = None) -> bool:
    """Extend a lease the caller holds. Returns False when it no longer holds it."""
    current = _now(now)
    with session_scope(engine) as session:
        result = session.execute(
            update(Claim).where(Claim.packet_key == packet_key, Claim.owner == owner, Claim.expires_at > current)
            .values(expires_at=current + timedelta(seconds=lease_s))
        )
        return result.rowcount == 1


def release_claim(engine: Engine, packet_key: str, owner: str) -> bool:
    """Give a lease back. Returns False when the caller did not hold it (e.g. it had expired and been taken)."""
    with session_scope(engine) as session:
        return session.execute(delete(Claim).where(Claim.packet_key == packet_key, Claim.owner == owner)).rowcount == 1


def claim_owner(engine: Engine, packet_key: str, now: datetime | None = None) -> str | None:
    """Who holds an unexpired lease on the packet, or None."""
    with session_scope(engine) as session:
        return session.scalars(select(Claim.owner).where(
            Claim.packet_key == packet_key, Claim.expires_at > _now(now))).first()
