"""Claims: the three claim tables stacked, their witnesses, and their time phrases resolved.

* :func:`stack_claims` — one frame of every claim with a derived ``event`` and ``stance``;
* :func:`witness_kind` — who stands behind a claim (operator, authority, crowd counter …),
  from the incident descriptor's patterns;
* :func:`resolve` — the German day/time phrase of every claim resolved with
  :func:`incident.timeexpr.parse_parts` against its source's publication time, with the
  incident's calendar anchors for the source's region;
* :func:`quantity_key` and :func:`explode_platforms` — the keys later stages group by.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from incident.errors import ReconstructionError
from incident.evidence.descriptor import Incident
from incident.ids import AGENCY_COPY, join_ids_grouped, sort_order
from incident.processed import TABLES
from incident.reconstruct import rows as _rows
from incident.reconstruct.rows import distinct, per_distinct

#: Witness kinds, from the most to the least direct.
WITNESSES = ("operator", "operator_quoted", "authority", "affected", "crowd_reports", "reporter")
#: Source kinds that are an operator's own channel.
OPERATOR_CHANNELS = ("press_release", "operator_statement")
#: Days after the window tried as reference for sources dated only to the month or year
#: (reports of a week's trouble appear up to the weekend after it).
TRAILING_REFERENCE_DAYS = 2

#: Columns of ``claims_resolved.csv`` (their types: :data:`incident.processed.TABLES`).
CLAIM_COLUMNS = [name for name, _ in TABLES["claims_resolved"]]


def text(df: pd.DataFrame, col: str) -> pd.Series:
    """Column as str with '' for missing (absent columns → all '')."""
    if col not in df.columns:
        return pd.Series([""] * len(df), index=df.index, dtype=object)
    s = df[col]
    if s.dtype == _STR:  # already text: only the missing values change
        return s.fillna("") if s.hasnans else s
    if s.dtype == object and len(s) and s.isna().all():
        return pd.Series(np.full(len(s), "", dtype=object), index=s.index, dtype=_STR)
    return s.astype(object).where(s.notna(), "").astype(str)


#: pandas' default text dtype (what ``astype(str)`` gives).
_STR = pd.Series([""]).astype(str).dtype


def _stack_part(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """One claim table in the stacked columns."""
    n = len(df)

    def col(name: str):
        t = text(df, name)
        # a non-empty column of text is stored as text (what the frame infers from the values)
        return t.array if n and t.dtype == _STR else t.to_numpy()

    out = pd.DataFrame({"claim_id": col("claim_id"), "table": table})
    for c in (
        "source_id",
        "platform",
        "operator",
        "what",
        "day_text",
        "time_text",
        "speaker",
        "quote",
        "dossier_day",
        "kind",
        "cause",
        "unit",
        "value_text",
        "counted",
        "quantity",
        "role",
        "organisation",
        "confidence_note",
        "was",  # German wording of the claim and the speaker, where the raw tables give them
        "speaker_de",
    ):
        out[c] = col(c)
    out["value"] = pd.to_numeric(df["value"], errors="coerce").to_numpy() if "value" in df.columns else np.nan
    if table == "timeline":
        out["event"] = col("event")
        out["stance"] = col("stance")
    elif table == "counts":
        out["event"] = "figure"
        out["stance"] = "unknown"
    else:
        st = text(df, "stance").to_numpy()
        adv = text(df, "kind").to_numpy() == "advice"
        out["event"] = np.where(
            adv,
            "advice",
            np.select(
                [st == "problems", st == "stable", st == "none_known"],
                ["acknowledged", "stable", "none_known"],
                "statement",
            ),
        )
        out["stance"] = np.where(
            adv, "unknown", np.select([st == "problems", st == "stable"], ["disrupted", "working"], "unknown")
        )
    return out


def stack_claims(evidence) -> pd.DataFrame:
    """Stack the three claim tables into one frame with derived ``event`` and ``stance``.

    Statements: stance problems → event ``acknowledged`` (stance disrupted), stable →
    ``stable`` (working), none_known → ``none_known`` (unknown), other → ``statement``;
    advice → ``advice``. Counts: event ``figure``.

    Args:
        evidence: Object with ``timeline``, ``counts``, ``statements`` frames (raw contract).

    Returns:
        Frame with one row per claim, sorted by ``claim_id``.

    Raises:
        ReconstructionError: When a claim id appears twice.
    """
    parts = [_stack_part(getattr(evidence, table), table) for table in ("timeline", "counts", "statements")]
    ids = np.concatenate([p["claim_id"].to_numpy(dtype=object) for p in parts])
    order = sort_order(ids)
    s = ids[order]
    if len(s) > 1 and not bool((s[1:] > s[:-1]).all()):  # a repeated id (or not all text): the plain way
        claims = pd.concat(parts, ignore_index=True)
        dup = claims["claim_id"].duplicated()
        if dup.any():
            raise ReconstructionError(f"claim id {claims.loc[dup, 'claim_id'].iloc[0]!r} appears in more than one row")
        return claims.sort_values("claim_id", ignore_index=True)
    # concatenate and sort one column at a time (the stacked frame is never held twice)
    columns = {}
    for c in parts[0].columns:
        stacked = pd.concat([p[c] for p in parts], ignore_index=True)
        columns[c] = stacked.take(order).reset_index(drop=True)
    return pd.DataFrame(columns, copy=False)


def account_groups(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """The independent account (text) each claim belongs to.

    A source's ``syndication_group`` (copies of one agency text share it; own reporting is
    the source's own id); a claim marked ``AGENCY COPY of <claim_id>`` in its
    ``confidence_note`` repeats agency text inside otherwise own reporting and belongs to the
    referenced claim's group, so one agency text is counted once.

    Args:
        claims: Output of :func:`stack_claims`.
        sources: Sources with ``source_id`` and ``syndication_group``.

    Returns:
        Series of group ids aligned with ``claims``.
    """
    syn = text(sources, "syndication_group")
    by_source = dict(zip(sources["source_id"], syn.where(syn != "", sources["source_id"])))
    group = claims["source_id"].map(by_source)
    # the marker is looked for once per distinct note
    note_codes, notes = pd.factorize(claims["confidence_note"], use_na_sentinel=False)
    found = pd.Series(notes, dtype=claims["confidence_note"].dtype).str.extract(AGENCY_COPY, expand=False)
    has = found.notna().to_numpy()[note_codes]
    if has.any():
        rows = np.flatnonzero(has)
        ref = pd.Series(found.to_numpy()[note_codes[rows]], index=claims.index[rows])
        source_of = dict(zip(claims["claim_id"], claims["source_id"]))
        group = group.copy()
        group.iloc[rows] = (
            ref.map(lambda cid: by_source.get(source_of.get(cid, ""))).fillna(group.iloc[rows]).to_numpy()
        )
    return group


def witness_kind(claims: pd.DataFrame, sources: pd.DataFrame, *, incident: Incident) -> pd.Series:
    """Kind of witness behind each claim.

    Rules, first match wins: the operator's own channel (source kind press_release or
    operator_statement) → ``operator``; a speaker/organisation naming the claim's operator →
    ``operator_quoted``; a speaker matching the descriptor's ``authority`` pattern (or a
    ministry source) → ``authority``; error-report counters (unit ``error_reports`` or the
    ``crowd`` pattern) → ``crowd_reports``; any other named speaker (head teachers, unions,
    parents) → ``affected``; no speaker, or a reporter → ``reporter``.

    Args:
        claims: Output of :func:`stack_claims`.
        sources: Sources with ``source_id`` and ``kind``.
        incident: The descriptor (patterns ``authority`` and ``crowd``).

    Returns:
        Series aligned with ``claims``.
    """
    kinds = dict(zip(sources["source_id"], text(sources, "kind")))
    skind = claims["source_id"].map(kinds).fillna("")
    return per_distinct(
        claims,
        ["speaker", "organisation", "role", "operator", "unit", "what"],
        lambda c: _witness(c, kinds, incident),
        extra=[skind],
    )


def _witness(claims: pd.DataFrame, kinds: dict, incident: Incident) -> pd.Series:
    skind = claims["source_id"].map(kinds).fillna("")
    who = (claims["speaker"] + " | " + claims["organisation"] + " | " + claims["role"]).str.strip(" |")
    op_token = claims["operator"].str.lower().str.extract(r"^\W*([^\W_]+)", expand=False).fillna("")
    # evaluated once per distinct (operator word, speaker) pair: claims repeat them a lot
    pair = op_token + "\x1f" + who.str.lower()
    codes, uniq = pd.factorize(pair)
    hits = np.array([len(t) > 2 and t in w for t, w in (u.split("\x1f", 1) for u in uniq)], dtype=bool)
    names_op = pd.Series(hits[codes] if len(codes) else np.zeros(0, bool), index=claims.index)
    crowd = (
        (claims["unit"] == "error_reports")
        | who.str.contains(incident.crowd)
        | claims["what"].str.contains(incident.crowd)
    )
    own = skind.isin(OPERATOR_CHANNELS)
    authority = who.str.contains(incident.authority) | (skind == "ministry")
    reporter_role = claims["role"].str.match(r"(?i)reporter\b")
    return pd.Series(
        np.select(
            [own & (names_op | (who == "")), names_op, authority & ~reporter_role, crowd, (who != "") & ~reporter_role],
            ["operator", "operator_quoted", "authority", "crowd_reports", "affected"],
            "reporter",
        ),
        index=claims.index,
    )


def _reference(sources: pd.DataFrame) -> pd.DataFrame:
    """Reference per source: ISO text at the source's precision (minute → tz-aware ISO)."""
    prec = text(sources, "published_precision")
    at = (
        pd.to_datetime(sources["published_at"])
        if "published_at" in sources.columns
        else pd.Series(pd.NaT, index=sources.index)
    )
    ref = np.where(prec == "minute", [t.isoformat() if not pd.isna(t) else "" for t in at], text(sources, "published"))
    return pd.DataFrame(
        {
            "source_id": sources["source_id"].to_numpy(),
            "reference": ref,
            "precision": prec.to_numpy(),
            "region": text(sources, "region").to_numpy(),
        }
    )


class _Unresolved:
    """A span that did not resolve (same attributes as :class:`incident.timeexpr.TimeSpan`)."""

    def __init__(self, reason: str):
        self.start = self.end = self.kind = None
        self.reason = reason


def resolve(
    claims: pd.DataFrame, sources: pd.DataFrame, *, incident: Incident, resolver: Callable | None = None
) -> pd.DataFrame:
    """Resolve every claim's day/time phrase against its source's publication time.

    Distinct (day phrase, time phrase, reference, anchor region) tuples are resolved once.
    The incident's calendar anchors (``anchors`` of the descriptor: the dates of
    "Schulstart" and the like, per region) are passed to the parser for the source's
    region. Sources dated only to the month or year: a relative phrase is tried against
    every day of the incident window and the :data:`TRAILING_REFERENCE_DAYS` after it, and
    counts as resolved only when all of them give the same span (``reference`` then reads
    ``2021-01 (any of …)``).

    Args:
        claims: Output of :func:`stack_claims`.
        sources: Sources with ``source_id, published, published_precision, published_at, region``.
        incident: The descriptor (window and anchors).
        resolver: ``(day_text, time_text, reference, anchors) -> TimeSpan``; default
            :func:`incident.timeexpr.parse_parts` with the descriptor's anchors.

    Returns:
        ``claims`` plus ``phrase, reference, start, end, span_kind, resolved, reason``
        (``start``/``end`` tz-aware in the incident's zone, NaT when unresolved).

    Raises:
        ReconstructionError: When a claim refers to an unknown source.
    """
    anchors_for = _anchor_factory(incident)
    if resolver is None:
        from incident.timeexpr import parse_parts

        def resolver(d, t, r, a):
            return parse_parts(d, t, r, anchors=a) if a is not None else parse_parts(d, t, r)

    ref = _reference(sources)
    # anchors depend on the source's region (school holidays differ by state); none: one key
    ref["anchor_region"] = ref["region"] if incident.anchors else ""
    key_cols = ["day_text", "time_text", "reference", "precision", "anchor_region"]
    index = pd.Index(ref["source_id"])
    if len(claims) == 0 or not index.is_unique:
        return _resolve_merged(claims, ref, key_cols, incident, resolver, anchors_for)
    at = index.get_indexer(claims["source_id"])
    if (at < 0).any():
        missing = claims["claim_id"].iloc[int(np.flatnonzero(at < 0)[0])]
        raise ReconstructionError(f"claim {missing!r} refers to an unknown source")
    # one key per distinct (day phrase, time phrase, source reference, precision, anchor region)
    ref_code, ref_first = distinct([ref["reference"], ref["precision"], ref["anchor_region"]])
    codes, first = distinct([claims["day_text"], claims["time_text"], ref_code[at]])
    keys = pd.DataFrame(
        {"day_text": claims["day_text"].to_numpy()[first], "time_text": claims["time_text"].to_numpy()[first]}
    )
    src_rows = ref_first[ref_code[at[first]]]
    for c in ("reference", "precision", "anchor_region"):
        keys[c] = ref[c].to_numpy()[src_rows]
    res = _resolve_keys(keys[key_cols], incident, resolver, anchors_for)
    df = claims.reset_index(drop=True)
    df["reference"] = res["reference_shown"].array.take(codes)
    for c in ("start", "end", "span_kind", "reason"):
        df[c] = res[c].array.take(codes)
    df["span_kind"] = df["span_kind"].fillna("")
    df["reason"] = df["reason"].fillna("")
    # the phrase of each key (a function of its day and time phrase)
    day, time = df["day_text"].iloc[first], df["time_text"].iloc[first]
    both = (day != "") & (time != "")
    df["phrase"] = np.where(both, day + " | " + time, day + time)[codes]
    df["resolved"] = df["start"].notna()
    ids = df["claim_id"].to_numpy(dtype=object)
    if len(ids) > 1 and not bool((ids[1:] > ids[:-1]).all()):
        df = df.sort_values("claim_id", ignore_index=True)
    return df


def _resolve_keys(keys: pd.DataFrame, incident: Incident, resolver: Callable, anchors_for) -> pd.DataFrame:
    """Resolve each distinct key (day phrase, time phrase, reference, precision, region) once."""
    last = incident.days[-1]
    tries_days = [d.isoformat() for d in incident.days] + [
        (pd.Timestamp(last) + pd.Timedelta(days=i)).date().isoformat() for i in range(1, TRAILING_REFERENCE_DAYS + 1)
    ]
    key_cols = list(keys.columns)
    out = []
    for d, t, r, p, region in keys.itertuples(index=False):
        if not d and not t:
            out.append((d, t, r, p, region, None, None, None, "no day or time phrase given", r))
            continue
        anchors = anchors_for(region)
        span = resolver(d or None, t or None, r, anchors)
        shown = r
        if span.start is None and p in ("month", "year"):
            tries = [resolver(d or None, t or None, w, anchors) for w in tries_days if w.startswith(r)]
            if tries and all(x.start is not None for x in tries) and len({(x.start, x.end) for x in tries}) == 1:
                span = tries[0]
                shown = f"{r} (any of {tries_days[0]}..{tries_days[-1]})"
            elif tries:
                span = _Unresolved(
                    f"{span.reason}; source dated only to {r} and no single reading holds for "
                    f"every day of the incident window"
                )
        out.append(
            (d, t, r, p, region, span.start, span.end, span.kind, span.reason if span.start is None else None, shown)
        )
    res = pd.DataFrame(out, columns=[*key_cols, "start", "end", "span_kind", "reason", "reference_shown"])
    for c in ("start", "end"):
        res[c] = pd.to_datetime(res[c], utc=True).dt.tz_convert(incident.timezone)
    return res


def _resolve_merged(
    claims: pd.DataFrame, ref: pd.DataFrame, key_cols: list[str], incident: Incident, resolver: Callable, anchors_for
) -> pd.DataFrame:
    """:func:`resolve` by merging (no claims, or source ids that repeat: the merge says so)."""
    df = claims.merge(ref.drop(columns=["region"]), on="source_id", how="left", validate="many_to_one")
    if df["reference"].isna().any():
        missing = df.loc[df["reference"].isna(), "claim_id"].iloc[0]
        raise ReconstructionError(f"claim {missing!r} refers to an unknown source")
    res = _resolve_keys(df[key_cols].drop_duplicates(), incident, resolver, anchors_for)
    df = df.merge(res, on=key_cols, how="left", validate="many_to_one")
    df["reference"] = df.pop("reference_shown")
    both = (df["day_text"] != "") & (df["time_text"] != "")
    df["phrase"] = np.where(both, df["day_text"] + " | " + df["time_text"], df["day_text"] + df["time_text"])
    df["resolved"] = df["start"].notna()
    df["span_kind"] = df["span_kind"].fillna("")
    df["reason"] = df["reason"].fillna("")
    return df.drop(columns=["precision", "anchor_region"]).sort_values("claim_id", ignore_index=True)


def _anchor_factory(incident: Incident) -> Callable[[str], object]:
    """Anchors object per region key (``None`` when the descriptor has none)."""
    if not incident.anchors:
        return lambda region: None
    from incident.timeexpr import anchors_from_descriptor

    cache: dict[str, object] = {}

    def get(region: str):
        if region not in cache:
            cache[region] = anchors_from_descriptor(incident.anchors, region or None)
        return cache[region]

    return get


def quantity_key(claims: pd.DataFrame) -> pd.Series:
    """Key of the quantity a figure measures (figure conflicts are found per key).

    The raw ``quantity`` when given; otherwise ``<platform>|<unit>``, plus ``|<day>`` for
    figures counted in a time-of-day window (a ``time_text`` is given: a flow such as
    error reports between 8 and 10, not a stock such as schools using a platform).
    """
    return per_distinct(claims, ["quantity", "table", "platform", "unit", "time_text", "start", "end"], _quantity)


def _quantity(claims: pd.DataFrame) -> pd.Series:
    from incident.reconstruct.days import day_of

    day = day_of(claims["start"], claims["end"])
    derived = (
        claims["platform"] + "|" + claims["unit"] + np.where((claims["time_text"] != "") & (day != ""), "|" + day, "")
    )
    q = claims["quantity"].where(claims["quantity"] != "", derived)
    return q.where(claims["table"] == "counts", "")


def explode_platforms(claims: pd.DataFrame, *, incident: Incident) -> pd.DataFrame:
    """One row per claim × platform id (``"a; b"`` → two rows); context ids dropped."""
    if len(claims) <= _rows.SMALL:
        return _explode(claims, incident)
    rows, platform = exploded_rows(claims, incident=incident)
    e = (
        claims.iloc[rows].reset_index(drop=True)
        if len(rows) != len(claims) or (np.diff(rows) != 1).any()
        else claims.reset_index(drop=True)
    )
    e["platform"] = platform
    return e


def exploded_rows(claims: pd.DataFrame, *, incident: Incident) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray]:
    """The rows of :func:`explode_platforms` (positions in ``claims``) and their platform ids.

    Each distinct platform cell is split once.
    """
    codes, first = distinct([claims["platform"]])
    probe = claims.iloc[first]
    split = probe["platform"].str.split(r"\s*;\s*")
    parts = [x if isinstance(x, list) and x else [v] for x, v in zip(split.tolist(), probe["platform"].tolist())]
    n_parts = np.array([len(x) for x in parts], dtype=np.int64)
    dtype = _explode(probe, incident)["platform"].dtype if len(probe) else claims["platform"].dtype
    flat = np.empty(int(n_parts.sum()), dtype=object)
    flat[:] = [p for x in parts for p in x]
    offset = np.concatenate([[0], np.cumsum(n_parts)[:-1]])
    reps = n_parts[codes]
    rows = np.repeat(np.arange(len(claims)), reps)
    within = np.arange(len(rows)) - np.repeat(np.cumsum(reps) - reps, reps)
    platform = flat[offset[codes[rows]] + within]
    keep = (platform != "") & ~pd.Series(platform).isin(incident.context_ids).to_numpy()
    return rows[keep], pd.array(platform[keep], dtype=dtype)


def _explode(claims: pd.DataFrame, incident: Incident) -> pd.DataFrame:
    e = claims.assign(platform=claims["platform"].str.split(r"\s*;\s*")).explode("platform")
    e = e[(e["platform"] != "") & ~e["platform"].isin(incident.context_ids)]
    return e.reset_index(drop=True)


def source_table(sources: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """``sources.csv``: sources with account group, default witness kind and their claims."""
    s = sources.copy()
    kind = text(s, "kind")
    s["account_group"] = text(s, "syndication_group").where(text(s, "syndication_group") != "", s["source_id"])
    s["witness"] = np.select([kind.isin(OPERATOR_CHANNELS), kind == "ministry"], ["operator", "authority"], "reporter")
    codes, uniq = pd.factorize(claims["source_id"])
    keep = codes >= 0
    ids = pd.Series(
        join_ids_grouped(codes[keep], claims["claim_id"].to_numpy(dtype=object)[keep], len(uniq)),
        index=uniq,
        dtype=object,
    )
    n = pd.Series(np.bincount(codes[keep], minlength=len(uniq)), index=uniq)
    s["claim_ids"] = s["source_id"].map(ids).fillna("")
    s["n_claims"] = s["source_id"].map(n).fillna(0).astype(int)
    cols = [
        "source_id",
        "outlet",
        "url",
        "headline",
        "published",
        "published_precision",
        "published_at",
        "kind",
        "account_group",
        "witness",
        "verified",
        "n_claims",
        "claim_ids",
    ]
    for c in cols:
        if c not in s.columns:
            s[c] = ""
    return s[cols].sort_values("source_id", ignore_index=True)
