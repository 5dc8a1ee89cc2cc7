"""The Simple Temporal Network (incident.reconstruct.stn.STN), checked by hand and by brute force.

Spec (module docstring): a constraint is ``x_b - x_a <= w``; ``bound`` is ``lo <= x <= hi``;
``order(a, b)`` is ``a <= b``; the network is consistent iff there is no negative cycle;
``solve()`` gives the tightest ``(lo, hi)`` of every point relative to the origin ``z`` or
``None`` when inconsistent; ``conflict()`` gives the labels of one negative cycle.

The random networks below (GENERATED, seeded) have integer weights and every point bounded
to [0, 10], so the whole solution set can be enumerated: tightest bounds are the min/max
over all integer solutions (integer difference constraints have integer solutions when
they have any), and the labels conflict() names must by themselves be unsatisfiable.
"""

from __future__ import annotations

import itertools
import math
import random

from incident.reconstruct.stn import STN


def test_bounds_alone():
    net = STN()
    net.bound("x", lo=2, hi=5, label="x#1")
    net.bound("y", hi=7, label="y#1")  # open below
    net.bound("w", lo=-math.inf, hi=math.inf, label="w#1")  # no constraint at all
    got = net.solve()
    assert got["x"] == (2, 5)
    assert got["y"] == (-math.inf, 7)
    assert got["w"] == (-math.inf, math.inf)
    assert net.consistent() and net.conflict() == []


def test_empty_network_is_consistent():
    net = STN()
    assert net.solve() == {} and net.consistent() and net.conflict() == []


def test_order_tightens_the_earlier_point():
    """a ∈ [0, 10], b ∈ [3, 4], a ≤ b → a ∈ [0, 4], b unchanged."""
    net = STN()
    net.bound("a", lo=0, hi=10, label="a#1")
    net.bound("b", lo=3, hi=4, label="b#1")
    net.order("a", "b", label="a <= b")
    assert net.solve() == {"a": (0, 4), "b": (3, 4)}


def test_three_points_tightest_bounds_by_hand():
    """s ∈ [1, 6], r ∈ [4, 8], 2 ≤ m − s ≤ 3, r − m ≥ 1.

    By hand: s ≤ m − 2 ≤ (r − 1) − 2 ≤ 5, so s ∈ [1, 5]; m ≥ s + 2 ≥ 3 and m ≤ r − 1 ≤ 7,
    so m ∈ [3, 7]; r ≥ m + 1 ≥ 4 and r ≤ 8, so r ∈ [4, 8]. Witnesses: (1, 3, 4) and (5, 7, 8).
    """
    net = STN()
    net.bound("s", lo=1, hi=6, label="s")
    net.bound("r", lo=4, hi=8, label="r")
    net.constrain("s", "m", 3, label="m-s<=3")
    net.constrain("m", "s", -2, label="m-s>=2")
    net.constrain("r", "m", -1, label="r-m>=1")
    assert net.solve() == {"s": (1, 5), "r": (4, 8), "m": (3, 7)}


def test_touching_bounds_are_consistent_in_the_network_itself():
    """s ∈ [13.5, 14.5], r ∈ [11.5, 13.5], s ≤ r: only s = r = 13.5 (margins live in roles.py)."""
    net = STN()
    net.bound("s", lo=13.5, hi=14.5, label="a#1")
    net.bound("r", lo=11.5, hi=13.5, label="b#1")
    net.order("s", "r", label="onset <= recovery")
    assert net.solve() == {"s": (13.5, 13.5), "r": (13.5, 13.5)}


def test_order_contradiction_is_a_negative_cycle_naming_both_claims_and_the_order():
    """s ∈ [13.5, 14.5] (a#1), r ∈ [11.5, 13.4] (b#1), s ≤ r: cycle z→r→s→z of weight −0.1.
    A loose extra point q (q ∈ [0, 100], s ≤ q) lies on no negative cycle."""
    net = STN()
    net.point("s")
    net.point("r")
    net.order("s", "r", label="onset <= recovery")
    net.bound("s", lo=13.5, hi=14.5, label="a#1")
    net.bound("r", lo=11.5, hi=13.4, label="b#1")
    net.bound("q", lo=0, hi=100, label="q#1")
    net.order("s", "q", label="s <= q")
    assert net.solve() is None and not net.consistent()
    labels = net.conflict()
    assert set(labels) == {"a#1", "b#1", "onset <= recovery"}
    assert len(labels) == len(set(labels))


def test_open_sides_reach_later_points_past_an_unconstrained_one():
    """a (no bound, made before the others), b, c ∈ [5, 5], c ≤ b → b ∈ [5, ∞), a and c as given.

    Onsets and recoveries are often open on one side: paths through a point that nothing
    reaches must not stop the tightening of the points after it.
    """
    net = STN()
    net.point("a")
    net.point("b")
    net.bound("c", lo=5, hi=5, label="c#1")
    net.order("c", "b", label="c <= b")
    assert net.solve() == {"a": (-math.inf, math.inf), "b": (5, math.inf), "c": (5, 5)}


def test_a_contradiction_through_an_open_point_names_its_claims():
    """b ≤ 3 (b#1), c ∈ [5, 5] (c#1), c ≤ b: no solution; the cycle is c#1, the order, b#1."""
    net = STN()
    net.point("a")
    net.bound("b", hi=3, label="b#1")
    net.bound("c", lo=5, hi=5, label="c#1")
    net.order("c", "b", label="c <= b")
    assert net.solve() is None
    assert set(net.conflict()) == {"b#1", "c#1", "c <= b"}


def test_two_bounds_of_one_point_that_miss_each_other():
    net = STN()
    net.bound("x", lo=5, hi=10, label="a#1")
    net.bound("x", lo=11, hi=12, label="b#1")
    assert net.solve() is None
    assert set(net.conflict()) == {"a#1", "b#1"}


# --------------------------------------------------------------------------- brute force


def _satisfied(values: dict[str, int], cons) -> bool:
    return all(values[b] - values[a] <= w for a, b, w, _ in cons)


def _random_network(rng: random.Random):
    names = ["p", "q", "u"]
    cons = []  # (a, b, w, label) meaning x_b - x_a <= w, 'z' = 0
    net = STN()
    for n in names:
        lo, hi = sorted(rng.sample(range(0, 11), 2)) if rng.random() < 0.8 else (0, 10)
        net.bound(n, lo=lo, hi=hi, label=f"bound-{n}")
        cons += [("z", n, hi, f"bound-{n}"), (n, "z", -lo, f"bound-{n}")]
        # keep every point inside [0, 10] so enumeration is complete
        net.bound(n, lo=0, hi=10, label=f"frame-{n}")
        cons += [("z", n, 10, f"frame-{n}"), (n, "z", 0, f"frame-{n}")]
    for k in range(rng.randint(0, 4)):
        a, b = rng.sample(names, 2)
        w = rng.randint(-6, 6)
        net.constrain(a, b, w, label=f"c{k}")
        cons.append((a, b, w, f"c{k}"))
    return names, net, cons


def _solutions(names, cons):
    out = []
    for vals in itertools.product(range(11), repeat=len(names)):
        v = dict(zip(names, vals), z=0)
        if _satisfied(v, cons):
            out.append(v)
    return out


def test_random_networks_against_enumeration():
    rng = random.Random(20300304)
    n_bad = n_ok = 0
    for _ in range(300):
        names, net, cons = _random_network(rng)
        sols = _solutions(names, cons)
        got = net.solve()
        if sols:
            n_ok += 1
            assert got is not None
            for n in names:
                assert got[n] == (min(s[n] for s in sols), max(s[n] for s in sols)), (cons, n, got)
            assert net.conflict() == []
        else:
            n_bad += 1
            assert got is None and not net.consistent()
            labels = net.conflict()
            assert labels, cons
            assert len(labels) == len(set(labels))
            # the named constraints cannot hold together by themselves
            named = [c for c in cons if c[3] in labels]
            assert not _solutions(names, named), (cons, labels)
    assert n_bad >= 20 and n_ok >= 20
