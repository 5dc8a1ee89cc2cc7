"""Outage episodes: which claims bound which episode of a platform.

Episodes: one per platform and onset day; a day splits into two when one account says the
platform came back and later failed again. An episode may last several days: its ``day`` is the
onset's, its recovery may lie on a later day.

* A report that the platform works again on a later day ("läuft wieder seit dem 21.", "läuft heute
  wieder"), with no report of trouble on that day, closes the platform's latest earlier episode
  instead of opening one: a day-level recovery report never opens an episode.
* A report that the trouble goes on ("noch immer gestört", "weiterhin") on a later day, with no new
  onset that day, belongs to the platform's latest earlier episode: it bounds its recovery from below.
* A run of days ("vom 19. bis 21. Januar gestört", :func:`~incident.reconstruct.days.run_of_days`)
  places one episode with its onset in the first day and its recovery in the last.
* An apology is said after the trouble: it joins an episode of its day, it opens none.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from incident.evidence.descriptor import Incident
from incident.reconstruct import rows as rows_
from incident.reconstruct.claims import explode_platforms, exploded_rows
from incident.reconstruct.days import day_of, held_since, published_from, run_of_days
from incident.reconstruct.roles import AGREE_SECONDS, _claim_bounds, _seconds, roles
from incident.reconstruct.rows import distinct, per_distinct

#: Two relapse times closer than this (seconds) are one relapse.
RELAPSE_MERGE_SECONDS = 30 * 60.0


def _split_relapses(k: pd.DataFrame) -> pd.Series:
    """Episode number within platform × day: a day splits where one account says the
    platform came back and, later, failed again."""
    episode = pd.Series(1, index=k.index)
    start, end = _seconds(k["start"]), _seconds(k["end"])
    role = k["role"].to_numpy()
    rec = np.isin(role, ["R", "W"])
    dis = np.isin(role, ["O", "D", "A"])
    if not rec.any() or not dis.any():
        return episode
    # per platform × day × account: the earliest recovery followed, later in the same account, by a failure
    acc, _ = distinct([k["platform"], k["day"], k["account_group"]])
    n_acc = int(acc.max()) + 1
    latest_fail = np.full(n_acc, np.nan)
    np.fmax.at(latest_fail, acc[dis], start[dis])
    back = rec & (latest_fail[acc] > end + AGREE_SECONDS)
    if not back.any():
        return episode
    first = np.full(n_acc, np.nan)
    np.fmin.at(first, acc[back], end[back])
    pday, _ = distinct([k["platform"], k["day"]])
    has = np.flatnonzero(~np.isnan(first))
    pday_of_acc = np.empty(n_acc, dtype=np.int64)
    pday_of_acc[acc] = pday
    values = episode.to_numpy().copy()
    for p in np.unique(pday_of_acc[has]):
        cuts: list[float] = []
        for t in sorted(first[has[pday_of_acc[has] == p]].tolist()):
            if not cuts or t - cuts[-1] > RELAPSE_MERGE_SECONDS:
                cuts.append(t)
        rows = np.flatnonzero(pday == p)
        values[rows] = 1 + np.searchsorted(np.array(cuts), start[rows], side="right")
    return pd.Series(values, index=k.index)


def constraints(claims: pd.DataFrame, *, incident: Incident) -> pd.DataFrame:
    """Every claim that bounds or places an episode, with its role and bounds.

    Args:
        claims: Resolved claims with ``on_timeline``, ``account_group``, ``witness``.
        incident: The descriptor (context ids).

    Returns:
        One row per claim × platform with ``role``, raw bounds ``s_lo, s_hi, r_lo, r_hi``
        (seconds, NaN = open), agreement-space bounds, ``day`` and ``episode_key``.
    """
    base = claims["on_timeline"] & claims["resolved"] & claims["table"].isin(["timeline", "statements"])
    if "bounding" in claims.columns:  # one school, one user, a condition: a local report, never a bound
        base = base & claims["bounding"].astype(bool)
    if base.sum() <= rows_.SMALL:
        c = claims[base]
        c = c.assign(role=roles(c))
        c = c[c["role"] != ""]
        c = explode_platforms(c, incident=incident)
        day, role, held = _day_and_run(c["start"], c["end"], c["phrase"], c["role"], **_held_args(c, incident))
        c = c.assign(day=day, role=role, held_until=held)
        c = c[c["day"] != ""].reset_index(drop=True)
    else:  # the same steps on row numbers, and the rows taken once
        at = np.flatnonzero(base.to_numpy())
        role = roles(claims[["event", "stance", "span_kind", "phrase"]].iloc[at])
        used = (role != "").to_numpy()
        at, role = at[used], role.array[used]
        rows, platform = exploded_rows(claims[["platform"]].iloc[at], incident=incident)
        at, role = at[rows], role[rows]
        taken = claims.iloc[at]
        day, role_s, held = _day_and_run(
            taken["start"], taken["end"], taken["phrase"], pd.Series(role, dtype=object), **_held_args(taken, incident)
        )
        role = role_s.to_numpy(dtype=object)
        dated = (day != "").to_numpy()
        c = claims.iloc[at[dated]].reset_index(drop=True)
        c["platform"] = platform[dated]
        c["role"] = role[dated]
        c["day"] = pd.Series(day.to_numpy()[dated], dtype=object)
        c["held_until"] = held[dated].reset_index(drop=True)
    if len(c) == 0:
        return c.assign(episode=pd.Series(dtype=int), episode_key=pd.Series(dtype=object))
    c = _claim_bounds(c)
    c["episode"] = _split_relapses(c).to_numpy()
    c = _continuations_join_earlier_episodes(c)
    c = _held_spans_join_later_days(c)
    c = _recoveries_close_earlier_episodes(c)
    if len(c) == 0:
        return c.assign(episode_key=pd.Series(dtype=object))
    # the key of each distinct platform × day × episode, written once
    c["episode_key"] = per_distinct(c, ["platform", "day", "episode"], _episode_key).to_numpy()
    return c


#: Roles that say the platform was disrupted (they open an episode); the others only bound one.
#: ``R`` opens only when it says "disrupted until …" (stance disrupted), never as "works again since …".
OPENING = ("O", "D", "P", "R", "M", "A")
#: German words that say the trouble of an earlier day goes on ("noch immer gestört").
CONTINUING = re.compile(
    r"(?i)\b(?:noch immer|immer noch|weiterhin|weiter nicht|nach wie vor|anhaltend\w*|andauernd\w*"
    r"|noch nicht wieder|bis heute nicht|auch nach (?:\w+ ){0,2}(?:Tagen|Wochen))\b"
)


def _day_and_run(
    start: pd.Series,
    end: pd.Series,
    phrase: pd.Series,
    role: pd.Series,
    *,
    kind: pd.Series | None = None,
    published: pd.Series | None = None,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The episode day of each claim (its span's day, or the first day of a run of days), its role (``M`` for
    a report of trouble over a run of days, ``A`` for an onset "seit <Tag>" read against a publication on a
    later day) and, for ``A``, the publication moment up to which the trouble held (else NaT); all by
    position, on ``start``'s index."""
    day_v = day_of(start, end).to_numpy(dtype=object).copy()
    role_v = np.asarray(role, dtype=object).copy()
    held = pd.Series(pd.NaT, index=start.index, dtype=start.dtype)
    if kind is not None and published is not None and len(start):
        first, since = held_since(start, end, kind, published)
        hit = since & (role_v == "O")
        day_v[hit] = first.to_numpy(dtype=object)[hit]
        role_v[hit] = "A"
        held = published.set_axis(start.index).where(hit)
    undated = np.flatnonzero(day_v == "")
    if len(undated):
        run = run_of_days(start.iloc[undated], end.iloc[undated], phrase.iloc[undated]).to_numpy(dtype=object)
        hit = (run != "") & np.isin(role_v[undated], ["O", "D", "P"])
        day_v[undated[hit]] = run[hit]
        role_v[undated[hit]] = "M"
    return (
        pd.Series(day_v, index=start.index, dtype=object),
        pd.Series(role_v, index=start.index),
        held,
    )


def _held_args(c: pd.DataFrame, incident: Incident) -> dict:
    """The span kinds and publication moments :func:`_day_and_run` reads "seit <Tag>" against (none when
    the claims carry no reference)."""
    if "reference" not in c.columns or "span_kind" not in c.columns:
        return {}
    return {"kind": c["span_kind"], "published": published_from(c["reference"], zone=incident.timezone)}


def _opens(c: pd.DataFrame) -> pd.Series:
    """Claims that open an episode: reports of trouble. A recovery report at day level ("läuft wieder seit
    dem 21.", "am Mittwoch wieder erreichbar") does not: it says the platform works by that day, not that it
    failed on it. (A recovery at a time of day, "gegen 14 Uhr behoben", alone on its day still opens the
    episode it ends.)"""
    opens = c["role"].isin(OPENING)
    if "stance" in c.columns:
        start = c["start"]
        whole_day = (start == start.dt.normalize()) & ((c["end"] - start) >= pd.Timedelta(hours=23))
        opens &= ~((c["role"] == "R") & (c["stance"] == "working") & whole_day.fillna(False))
    if "says" in c.columns:  # an apology comes after the trouble: it joins a day's episode, it opens none
        opens &= c["says"] != "apology"
    return opens


def _continuations_join_earlier_episodes(c: pd.DataFrame) -> pd.DataFrame:
    """ "noch immer gestört" on a later day: the platform-day's first episode joins the platform's latest
    episode on an earlier day, when it holds such a report and no onset (``O``) of its own; its reports
    of trouble then bound that episode's recovery from below (``P`` becomes ``D``). The words are read in
    the phrase, the German quote and the German paraphrase (``was``). A continuing "bis heute nicht
    einsatzbereit" (``R``, stance disrupted) says the trouble held that day, not that it ended: ``D``."""
    text = c["phrase"].fillna("").astype(str)
    for col in ("quote", "was"):  # the German quote, and the German paraphrase when there is no quote
        if col in c.columns:
            text = text + " " + c[col].fillna("").astype(str)
    says_going_on = text.str.contains(CONTINUING)
    if "stance" in c.columns:  # "bis heute nicht einsatzbereit": still disrupted that day, not "disrupted until"
        still = says_going_on & (c["role"] == "R") & (c["stance"] == "disrupted")
        if still.any():
            c = c.copy()
            c.loc[still, "role"] = "D"
            c.loc[still, ["s_lo", "r_hi", "agree_s_lo", "agree_r_hi"]] = np.nan
            c.loc[still, "s_hi"] = _seconds(c.loc[still, "end"])
            c.loc[still, "agree_s_hi"] = c.loc[still, "s_hi"] - AGREE_SECONDS
            c.loc[still, "r_lo"] = _seconds(c.loc[still, "start"])
            c.loc[still, "agree_r_lo"] = c.loc[still, "r_lo"] + AGREE_SECONDS
    going_on = says_going_on & c["role"].isin(["D", "P"])
    if not going_on.any():
        return c
    c = c.copy()
    opens = _opens(c)
    for platform, day in (
        c.loc[going_on & (c["episode"] == 1), ["platform", "day"]].drop_duplicates().itertuples(index=False)
    ):
        here = (c["platform"] == platform) & (c["day"] == day) & (c["episode"] == 1)
        if (here & c["role"].isin(["O", "A"])).any():
            continue
        earlier = c[opens & (c["platform"] == platform) & (c["day"] < day)]
        if not len(earlier):
            continue
        last = earlier.sort_values(["day", "episode"]).iloc[-1]
        c.loc[here, "day"] = last["day"]
        c.loc[here, "episode"] = last["episode"]
        day_only = here & (c["role"] == "P")
        if day_only.any():  # still disrupted that day: the recovery came later
            c.loc[day_only, "role"] = "D"
            c.loc[day_only, "r_lo"] = _seconds(c.loc[day_only, "start"])
            c.loc[day_only, "agree_r_lo"] = c.loc[day_only, "r_lo"] + AGREE_SECONDS
    return c


def _held_spans_join_later_days(c: pd.DataFrame) -> pd.DataFrame:
    """ "seit dem 4. März gestört", published on the 6th (role ``A``): the platform was disrupted on
    every day from the 4th to the publication. Every episode of that platform on a later day up to the
    publication day joins the episode holding the claim (a report of trouble there says the same trouble;
    an onset there contradicts the span and is kept as a conflict), and the joined episode's own spans
    reach on. A joined day-level report (``P``) bounds the recovery from below (``P`` becomes ``D``).
    """
    held = c["role"] == "A"
    if not held.any():
        return c
    c = c.copy()
    held_day = c["held_until"].dt.strftime("%Y-%m-%d").where(held, "").fillna("")
    # plain lists: iterating the columns element by element cost seconds at a million claims
    key = list(zip(c["platform"].tolist(), c["day"].tolist(), c["episode"].tolist()))
    reach: dict[tuple, str] = {}
    for k, d in zip(key, held_day.tolist()):
        if d and d > reach.get(k, ""):
            reach[k] = d
    target: dict[tuple, tuple] = {}
    last: dict[str, tuple] = {}  # per platform: the episode that holds the span, and how far it reaches
    for k in sorted(set(key)):
        platform, day, _ = k
        into, until = last.get(platform, (None, ""))
        if into is not None and into[1] < day <= until:
            target[k] = into
            last[platform] = (into, max(until, reach.get(k, "")))
        else:  # a new episode; a relapse on the held span's own day takes the span on
            on_day = into is not None and into[1] == day
            last[platform] = (k, max(until, reach.get(k, "")) if on_day else reach.get(k, ""))
    moved = np.array([k in target for k in key], dtype=bool)
    if not moved.any():
        return c
    to = [target[k] for k, m in zip(key, moved) if m]
    c.loc[moved, "day"] = [t[1] for t in to]
    c.loc[moved, "episode"] = [t[2] for t in to]
    day_only = moved & (c["role"] == "P").to_numpy()
    if day_only.any():  # disrupted on that later day: the recovery came after its start
        c.loc[day_only, "role"] = "D"
        c.loc[day_only, "r_lo"] = _seconds(c.loc[day_only, "start"])
        c.loc[day_only, "agree_r_lo"] = c.loc[day_only, "r_lo"] + AGREE_SECONDS
    return c


def _recoveries_close_earlier_episodes(c: pd.DataFrame) -> pd.DataFrame:
    """A report that a platform "läuft heute wieder" ends the previous episode; it starts none.

    An episode (platform × day × episode number) whose claims only say the platform works (``W``), came
    back (``R`` with stance working: "läuft wieder seit dem 21.") or ran stably (``S``) is no outage: its
    working claims are moved to the platform's latest episode on an earlier day, whose recovery they
    bound; with no earlier episode they are left out. (``R`` with stance disrupted says "was disrupted
    until …" and so opens an episode.)
    """
    key = c["platform"] + "|" + c["day"] + "|" + c["episode"].astype(str)
    opens = _opens(c)
    opened = set(key[opens].tolist())
    lonely = ~key.isin(opened)
    if not lonely.any():
        return c
    c = c.copy()
    keep = ~lonely.to_numpy()
    # the latest opened episode of each platform before each day
    episodes = (
        c.loc[opens, ["platform", "day", "episode"]].drop_duplicates().sort_values(["platform", "day", "episode"])
    )
    closing = c["role"].isin(["W", "R"]).to_numpy()  # works again (R here: "läuft wieder seit dem 21.")
    for i in np.flatnonzero(lonely.to_numpy()):
        if not closing[i]:
            continue
        earlier = episodes[(episodes["platform"] == c["platform"].iat[i]) & (episodes["day"] < c["day"].iat[i])]
        if len(earlier):
            c.iat[i, c.columns.get_loc("day")] = earlier["day"].iat[-1]
            c.iat[i, c.columns.get_loc("episode")] = earlier["episode"].iat[-1]
            keep[i] = True
    return c[keep].reset_index(drop=True)


def _episode_key(c: pd.DataFrame) -> pd.Series:
    return c["platform"] + "|" + c["day"] + "|" + c["episode"].astype(str)
