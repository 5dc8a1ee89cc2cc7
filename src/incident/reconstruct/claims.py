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
from incident.processed import DISTINCTIONS, TABLES
from incident.reconstruct import rows as _rows
from incident.reconstruct.rows import distinct, per_distinct

#: Witness kinds, from the most to the least direct.
WITNESSES = ("operator", "operator_quoted", "authority", "affected", "crowd_reports", "reporter")
#: Source kinds that are an operator's own channel.
OPERATOR_CHANNELS = ("press_release", "operator_statement")
#: Days after the window tried as reference for sources dated only to the month or year
#: (reports of a week's trouble appear up to the weekend after it).
TRAILING_REFERENCE_DAYS = 2

#: What the ``reference`` of a claim says when only its day could be read (its time phrase could not).
DEGRADED_SHOWN = "only the day is readable: placed at day level"
#: Scopes whose claims bound a platform's edges (empty: not recorded, read as the platform).
BOUNDING_SCOPES = ("platform", "")
#: Modalities that are evidence of an event (a condition, a fear or a denial is not).
EVENT_MODALITIES = ("asserted", "reported", "")
#: Statement stances → (event, stance) of the stacked claim.
STATEMENT_STANCES = {
    "problems": ("acknowledged", "disrupted"),
    "admits_problem": ("acknowledged", "disrupted"),
    "apology": ("acknowledged", "disrupted"),
    "stable": ("stable", "working"),
    "none_known": ("none_known", "unknown"),
    "fixed": ("fixed", "unknown"),
    "measure": ("measure", "unknown"),
}

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
        *DISTINCTIONS,
    ):
        out[c] = col(c)
    # quotation marks only for verbatim words: a quote the re-audit found paraphrased, or could not check
    # on the stored page, stays in the raw table but is not carried into what is published
    if "quote_verbatim" in df.columns:
        unsure = text(df, "quote_verbatim").isin(["no", "unchecked"]).to_numpy()
        if unsure.any():
            out["quote"] = np.where(unsure, "", out["quote"].to_numpy(dtype=object))
    out["value"] = pd.to_numeric(df["value"], errors="coerce").to_numpy() if "value" in df.columns else np.nan
    out["says"] = ""
    if table == "timeline":
        out["event"] = col("event")
        out["stance"] = col("stance")
    elif table == "counts":
        out["event"] = "figure"
        out["stance"] = "unknown"
    else:
        st = text(df, "stance")
        adv = text(df, "kind").to_numpy() == "advice"
        event = st.map(lambda x: STATEMENT_STANCES.get(x, ("statement", "unknown"))[0]).to_numpy(dtype=object)
        stance = st.map(lambda x: STATEMENT_STANCES.get(x, ("statement", "unknown"))[1]).to_numpy(dtype=object)
        out["event"] = np.where(adv, "advice", event)
        out["stance"] = np.where(adv, "unknown", stance)
        out["says"] = st.to_numpy(dtype=object)
    return out


def bounding(claims: pd.DataFrame) -> pd.Series:
    """Whether a claim may bound a platform's edges or side a conflict: platform-wide (not one school,
    one user or one region of a platform) and evidence of an event (asserted or reported, not a condition,
    an expectation or a denial). Claims that fail stay in the data as local reports."""
    # "läuft stabil" sides a statement conflict only when a party says it, not a reporter's hearsay or a user
    hearsay = (text(claims, "event") == "stable") & text(claims, "speaker_role").isin(["reporter", "user"])
    return text(claims, "scope").isin(BOUNDING_SCOPES) & text(claims, "modality").isin(EVENT_MODALITIES) & ~hearsay


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

    The speaker's role recorded in the raw row (``speaker_role``) decides where it is given
    (:data:`ROLE_WITNESS`; an operator speaking in its own channel is ``operator``, quoted
    elsewhere ``operator_quoted``). Without it, rules, first match wins: the operator's own channel (source kind press_release or
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
    cols = ["speaker", "organisation", "role", "operator", "unit", "what"]
    if "speaker_role" in claims.columns:
        cols.append("speaker_role")
    return per_distinct(claims, cols, lambda c: _witness(c, kinds, incident), extra=[skind])


#: The speaker's role the data desk recorded → witness kind (``operator`` splits by channel).
ROLE_WITNESS = {
    "ministry": "authority",
    "authority": "authority",
    "measurement": "crowd_reports",
    "school": "affected",
    "user": "affected",
    "association": "affected",
    "politician": "affected",
    "expert": "affected",
    "other": "affected",
    "reporter": "reporter",
}


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
    guessed = np.select(
        [own & (names_op | (who == "")), names_op, authority & ~reporter_role, crowd, (who != "") & ~reporter_role],
        ["operator", "operator_quoted", "authority", "crowd_reports", "affected"],
        "reporter",
    )
    # the role the data desk recorded wins; the patterns only serve tables that do not record it
    role = text(claims, "speaker_role").to_numpy(dtype=object)
    recorded = np.array([ROLE_WITNESS.get(r, "") for r in role], dtype=object)
    recorded = np.where(role == "operator", np.where(own, "operator", "operator_quoted"), recorded)
    return pd.Series(np.where(recorded != "", recorded, guessed), index=claims.index)


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
            :func:`incident.timeexpr.parse_parts` with the descriptor's anchors and zone.

    Returns:
        ``claims`` plus ``phrase, reference, start, end, span_kind, resolved, reason``
        (``start``/``end`` tz-aware in the incident's zone, NaT when unresolved).

    Raises:
        ReconstructionError: When a claim refers to an unknown source.
    """
    anchors_for = _anchor_factory(incident)
    if resolver is None:
        from incident.timeexpr import parse_parts

        zone = incident.timezone  # the phrase is read on the incident's wall clock

        def resolver(d, t, r, a):
            return parse_parts(d, t, r, anchors=a, zone=zone)

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
    for c in ("start", "end", "span_kind", "reason", "day_level"):
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
    return recorded_day(df, tz=incident.timezone, reread=_reread(ref, incident, resolver, anchors_for))


def recorded_day(df: pd.DataFrame, *, tz: str, reread: Callable[[str, str, str, str], object]) -> pd.DataFrame:
    """Place a claim on the day its row records (``refers_to_day``), where its phrase does not.

    A phrase is first read against the source's publication time; that is a fallback. Where the data
    desk recorded the day the text refers to (with its basis in ``day_basis``):

    * a phrase that lands on another day is read again with the recorded day as its reference ("bis
      etwa 14.00 Uhr" or "Zum heutigen Start" in an article updated the next day); the new reading is
      used only when it lands on the recorded day, so a phrase that names another day itself ("am
      Dienstag") keeps its own reading (a disagreement is a flag for re-reading,
      :mod:`incident.reconstruct.flags`);
    * a claim whose phrase cannot be read, or that has none, or of whose phrase only the day could be read
      (``day_level``), is placed on the recorded day as a whole (span kind ``day``): its readable day is
      kept, never dropped.

    Args:
        df: Resolved claims.
        tz: The incident's zone.
        reread: ``(day_text, time_text, reference_day, source_id) -> TimeSpan``.
    """
    day = text(df, "refers_to_day")
    if not (day != "").any():
        return df
    df = df.copy()
    rows = np.flatnonzero((day != "").to_numpy())
    basis = text(df, "day_basis")
    day_level = (
        df["day_level"].fillna(False).to_numpy(dtype=bool) if "day_level" in df.columns else np.zeros(len(df), bool)
    )
    cache: dict[tuple, object] = {}
    changed: dict[int, tuple] = {}
    for i in rows.tolist():
        want = day.iat[i]
        try:
            d0 = pd.Timestamp(want).tz_localize(tz)
        except ValueError:
            continue
        d1 = d0 + pd.DateOffset(days=1)
        note = f"{want} (recorded day: {basis.iat[i]})" if basis.iat[i] else f"{want} (recorded day)"
        start, end = df["start"].iat[i], df["end"].iat[i]
        whole = (d0, d1, "day", note + "; the time phrase, if any, is not readable: placed at day level")
        unread = pd.isna(start) or day_level[i]  # the recorded day wins over a day read from the phrase alone
        if not unread:
            if start >= d0 and end <= d1:
                continue  # already on the recorded day
            if end - start > pd.Timedelta(days=1):
                continue  # a span over several days is not a day's reading
        has_phrase = bool(df["day_text"].iat[i] or df["time_text"].iat[i])
        span = None
        if has_phrase:  # read again against the recorded day ("um 11 Uhr" in a source dated to the month)
            key = (df["day_text"].iat[i], df["time_text"].iat[i], want, df["source_id"].iat[i])
            if key not in cache:
                cache[key] = reread(*key)
            span = cache[key]
        if span is not None and span.start is not None and not getattr(span, "degraded", False):
            s1 = pd.Timestamp(span.start).tz_convert(tz)
            e1 = pd.Timestamp(span.end).tz_convert(tz)
            if s1 >= d0 and e1 <= d1:
                changed[i] = (s1, e1, span.kind, note)
                continue
        if unread:
            changed[i] = whole
    if not changed:
        return df
    at = list(changed)
    idx = df.index[at]
    zone = df["start"].dt.tz
    df.loc[idx, "start"] = pd.Series([changed[i][0] for i in at], index=idx).dt.tz_convert(zone)
    df.loc[idx, "end"] = pd.Series([changed[i][1] for i in at], index=idx).dt.tz_convert(zone)
    df.loc[idx, "span_kind"] = [changed[i][2] or "" for i in at]
    df.loc[idx, "reference"] = [changed[i][3] for i in at]
    df.loc[idx, "reason"] = ""
    df.loc[idx, "resolved"] = True
    if "day_level" in df.columns:  # placed on the recorded day as a whole: only the day is known
        whole = [i for i in at if changed[i][2] == "day" and "placed at day level" in changed[i][3]]
        df.loc[df.index[whole], "day_level"] = True
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
            out.append((d, t, r, p, region, None, None, None, "no day or time phrase given", r, False))
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
        # only the day was read (an unreadable time phrase, or the date of a sentence): a day-level report
        degraded = bool(getattr(span, "degraded", False)) and span.kind in ("day", "range")
        if degraded:
            shown = f"{shown} ({DEGRADED_SHOWN})"
        out.append(
            (
                d,
                t,
                r,
                p,
                region,
                span.start,
                span.end,
                span.kind,
                span.reason if span.start is None else None,
                shown,
                degraded,
            )
        )
    res = pd.DataFrame(out, columns=[*key_cols, "start", "end", "span_kind", "reason", "reference_shown", "day_level"])
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
    df = df.drop(columns=["precision", "anchor_region"]).sort_values("claim_id", ignore_index=True)
    return recorded_day(df, tz=incident.timezone, reread=_reread(ref, incident, resolver, anchors_for))


def _reread(ref: pd.DataFrame, incident: Incident, resolver: Callable, anchors_for) -> Callable:
    """A phrase read again against a recorded day, with the anchors of its source's region."""
    region = dict(zip(ref["source_id"], ref["anchor_region"] if "anchor_region" in ref else ref["region"]))

    def reread(day_text: str, time_text: str, reference: str, source_id: str):
        anchors = anchors_for(region.get(source_id, "") if incident.anchors else "")
        return resolver(day_text or None, time_text or None, reference, anchors)

    return reread


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
    parts = [
        _most_specific(x if isinstance(x, list) and x else [v], incident)
        for x, v in zip(split.tolist(), probe["platform"].tolist())
    ]
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


def _most_specific(ids: list, incident: Incident) -> list:
    """A claim names the most specific part its source supports: a family's general id beside one of its
    parts ("video; platform") counts for the part only, so no two Ablauf rows share a claim."""
    named = set(ids)
    return [p for p in ids if not any(incident.family_of(q) == p for q in named if q != p)]


def _explode(claims: pd.DataFrame, incident: Incident) -> pd.DataFrame:
    e = claims.assign(
        platform=[_most_specific([p.strip() for p in str(x).split(";")], incident) for x in claims["platform"]]
    ).explode("platform")
    e["platform"] = e["platform"].astype(str).str.strip()
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
