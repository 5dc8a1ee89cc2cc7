"""The fast paths of the Ablauf's rules checked against their plain reference implementations.

Each rule has one reference implementation, written for clarity (plain Python, or the
pandas rule run on every row); the fast paths (distinct rows, vectorised numpy, grouped
searches) must give the same answer on any input. Hypothesis generates the inputs: boxes of
onset and recovery bounds on a small grid (so that ties, repeats, touching and open sides
are common), claims of every role and span kind, episodes of many accounts.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from fixtures.bounds_cases import TZ, at
from fixtures.bounds_cases import incident as gen_incident
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident.ids import join_ids
from incident.reconstruct import rows as rows_
from incident.reconstruct.assembly import _agreeing
from incident.reconstruct.consensus import _deepest, _deepest_few, _own_claims, _own_claims_in_full, _Rows
from incident.reconstruct.days import _day_of, day_of, held_since, published_from, run_of_days
from incident.reconstruct.episodes import _held_spans_join_later_days, constraints
from incident.reconstruct.roles import _claim_bounds, _roles, roles
from incident.timeexpr.resolve import nearest_day_of_month

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: For the properties over whole claim tables (each example builds a frame of up to ~800 rows).
FRAMES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------- boxes

_LO = st.sampled_from([-math.inf, 0.0, 1.0, 2.0, 3.0, 4.0])
_HI = st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.0, math.inf])
_BOX = st.tuples(_LO, _HI, _LO, _HI)


def _arrays(boxes):
    return tuple(np.array(x, dtype=float) for x in zip(*boxes))


def _masks(found) -> set[tuple[int, ...]]:
    return {tuple(np.flatnonzero(m).tolist()) for m in found}


@FAST
@given(st.lists(_BOX, min_size=1, max_size=12))
def test_deepest_equals_the_plain_search(boxes):
    """Few boxes: the vectorised search finds the same deepest sets as the plain loops."""
    assert _masks(_deepest(*_arrays(boxes))) == _deepest_few(boxes, [1] * len(boxes))


@FAST
@given(st.lists(st.tuples(_BOX, st.integers(1, 5)), min_size=1, max_size=10))
def test_deepest_with_multiplicities_equals_the_plain_search(weighted):
    """Distinct boxes with how often each occurs: the same sets as the plain loops."""
    boxes = [b for b, _ in weighted]
    count = [n for _, n in weighted]
    got = _deepest(*_arrays(boxes), weight=np.array(count, dtype=np.int64))
    assert _masks(got) == _deepest_few(boxes, count)


@FAST
@given(
    st.lists(_BOX, min_size=1, max_size=4).flatmap(
        lambda few: st.lists(st.sampled_from(few), min_size=33, max_size=60)
    ),
    st.lists(_BOX, max_size=6),
)
def test_deepest_of_many_repeated_boxes_equals_the_plain_search(repeated, other):
    """More boxes than the plain branch takes (thousands of accounts share a few boxes): the
    distinct-box path finds the same sets as the plain loops over every box."""
    boxes = repeated + other
    assert len(boxes) > 32
    assert _masks(_deepest(*_arrays(boxes))) == _deepest_few(boxes, [1] * len(boxes))


# --------------------------------------------------------------------------- one account's own claims

_OPEN = (-math.inf, math.inf, -math.inf, math.inf)


def _rows_of(boxes) -> _Rows:
    r = _Rows()
    r.claim_id = np.array([f"g#{i:03d}" for i in range(len(boxes))], dtype=object)
    r.sl, r.sh, r.rl, r.rh = _arrays(boxes)
    return r


@FAST
@given(st.lists(st.one_of(_BOX, st.just(_OPEN)), min_size=1, max_size=10))
def test_own_claims_grouped_equals_claim_by_claim(boxes):
    """Claims in id order: grouping repeated boxes keeps the same claims and, where the caller
    reads it (some claims kept, some not), names the same contradiction as the search claim by
    claim."""
    r = _rows_of(boxes)
    rows = np.arange(len(boxes))
    memo: dict = {}
    keep, cycle = _own_claims(r, rows, memo)
    want_keep, want_cycle = _own_claims_in_full(r, rows)
    assert keep.tolist() == want_keep.tolist()
    if keep.any() and not keep.all():
        assert cycle == want_cycle
    again = _own_claims(r, rows, memo)  # a repeated pattern is looked up, not searched
    assert again[0].tolist() == keep.tolist() and again[1] == cycle


# --------------------------------------------------------------------------- claims

_KINDS = ("point", "span", "before", "after", "since", "until", "day")
_EVENTS = ("outage", "outage_start", "fix", "restored", "stable", "slow")
_STANCES = ("disrupted", "working")
_PHRASES = ("um 9 Uhr", "gegen 10 Uhr", "mittlerweile", "am Vormittag", "seit 8 Uhr", "seit Montag", "")
#: Publication references: days, a minute, a month (names no day), none.
_REFERENCES = ("2030-03-04", "2030-03-06", "2030-03-05T10:05:00+01:00", "2030-03", "")


@st.composite
def _claims(draw, min_size=1, max_size=40):
    n = draw(st.integers(min_size, max_size))
    rows = []
    for i in range(n):
        day = draw(st.integers(0, 2))
        h = draw(st.integers(6, 17))
        length = draw(st.sampled_from([0, 0, 30, 60, 120]))
        start = at(h, 0, day)
        run_days = draw(st.sampled_from([0, 0, 0, 0, 0, 2, 3]))  # "vom 4. bis 6. März": whole days
        if run_days:
            start, length = at(0, 0, day), run_days * 24 * 60
        rows.append(
            {
                "claim_id": f"c#{i:04d}",
                "claim_ids": f"c#{i:04d}",
                "table": draw(st.sampled_from(["timeline", "timeline", "statements", "counts"])),
                "source_id": f"s{draw(st.integers(0, 4))}",
                "account_group": f"a{draw(st.integers(0, 4))}",
                "witness": draw(st.sampled_from(["press", "authority", ""])),
                "platform": draw(st.sampled_from(["alpha", "beta", "alpha; beta", "general", "alpha; general"])),
                "event": draw(st.sampled_from(_EVENTS)),
                "stance": draw(st.sampled_from(_STANCES)),
                "span_kind": draw(st.sampled_from(_KINDS)),
                "phrase": draw(st.sampled_from(_PHRASES)) if not run_days else "vom 4. bis 6. März",
                "quote": draw(st.sampled_from(["", "„ging nichts“", "noch immer gestört"])),
                "was": draw(st.sampled_from(["", "ist weiterhin nicht erreichbar"])),
                "reference": draw(st.sampled_from(_REFERENCES)),
                "says": draw(st.sampled_from(["", "", "apology"])),
                "start": start,
                "end": start + pd.Timedelta(minutes=length),
                "resolved": draw(st.sampled_from([True, True, True, False])),
                "on_timeline": draw(st.sampled_from([True, True, True, False])),
                "bounding": draw(st.sampled_from([True, True, True, False])),
                "pattern": "",
            }
        )
    df = pd.DataFrame(rows)
    for col in ("start", "end"):
        df[col] = pd.to_datetime(df[col]).dt.tz_convert(TZ)
    return df


def _repeat(df: pd.DataFrame, times: int) -> pd.DataFrame:
    """``df`` repeated ``times`` (claim ids kept in sorted order), to reach the fast paths."""
    out = pd.concat([df] * times, ignore_index=True)
    ids = [f"c#{i:05d}" for i in range(len(out))]
    return out.assign(claim_id=ids, claim_ids=ids)


@FRAMES
@given(_claims(min_size=1, max_size=30), st.integers(10, 20))
def test_roles_once_per_distinct_row_equals_the_rule_on_every_row(claims, times):
    """:func:`roles` (once per distinct row, spread back) equals the rule run on every row."""
    big = _repeat(claims, times)
    assert len(big) > rows_.SMALL or len(claims) * times == len(big)
    got = roles(big)
    want = _roles(big)
    assert got.tolist() == want.tolist()
    assert got.index.equals(want.index)


@FRAMES
@given(_claims(min_size=1, max_size=30), st.integers(10, 20))
def test_day_once_per_distinct_span_equals_the_rule_on_every_row(claims, times):
    big = _repeat(claims, times)
    got, want = day_of(big["start"], big["end"]), _day_of(big["start"], big["end"])
    assert got.tolist() == want.tolist()


@FRAMES
@given(_claims(min_size=1, max_size=30), st.integers(1, 12))
def test_constraints_on_row_numbers_equal_the_plain_steps(claims, times):
    """The large branch of :func:`constraints` (row numbers, rows taken once) gives the same
    table as the plain steps on frames (the branch below ``rows.SMALL``)."""
    big = _repeat(claims, times)
    inc = gen_incident()
    old = rows_.SMALL
    try:
        rows_.SMALL = 10**9
        plain = constraints(big, incident=inc)
        rows_.SMALL = -1
        fast = constraints(big, incident=inc)
    finally:
        rows_.SMALL = old
    if len(plain) == 0:  # no claim bounds anything: the columns' types of an empty table may differ
        assert len(fast) == 0 and list(fast.columns) == list(plain.columns)
        return
    pd.testing.assert_frame_equal(fast, plain)


# --------------------------------------------------------------------------- bounds of agreeing episodes


def _bounded(claims: pd.DataFrame) -> pd.DataFrame:
    k = claims.assign(role=_roles(claims))
    k = k[k["role"].isin(["O", "R", "D", "W"])].reset_index(drop=True)
    return _claim_bounds(k)


@FAST
@given(_claims(min_size=1, max_size=40), st.integers(1, 4), st.randoms(use_true_random=False))
def test_agreeing_equals_the_edge_bounds_of_each_episode(claims, n_ep, rnd):
    """Every episode's published bounds at once (vectorised) equal :meth:`_Rows.edge_bounds`
    of the episode with every claim a member, as an inconsistent episode is bounded."""
    k = _bounded(claims)
    if len(k) == 0:
        return
    ep = np.array([rnd.randrange(n_ep) for _ in range(len(k))], dtype=np.int64)
    n_ep = int(ep.max()) + 1
    got = _agreeing(k, ep, n_ep)
    r = _Rows(k)
    for e in range(n_ep):
        rows = np.flatnonzero(ep == e)
        if not len(rows):
            continue
        one = r.take(rows)
        want = one.edge_bounds(np.ones(len(rows), dtype=bool))
        for edge in ("onset", "recovery"):
            for side in ("earliest", "latest"):
                g, w = got[edge][side][e], want[edge][side]
                assert (pd.isna(g) and pd.isna(w)) or g == w, (edge, side)
            assert got[edge]["claim_ids"][e] == join_ids(one.claim_id[want[edge]["ids"]])
            assert got[edge]["phrases"][e] == " | ".join(want[edge]["phrases"])


# --------------------------------------------------------------------------- days without a month, runs of days


def _nearest_day_of_month_plainly(d0, n: int):
    """Every day within two months either side, the nearest numbered ``n`` (ties to the past)."""
    from datetime import timedelta

    days = [d0 + timedelta(days=k) for k in range(-62, 63)]
    hits = [d for d in days if d.day == n]
    return min(hits, key=lambda d: (abs((d - d0).days), d > d0))


@FAST
@given(
    st.dates(min_value=pd.Timestamp("1990-01-01").date(), max_value=pd.Timestamp("2060-12-31").date()),
    st.integers(1, 31),
)
def test_a_day_without_a_month_is_the_nearest_such_day(d0, n):
    assert nearest_day_of_month(d0, n) == _nearest_day_of_month_plainly(d0, n)


def _run_of_days_plainly(start: pd.Timestamp, end: pd.Timestamp, phrase: str) -> str:
    """One row: whole days from midnight to midnight, two or more calendar days, named with "bis"."""
    whole = start == start.normalize() and end == end.normalize()
    n_days = (end.tz_localize(None).normalize() - start.tz_localize(None).normalize()).days
    return start.strftime("%Y-%m-%d") if whole and n_days >= 2 and " bis " in f" {phrase} " else ""


@FRAMES
@given(_claims(min_size=1, max_size=30))
def test_run_of_days_equals_the_rule_on_every_row(claims):
    got = run_of_days(claims["start"], claims["end"], claims["phrase"]).tolist()
    want = [_run_of_days_plainly(s, e, p) for s, e, p in zip(claims["start"], claims["end"], claims["phrase"])]
    assert got == want


# --------------------------------------------------------------------------- "seit <Tag>" up to a later publication


def _published_from_plainly(reference: str):
    if len(reference) == 10:
        return pd.Timestamp(reference).tz_localize(TZ)
    if "T" in reference:
        return pd.Timestamp(reference).tz_convert(TZ)
    return pd.NaT


def _held_since_plainly(start, end, kind, published) -> str:
    """One row: a "seit" span whose publication lies on a later day than the span's start, and not
    inside the span."""
    if kind != "since" or pd.isna(published):
        return ""
    later = published.normalize() > start.normalize() and published >= end
    return start.strftime("%Y-%m-%d") if later else ""


@FRAMES
@given(_claims(min_size=1, max_size=30), st.integers(1, 12))
def test_held_since_equals_the_rule_on_every_row(claims, times):
    big = _repeat(claims, times)
    published = published_from(big["reference"], zone=TZ)
    want_pub = [_published_from_plainly(r) for r in big["reference"]]
    assert [(pd.isna(a) and pd.isna(b)) or a == b for a, b in zip(published, want_pub)] == [True] * len(big)
    first, hit = held_since(big["start"], big["end"], big["span_kind"], published)
    want = [_held_since_plainly(s, e, k, p) for s, e, k, p in zip(big["start"], big["end"], big["span_kind"], want_pub)]
    assert first.tolist() == want
    assert hit.tolist() == [w != "" for w in want]


def _held_join_plainly(rows: list[dict]) -> list[tuple[str, int]]:
    """The reference of :func:`_held_spans_join_later_days`, per platform in day order: an episode joins
    the latest earlier group (a group = an episode with those that joined it) whose held span reaches its
    day, i.e. whose day is before it and whose latest publication day (of its ``A`` claims, and of those of
    the earlier episodes of its own day: a relapse on the span's own day takes the span on) is not."""
    out = [(r["day"], r["episode"]) for r in rows]
    episodes = sorted({(r["platform"], r["day"], r["episode"]) for r in rows})
    label: dict[tuple, tuple] = {}
    for ep in episodes:
        platform, day, _ = ep
        best = None
        for g in episodes:
            if g >= ep or g[0] != platform or label.get(g, g) != g:
                continue  # only groups, of this platform, before this episode
            members = [e for e in episodes if label.get(e, e) == g]
            members += [e for e in episodes if e[0] == platform and e[1] == g[1] and e[2] < g[2]]
            reach = max(
                (r["held"] for r in rows if r["role"] == "A" and (r["platform"], r["day"], r["episode"]) in members),
                default="",
            )
            if g[1] < day <= reach:
                best = g  # the latest qualifying group (episodes are visited in order)
        if best is not None:
            label[ep] = best
    for i, r in enumerate(rows):
        g = label.get((r["platform"], r["day"], r["episode"]))
        if g is not None:
            out[i] = (g[1], g[2])
    return out


@FAST
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["alpha", "beta"]),
            st.integers(0, 4),
            st.sampled_from([1, 1, 1, 2]),
            st.sampled_from(["A", "A", "D", "P", "O", "W"]),
            st.integers(0, 4),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_held_spans_join_equals_the_plain_rule(drawn):
    rows = []
    for i, (platform, d, ep, role, ahead) in enumerate(drawn):
        day = at(0, day=d)
        rows.append(
            {
                "claim_id": f"c#{i:03d}",
                "platform": platform,
                "day": day.strftime("%Y-%m-%d"),
                "episode": ep,
                "role": role,
                "start": day,
                "held_until": day + pd.Timedelta(days=ahead, hours=10) if role == "A" else pd.NaT,
                "r_lo": np.nan,
                "agree_r_lo": np.nan,
            }
        )
    c = pd.DataFrame(rows)
    c["held_until"] = pd.Series(list(c["held_until"]), dtype=f"datetime64[ns, {TZ}]")
    got = _held_spans_join_later_days(c)
    plain = [dict(r, held=r["held_until"].strftime("%Y-%m-%d") if r["role"] == "A" else "") for r in rows]
    assert list(zip(got["day"], got["episode"])) == _held_join_plainly(plain)
    # a joined day-level report bounds the recovery from its day's start
    moved = got["day"].to_numpy() != c["day"].to_numpy()
    assert set(got.loc[moved & (c["role"] == "P").to_numpy(), "role"]) <= {"D"}
