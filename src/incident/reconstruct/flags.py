"""Misdated claims: resolved times that cannot be about the incident, or contradict their own source.

Flags (``on_timeline`` false for all but ``dossier_day_differs``):

* ``source_outside_window`` — the source was published before the incident window began
  (e.g. reports of earlier attacks): none of its claims can be about the incident, whatever
  its phrases say;
* ``outside_window`` — the resolved span does not touch the window;
* ``after_publication`` — the resolved span starts after the source's publication
  (a report cannot describe what had not happened yet);
* ``assumed_day_disputed`` — the phrase names no day (only a time), so the source's
  publication day was assumed, and the dossier's reading puts it on another day: the
  day is doubtful, the claim is not placed;
* ``dossier_day_differs`` — the phrase names a day and the dossier's unchecked reading
  does not overlap the resolved span (kept on the timeline; a hint to re-read the source).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incident.reconstruct.claims import text

FLAG_COLUMNS = [
    "claim_id",
    "claim_ids",
    "source_id",
    "platform",
    "event",
    "phrase",
    "published",
    "start",
    "end",
    "flag",
    "detail",
    "on_timeline",
]


def _dossier_spans(dd: pd.Series, tz: str) -> tuple[pd.Series, pd.Series]:
    """Spans of the dossier's day readings (``2030-03-11``, ``2030-03``, ``a/b``); NaT when unreadable."""
    parsed = {}
    for value in dd[dd != ""].unique():
        a, _, b = value.partition("/")
        try:
            s0 = pd.Timestamp(a).tz_localize(tz)
            e0 = pd.Timestamp(b or a).tz_localize(tz)
        except ValueError:
            continue
        parsed[value] = (s0, e0 + (pd.DateOffset(months=1) if len(b or a) == 7 else pd.Timedelta(days=1)))
    dtype = f"datetime64[ns, {tz}]"
    keys = list(parsed)
    starts = pd.Series([parsed[k][0] for k in keys], index=keys, dtype=dtype)
    ends = pd.Series([parsed[k][1] for k in keys], index=keys, dtype=dtype)
    return dd.map(starts), dd.map(ends)


def flag_misdated(
    claims: pd.DataFrame, sources: pd.DataFrame, *, window: tuple[pd.Timestamp, pd.Timestamp], tz: str
) -> pd.DataFrame:
    """Misdating flags: one row per claim × flag.

    Args:
        claims: Resolved claims (``resolved``, ``start``, ``end``, ``day_text``, ``dossier_day``).
        sources: Sources with ``published_start``/``published_end`` and ``published``.
        window: ``(start, end)`` of the incident, tz-aware, end exclusive.
        tz: The incident's time zone.

    Returns:
        Frame with ``claim_id, flag, detail, on_timeline``, sorted.
    """
    src = sources.set_index("source_id")
    p_start = pd.to_datetime(claims["source_id"].map(src["published_start"]))
    p_end = pd.to_datetime(claims["source_id"].map(src["published_end"]))
    w0, w1 = window
    last = (w1 - pd.Timedelta(days=1)).date()
    res = claims["resolved"].to_numpy(dtype=bool)
    start, end = claims["start"], claims["end"]
    frames = []
    published_of = text(sources, "published").set_axis(sources["source_id"])

    # the details are written only for the rows that get a flag
    def published(rows: np.ndarray) -> pd.Series:
        return claims["source_id"].iloc[rows].map(published_of)

    def iso(ts: pd.Series, rows: np.ndarray) -> pd.Series:
        return ts.iloc[rows].map(lambda t: t.isoformat() if not pd.isna(t) else "")

    def add(mask: np.ndarray, flag: str, detail, on_timeline: bool) -> None:
        if mask.any():
            rows = np.flatnonzero(mask)
            frames.append(
                pd.DataFrame(
                    {
                        "claim_id": claims["claim_id"].to_numpy()[rows],
                        "flag": flag,
                        "detail": detail(rows).to_numpy(),
                        "on_timeline": on_timeline,
                    }
                )
            )

    add(
        (p_end <= w0).fillna(False).to_numpy(),
        "source_outside_window",
        lambda r: "source published " + published(r) + f", before the incident window ({w0.date()} to {last})",
        False,
    )
    add(
        res & ((end < w0) | (start >= w1)).fillna(False).to_numpy(),
        "outside_window",
        lambda r: "resolved to " + iso(start, r) + ".." + iso(end, r) + f", outside {w0.date()}..{last}",
        False,
    )
    after = res & ((start > p_end) | ((p_start < p_end) & (start >= p_end))).fillna(False).to_numpy()
    add(
        after,
        "after_publication",
        lambda r: "resolved start " + iso(start, r) + " is after the source's publication (" + published(r) + ")",
        False,
    )
    # the day the data desk recorded from the text (with its basis) stands before the dossier's reading
    recorded = text(claims, "refers_to_day")
    dd = recorded.where(recorded != "", text(claims, "dossier_day"))
    has = ((dd != "") & res).to_numpy()
    if has.any():
        dstart, dend = _dossier_spans(dd, tz)
        overlap = (start < dend) & ((end > dstart) | ((start == end) & (end >= dstart)))
        differs = has & dstart.notna().to_numpy() & ~overlap.fillna(False).to_numpy()
        no_day = (claims["day_text"] == "").to_numpy()
        add(
            differs & ~no_day,
            "dossier_day_differs",
            lambda r: "dossier reads " + dd.iloc[r] + "; phrase resolves to " + iso(start, r) + ".." + iso(end, r),
            True,
        )
        add(
            differs & no_day,
            "assumed_day_disputed",
            lambda r: (
                "the phrase names no day, so the source's publication day was assumed ("
                + iso(start, r)
                + ".."
                + iso(end, r)
                + "); the dossier reads "
                + dd.iloc[r]
            ),
            False,
        )
    if not frames:
        return pd.DataFrame(columns=["claim_id", "flag", "detail", "on_timeline"])
    return pd.concat(frames, ignore_index=True).sort_values(["claim_id", "flag"], ignore_index=True)


def flag_table(flags: pd.DataFrame, claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """``flags.csv``: the flags with the claim's source, platform, event, phrase and span."""
    meta = claims[["source_id", "platform", "event", "phrase", "start", "end"]].set_axis(
        pd.Index(claims["claim_id"], name="claim_id")
    )
    published = dict(zip(sources["source_id"], text(sources, "published")))
    ids = flags["claim_id"]
    out = flags.assign(
        claim_ids=ids,
        source_id=ids.map(meta["source_id"]),
        platform=ids.map(meta["platform"]),
        event=ids.map(meta["event"]),
        phrase=ids.map(meta["phrase"]),
        published=ids.map(meta["source_id"]).map(published),
        start=ids.map(meta["start"]),
        end=ids.map(meta["end"]),
    )
    return out[FLAG_COLUMNS]
