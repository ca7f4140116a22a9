"""Short write transactions that wait for the database's lock instead of failing on it.

Every write of a class session runs in one short transaction that takes the
session's lock first: ``BEGIN IMMEDIATE`` on SQLite (one writer at a time,
taken before anything is read, so a reader never has to upgrade) and
``SELECT ... FOR UPDATE`` on the session's row on PostgreSQL. SQLite also
waits up to ``busy_timeout`` for the lock. What still fails transiently (a
lock held past the timeout, a serialisation failure or a deadlock on
PostgreSQL) is retried a bounded number of times after an exponentially
growing, fully jittered pause (Brooker 2015). The jitter only spreads writers
in time; it never changes what is stored.

References
----------
Brooker, M. (2015). *Exponential Backoff And Jitter*. AWS Architecture Blog.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

import sqlalchemy as sa

__all__ = ["RetryPolicy", "is_transient", "BUSY_MESSAGE", "UNREACHABLE_MESSAGE"]

#: What a page shows when the retries are spent: one plain sentence, never SQL.
BUSY_MESSAGE = "The class is very busy right now; please press the button again in a moment."
UNREACHABLE_MESSAGE = ("The class database cannot be reached right now; please try again in a "
                       "moment.")

#: PostgreSQL SQLSTATEs worth retrying: serialisation failure, deadlock, lock not available.
_PG_TRANSIENT = frozenset({"40001", "40P01", "55P03"})
#: SQLite result codes worth retrying: SQLITE_BUSY and SQLITE_LOCKED.
_SQLITE_TRANSIENT = frozenset({5, 6})


def is_transient(exc: BaseException) -> bool:
    """Whether a database error is a lock or serialisation conflict that a retry can clear."""
    if isinstance(exc, sa.exc.IntegrityError):
        return True  # a concurrent writer took the same key first; the retry sees its row
    if not isinstance(exc, sa.exc.OperationalError):
        return False
    orig = exc.orig
    state = getattr(orig, "sqlstate", None)
    if state is not None:
        return str(state) in _PG_TRANSIENT
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF in _SQLITE_TRANSIENT
    text = str(orig).lower()
    return "locked" in text or "busy" in text


@dataclass
class RetryPolicy:
    """Bounded retries with full jitter: attempt ``k`` sleeps ``U(0, min(cap, base·2^k))`` s.

    Parameters
    ----------
    attempts
        Tries in all, the first included.
    base, cap
        The first pause's upper bound and the largest pause, in seconds.
    seed
        Seed of the jitter's own generator (``None``: fresh entropy). The jitter
        decides only when a writer tries again, never what it writes.
    """

    attempts: int = 12
    base: float = 0.005
    cap: float = 0.4
    seed: int | None = None
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        self._rng = random.Random(self.seed)

    def pause(self, attempt: int) -> float:
        """The pause, in seconds, before try ``attempt + 1``."""
        with self._lock:
            return self._rng.uniform(0.0, min(self.cap, self.base * 2.0 ** attempt))
