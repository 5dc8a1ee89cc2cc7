"""Raw → processed: ``python -m incident process --incident <id>``.

Loads and validates the raw tables and the incident descriptor
(:mod:`incident.evidence`), reconstructs (:mod:`incident.reconstruct`), flags anomalies
in dense measured series (:mod:`incident.series.anomalies`), builds the newsroom exports
(:mod:`incident.publish.exports`) and writes every processed table of ``docs/method.md``
with its ``datapackage.json`` and ``manifest.json`` to ``data/processed/<incident>/``.

Writing is atomic and deterministic: all files are written into a staging folder, the
processed package is validated with Frictionless, and only then is the folder swapped in
(:func:`incident.atomic.staged_dir`); rows are sorted, floats have at most 4 decimals,
times are ISO 8601 with offset, and nothing depends on the clock.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from incident import atomic, processed, reconstruct
from incident.config import Paths
from incident.config import paths as make_paths
from incident.evidence.descriptor import Incident, load_descriptor
from incident.publish import exports
from incident.reconstruct.independence import undeclared
from incident.series import anomalies

ANOMALY_COLUMNS = [c for c, _ in processed.TABLES["anomalies"]]
REJECTED_COLUMNS = [c for c, _ in processed.TABLES["rejected"]]


# --------------------------------------------------------------------------- formatting


def _cell(v, tz: str) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, pd.Timestamp):
        return v.tz_convert(tz).isoformat() if v.tzinfo else v.isoformat()
    if isinstance(v, (float, np.floating)):
        s = f"{float(v):.4f}".rstrip("0").rstrip(".")
        return "0" if s in ("-0", "") else s
    if isinstance(v, (np.integer,)):
        return str(int(v))
    return str(v)


def to_csv_text(df: pd.DataFrame, *, tz: str) -> str:
    """Deterministic CSV text: fixed float formatting, ISO times with offset, true/false."""
    out = pd.DataFrame({c: [_cell(v, tz) for v in df[c].astype(object)] for c in df.columns}, columns=list(df.columns))
    return out.to_csv(index=False, lineterminator="\n")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- steps


def anomaly_table(claims: pd.DataFrame, *, tz: str) -> pd.DataFrame:
    """Anomaly flags of every dense measured series in the claims (empty when there is none)."""
    frames = []
    for q, series in anomalies.dense_series(claims).items():
        width = int((series["end"].iloc[0] - series["start"].iloc[0]).total_seconds() // 60)
        full = pd.date_range(series["start"].min().normalize(), series["start"].max(), freq=f"{width}min", tz=tz)
        s = series.set_index("start").reindex(full).rename_axis("start").reset_index()
        s["value"] = s["value"].fillna(0.0)
        s["end"] = s["start"] + pd.Timedelta(minutes=width)
        flags, _ = anomalies.detect(s, bin_minutes=width)
        flags["quantity"] = q
        flags["claim_ids"] = flags["claim_ids"].fillna("")
        flags["platform"] = flags["platform"].fillna(series["platform"].iloc[0])
        frames.append(flags[ANOMALY_COLUMNS])
    if not frames:
        return pd.DataFrame(columns=ANOMALY_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def split_rejected(evidence) -> tuple[object, pd.DataFrame]:
    """Move claim rows that cannot be processed (source id unknown) to ``rejected``.

    The loader refuses such rows, so from real tables nothing is rejected; generated
    corpora and hand-built evidence objects can still carry them.
    """
    known = set(evidence.sources["source_id"])
    rejected, kept = [], {}
    for table in ("timeline", "counts", "statements"):
        df = getattr(evidence, table)
        bad = ~df["source_id"].isin(known)
        for i in np.flatnonzero(bad.to_numpy()):
            cid = df["claim_id"].iat[i]
            rejected.append((cid, cid, table, int(i) + 1, f"source id {df['source_id'].iat[i]!r} not in sources"))
        kept[table] = df[~bad].reset_index(drop=True)
    ev = type("Evidence", (), {})()
    ev.incident = getattr(evidence, "incident", "")
    ev.sources = evidence.sources
    for t, df in kept.items():
        setattr(ev, t, df)
    ev.raw_rows = dict(getattr(evidence, "raw_rows", {}))
    return ev, pd.DataFrame(rejected, columns=REJECTED_COLUMNS)


def copies_table(evidence, claims: pd.DataFrame) -> pd.DataFrame:
    """Source pairs whose claims share wording across the groups they count with (for review).

    The loader refuses such a pair unless it is reviewed (``independent_of``); the table lists
    them with ``reviewed`` so the review stays visible.
    """
    src = evidence.sources
    reviewed = set()
    if "independent_of" in src:
        for sid, other in zip(src["source_id"], src["independent_of"].fillna("")):
            reviewed.update(frozenset((sid, o.strip())) for o in other.split(";") if o.strip())
    copies = undeclared(claims[["claim_id", "source_id", "account_group", "quote", "what"]])
    copies["reviewed"] = [frozenset((a, b)) in reviewed for a, b in zip(copies["source_a"], copies["source_b"])]
    return copies


def build(evidence, *, incident: Incident, resolver=None) -> tuple[dict, dict]:
    """All processed tables and the JSON documents of one incident (nothing written).

    Returns:
        ``(tables, documents)``: ``{file name: frame}`` and ``{file name: dict}``.
    """
    ev, rejected = split_rejected(evidence)
    rec = reconstruct.reconstruct(ev, incident=incident, resolver=resolver)
    claims = rec.claims[reconstruct.claims.CLAIM_COLUMNS]
    t = {
        "sources.csv": rec.sources,
        "claims_resolved.csv": claims,
        "unresolved.csv": rec.unresolved,
        "flags.csv": rec.flags,
        "accounts.csv": rec.accounts,
        "figures.csv": rec.figures,
        "conflicts.csv": rec.conflicts,
        "sequence.csv": rec.sequence,
        "constraints.csv": rec.constraints,
        "copies.csv": copies_table(ev, rec.claims),
        "anomalies.csv": anomaly_table(rec.claims, tz=incident.timezone),
        "rejected.csv": rejected,
    }
    t.update(exports.datawrapper(rec, incident=incident))
    docs = {
        "timeline.json": exports.timelinejs(rec, incident=incident),
        "timelinejs-de.json": exports.TIMELINEJS_LOCALE_DE,
    }
    raw_claims = sum(len(getattr(evidence, x)) for x in ("timeline", "counts", "statements"))
    docs["_accounting"] = {
        "raw_claims": raw_claims,
        "resolved": int(claims["resolved"].sum()),
        "unresolved": int((~claims["resolved"]).sum()),
        "rejected": len(rejected),
        "claims_in_claims_resolved": len(claims),
        "flagged_claims": int(rec.flags["claim_id"].nunique()),
        "off_timeline_claims": int((~rec.claims["on_timeline"]).sum()),
    }
    return t, docs


_SORT = {
    "sources.csv": ["source_id"],
    "claims_resolved.csv": ["claim_id"],
    "unresolved.csv": ["claim_id"],
    "flags.csv": ["claim_id", "flag"],
    "accounts.csv": ["account_id"],
    "figures.csv": ["quantity"],
    "conflicts.csv": ["conflict_id"],
    "sequence.csv": ["episode_id"],
    "constraints.csv": ["episode_id", "claim_id"],
    "copies.csv": ["source_a", "source_b"],
    "anomalies.csv": ["quantity", "start"],
    "rejected.csv": ["claim_id"],
}


def write(tables: dict, docs: dict, paths: Paths, *, raw_rows: dict, tz: str, labels: dict | None = None) -> dict:
    """Write all files into a staging folder, validate it, and swap it in; return the manifest.

    Raises:
        ValidationError: When the processed package does not validate (nothing is swapped in).
        OutputError: When ``data/processed`` cannot be written.
    """
    with atomic.staged_dir(paths.processed) as tmp:
        rows = {}
        for name, df in tables.items():
            if name in _SORT and len(df):
                df = df.sort_values(_SORT[name], kind="mergesort", ignore_index=True)
            (tmp / name).write_text(to_csv_text(df, tz=tz), encoding="utf-8")
            rows[name] = len(df)
        for name, doc in docs.items():
            if name.startswith("_"):
                continue
            (tmp / name).write_text(
                json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
            )
            rows[name] = len(doc.get("events", []))
        package = processed.descriptor(paths.incident, labels=labels)
        (tmp / "datapackage.json").write_text(json.dumps(package, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        processed.validate(tmp)
        manifest = {
            "incident": paths.incident,
            "raw_rows": {k: int(v) for k, v in sorted(raw_rows.items())},
            "processed_rows": dict(sorted(rows.items())),
            "accounting": docs["_accounting"],
            "files": {p.name: _sha256(p) for p in sorted(tmp.iterdir())},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def run(paths: Paths | None = None) -> dict:
    """Load, reconstruct and write every processed table of an incident.

    Args:
        paths: The incident's paths (default :func:`incident.config.paths`).

    Returns:
        The manifest (row counts raw → processed, accounting, sha256 per file).

    Raises:
        ValidationError: From the loader or the processed package; nothing is written.
        ReconstructionError: When the tables cannot be reconstructed; nothing is written.
    """
    from incident.evidence.load import load_incident

    p = paths or make_paths()
    incident = load_descriptor(p)
    ev = load_incident(p, incident=incident)
    tables, docs = build(ev, incident=incident)
    return write(tables, docs, p, raw_rows=ev.raw_rows, tz=incident.timezone, labels=dict(incident.labels))
