"""Matching protocols: perfect strangers, fixed partners, random rematching, rotating roles."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.classroom.matching import pair_key, pair_round, role_in_round

ROLES = ("Russia", "West")


def _play(protocol: str, n: int, rounds: int, rotate: bool, seed: int
          ) -> list[list[tuple[int, int]]]:
    """Pairs of every round for ``n`` students (ids 0..n-1 in join order), all moving."""
    met: Counter[frozenset[int]] = Counter()
    partner: dict[int, int] = {}
    played = []
    for r in range(1, rounds + 1):
        by_role = {role: [i for i in range(n) if role_in_round(ROLES, i, r, rotate) == role]
                   for role in ROLES}
        rng = np.random.default_rng([seed, r])
        pairs = pair_round(protocol, by_role["Russia"], by_role["West"], met, partner, rng)
        assert all(y is not None for _, y in pairs)
        pairs_ = [(int(x), int(y)) for x, y in pairs if y is not None]
        for x, y in pairs_:
            met[pair_key(x, y)] += 1
            partner[x], partner[y] = y, x
        played.append(pairs_)
    return played


@settings(max_examples=60, deadline=None)
@given(half=st.integers(1, 15), rounds=st.integers(1, 20), rotate=st.booleans(),
       seed=st.integers(0, 2**31 - 1))
def test_perfect_strangers_never_repeat_a_pair_while_avoidable(half, rounds, rotate, seed):
    n = 2 * half  # an odd class is made even by the computer player
    played = _play("strangers", n, rounds, rotate, seed)
    met = Counter(pair_key(x, y) for pairs in played for x, y in pairs)
    # each round is a perfect matching of the half x half possible pairs: the first `half`
    # rounds need no repeat, and after t rounds no pair has met more than ceil(t / half) times
    assert max(met.values()) == math.ceil(rounds / half)
    for pairs in played:
        ids = [i for pair in pairs for i in pair]
        assert sorted(ids) == list(range(n))  # everyone plays once a round


@settings(max_examples=40, deadline=None)
@given(half=st.integers(1, 15), rounds=st.integers(2, 10), rotate=st.booleans(),
       seed=st.integers(0, 2**31 - 1))
def test_fixed_partners_never_change(half, rounds, rotate, seed):
    played = _play("partners", 2 * half, rounds, rotate, seed)
    first = {frozenset(p) for p in played[0]}
    for pairs in played[1:]:
        assert {frozenset(p) for p in pairs} == first


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 40), rounds=st.integers(2, 8))
def test_roles_rotate_only_when_asked(n, rounds):
    for i in range(n):
        fixed = [role_in_round(ROLES, i, r, False) for r in range(1, rounds + 1)]
        turning = [role_in_round(ROLES, i, r, True) for r in range(1, rounds + 1)]
        assert len(set(fixed)) == 1
        assert all(a != b for a, b in zip(turning, turning[1:], strict=False))
        assert turning[0] == fixed[0]


def test_random_rematching_is_seeded_and_changes_partners():
    a = _play("random", 20, 5, False, 3)
    assert a == _play("random", 20, 5, False, 3)
    assert a != _play("random", 20, 5, False, 4)
    assert len({frozenset(map(frozenset, pairs)) for pairs in a}) > 1


def test_uneven_roles_leave_the_short_side_to_the_caller():
    rng = np.random.default_rng(0)
    pairs = pair_round("strangers", [1, 2, 3], [10], {}, {}, rng)
    assert sorted(x for x, _ in pairs) == [1, 2, 3]
    assert [y for _, y in pairs].count(10) == 1 and [y for _, y in pairs].count(None) == 2
    with pytest.raises(ValueError, match="unknown matching"):
        pair_round("chaos", [1], [2], {}, {}, rng)
