"""Raw → processed: ``python -m incident.process --incident schulstart-2021``.

Loads the validated raw tables (:func:`incident.evidence.load.load_incident`), reconstructs
(:mod:`incident.reconstruct`), builds the disruption state and change points
(:mod:`incident.series.changepoints`), flags anomalies in dense count series
(:mod:`incident.series.anomalies`), exports (:mod:`incident.publish.exports`) and writes every processed
table of ``docs/method.md`` plus ``manifest.json`` to ``data/processed/<incident>/``.

Writing is atomic and deterministic: all files are written into a temporary folder
inside ``data/processed/`` and the folder is swapped in with :func:`os.replace`; rows are
sorted, floats have at most 4 decimals, times are ISO 8601 with offset, and nothing
depends on the clock.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from incident import reconstruct
from incident.series import anomalies, changepoints
from incident.publish import exports
from incident.config import SEED, TIMEZONE, Paths, paths as make_paths
from incident.errors import IncidentError

#: Grid resolution of the published disruption state (minutes).
RESOLUTION_MINUTES = 5
#: Bootstrap resamples per platform.
N_BOOT = 200

ANOMALY_COLUMNS = ["quantity", "platform", "start", "end", "value", "baseline", "threshold", "anomalous", "episode",
                   "claim_ids"]
REJECTED_COLUMNS = ["claim_id", "claim_ids", "table", "row", "reason"]


# --------------------------------------------------------------------------- formatting


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, pd.Timestamp):
        return v.tz_convert(TIMEZONE).isoformat() if v.tzinfo else v.isoformat()
    if isinstance(v, (float, np.floating)):
        s = f"{float(v):.4f}".rstrip("0").rstrip(".")
        return "0" if s in ("-0", "") else s
    if isinstance(v, (np.integer,)):
        return str(int(v))
    return str(v)


def to_csv_text(df: pd.DataFrame) -> str:
    """Deterministic CSV text: fixed float formatting, ISO times with offset, true/false."""
    out = pd.DataFrame({c: [_cell(v) for v in df[c].astype(object)] for c in df.columns}, columns=list(df.columns))
    return out.to_csv(index=False, lineterminator="\n")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- steps


def state_and_changepoints(rec: reconstruct.Reconstruction, *, resolution_minutes: int = RESOLUTION_MINUTES,
                           n_boot: int = N_BOOT, seed: int = SEED, n_jobs: int = 1) -> dict[str, pd.DataFrame]:
    """Disruption state, change points, penalty sensitivity and sequence.

    Returns:
        ``{"disruption_state", "changepoints", "penalty_sensitivity", "sequence"}`` frames.
    """
    bins = changepoints.grid(resolution_minutes=resolution_minutes)
    eps = rec.episodes
    inputs, prob_by, ids_by = [], {}, {}
    for platform, g in eps.groupby("platform", sort=True):
        prob = changepoints.episode_probabilities(g, bins)
        prob_by[platform] = prob
        ids_by[platform] = reconstruct._join(g["claim_ids"])
        inputs.append((platform, prob, changepoints.day_matrix(g, bins), g["account_group"].to_numpy()))
    results = changepoints.analyse(inputs, resolution_minutes=resolution_minutes, n_boot=n_boot, seed=seed, n_jobs=n_jobs)
    return {
        "disruption_state": changepoints.state_table(results, bins, eps, prob_by),
        "changepoints": changepoints.changepoint_table(results, bins, rec.claimed, ids_by),
        "penalty_sensitivity": changepoints.sensitivity_table(results, bins, ids_by),
        "sequence": reconstruct.sequence(results, bins, eps),
    }


def anomaly_table(claims: pd.DataFrame) -> pd.DataFrame:
    """Anomaly flags of every dense count series in the claims (empty when there is none)."""
    frames = []
    for q, series in anomalies.dense_series(claims).items():
        width = int((series["end"].iloc[0] - series["start"].iloc[0]).total_seconds() // 60)
        full = pd.date_range(series["start"].min().normalize(), series["start"].max(), freq=f"{width}min", tz=TIMEZONE)
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
    """Move claim rows that cannot be processed (source id unknown) to ``rejected``."""
    known = set(evidence.sources["source_id"])
    rejected = []
    kept = {}
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


def build(evidence, *, n_boot: int = N_BOOT, seed: int = SEED, resolver=None, n_jobs: int = 1) -> tuple[dict, dict]:
    """All processed tables and the JSON documents of one incident (nothing written).

    Returns:
        ``(tables, documents)``: ``{file name: frame}`` and ``{file name: dict}``.
    """
    ev, rejected = split_rejected(evidence)
    rec = reconstruct.reconstruct(ev, resolver=resolver)
    cp = state_and_changepoints(rec, n_boot=n_boot, seed=seed, n_jobs=n_jobs)
    claims = rec.claims[reconstruct.CLAIM_COLUMNS]
    t = {
        "sources.csv": rec.sources,
        "claims_resolved.csv": claims,
        "unresolved.csv": rec.unresolved,
        "flags.csv": rec.flags,
        "accounts.csv": rec.accounts,
        "consensus.csv": rec.consensus,
        "conflicts.csv": rec.conflicts,
        "disruption_state.csv": cp["disruption_state"],
        "changepoints.csv": cp["changepoints"],
        "penalty_sensitivity.csv": cp["penalty_sensitivity"],
        "anomalies.csv": anomaly_table(rec.claims),
        "sequence.csv": cp["sequence"],
        "rejected.csv": rejected,
        "datawrapper_sequence.csv": exports.datawrapper_sequence(cp["sequence"]),
        "datawrapper_conflicts.csv": exports.datawrapper_conflicts(rec.conflicts),
    }
    title = f"Ablauf der Störungen – {getattr(evidence, 'incident', '')}"
    docs = {"timeline.json": exports.timelinejs(rec.consensus, rec.accounts, rec.conflicts, cp["sequence"], title=title)}
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
    "sources.csv": ["source_id"], "claims_resolved.csv": ["claim_id"], "unresolved.csv": ["claim_id"],
    "flags.csv": ["claim_id", "flag"], "accounts.csv": ["account_id"],
    "consensus.csv": ["platform", "event", "day", "quantity"], "conflicts.csv": ["conflict_id"],
    "disruption_state.csv": ["platform", "time"], "changepoints.csv": ["platform", "breakpoint"],
    "penalty_sensitivity.csv": ["platform", "penalty_factor"], "anomalies.csv": ["quantity", "start"],
    "sequence.csv": ["window_id"], "rejected.csv": ["claim_id"],
}


def write(tables: dict, docs: dict, paths: Paths, *, raw_rows: dict) -> dict:
    """Write all files into a temporary folder and swap it in atomically; return the manifest."""
    paths.processed.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{paths.incident}-", dir=paths.processed.parent))
    try:
        rows = {}
        for name, df in tables.items():
            if name in _SORT and len(df):
                df = df.sort_values(_SORT[name], kind="mergesort", ignore_index=True)
            (tmp / name).write_text(to_csv_text(df), encoding="utf-8")
            rows[name] = len(df)
        for name, doc in docs.items():
            if name.startswith("_"):
                continue
            (tmp / name).write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            rows[name] = len(doc.get("events", []))
        manifest = {
            "incident": paths.incident,
            "raw_rows": {k: int(v) for k, v in sorted(raw_rows.items())},
            "processed_rows": dict(sorted(rows.items())),
            "accounting": docs["_accounting"],
            "files": {p.name: _sha256(p) for p in sorted(tmp.iterdir())},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o755)
        old = None
        if paths.processed.exists():
            old = paths.processed.parent / f".{paths.incident}-old-{os.getpid()}"
            os.replace(paths.processed, old)
        os.replace(tmp, paths.processed)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return manifest
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def run(paths: Paths | None = None, *, n_boot: int = N_BOOT, n_jobs: int = 1) -> dict:
    """Load, reconstruct and write every processed table of an incident.

    Args:
        paths: The incident's paths (default :func:`incident.config.paths`).
        n_boot: Bootstrap resamples per platform.
        n_jobs: Worker processes for the bootstrap.

    Returns:
        The manifest (row counts raw → processed, accounting, sha256 per file).

    Raises:
        ValidationError: From the loader; nothing is written.
        ReconstructionError: When the tables cannot be reconstructed; nothing is written.
    """
    from incident.evidence.load import load_incident

    p = paths or make_paths()
    ev = load_incident(p)
    tables, docs = build(ev, n_boot=n_boot, n_jobs=n_jobs)
    return write(tables, docs, p, raw_rows=ev.raw_rows)


def main(argv: list[str] | None = None) -> int:
    """``python -m incident.process --incident ID``: write the processed tables; 0 on success."""
    ap = argparse.ArgumentParser(prog="python -m incident.process", description=main.__doc__)
    ap.add_argument("--incident", default=None, help="incident id (default: schulstart-2021)")
    ap.add_argument("--n-boot", type=int, default=N_BOOT, help="bootstrap resamples per platform")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for the bootstrap (results do not depend on it)")
    args = ap.parse_args(argv)
    p = make_paths(args.incident)
    try:
        manifest = run(p, n_boot=args.n_boot, n_jobs=args.jobs)
    except IncidentError as exc:
        print(exc, file=sys.stderr)
        return 1
    for name, n in manifest["processed_rows"].items():
        print(f"{name:28s} {n:6d}")
    print("accounting:", json.dumps(manifest["accounting"], sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
