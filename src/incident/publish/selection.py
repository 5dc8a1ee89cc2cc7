"""What a run with other parameters shows: every section of the page cut to the same selection.

A report run with the descriptor's defaults publishes the whole evidence (the page leads with the
article's platforms). A run given ``PLATFORMS``/``DAYS`` shows a selection: its charts were drawn
for it by the notebooks, and :func:`restrict` cuts the processed tables the page's text, fact box,
figures, conflicts, statements, sources and downloads are written from, so no section covers more
than the charts do. The page says which selection it shows (:func:`describe`).

The rule for one row (:func:`keeps_row`, the plain reference the table filters are tested against):

* **platform** — kept when one of its platform ids (``a; b``) is selected, or when all of them are
  context ids (a claim about no platform, e.g. the number of pupils) or it names none;
* **day** — kept when its local day is selected, or when it has no day (an undated figure is not
  about an unselected day).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import nbformat
import pandas as pd

from incident import german
from incident.evidence.descriptor import Incident
from incident.ids import split_ids


@dataclass(frozen=True)
class Selection:
    """The platforms and days a run shows.

    Attributes:
        platforms: Platform ids, in the order given.
        days: Local days.
        whole: Whether this is the publication's default (the descriptor's article platforms and
            every day of the window): then nothing is cut.
    """

    platforms: tuple[str, ...]
    days: tuple[date, ...]
    whole: bool


def default(incident: Incident) -> Selection:
    """The publication's own selection: nothing is cut."""
    return Selection(platforms=tuple(incident.article_platforms), days=tuple(incident.days), whole=True)


def make(incident: Incident, *, platforms: Iterable[str], days: Iterable[date | str]) -> Selection:
    """A checked selection; ``whole`` when it equals the descriptor's defaults."""
    chosen = tuple(platforms)
    picked = tuple(d if isinstance(d, date) else date.fromisoformat(str(d)) for d in days)
    whole = set(chosen) == set(incident.article_platforms) and set(picked) == set(incident.days)
    return Selection(platforms=chosen, days=picked, whole=whole)


def from_notebooks(notebooks: Iterable[Path], incident: Incident) -> Selection:
    """The selection the executed notebooks ran with (papermill records their parameters).

    A notebook that takes no ``platforms`` or ``days`` says nothing about it; the first one that
    does decides. Notebooks without recorded parameters (none ran) give the default.
    """
    platforms = days = None
    for path in notebooks:
        params = nbformat.read(path, as_version=4).metadata.get("papermill", {}).get("parameters", {}) or {}
        if platforms is None and params.get("platforms") is not None:
            platforms = params["platforms"]
        if days is None and params.get("days") is not None:
            days = params["days"]
    if platforms is None and days is None:
        return default(incident)
    return make(
        incident,
        platforms=platforms if platforms is not None else incident.article_platforms,
        days=days if days is not None else incident.days,
    )


def describe(selection: Selection, incident: Incident) -> str:
    """German sentence naming the selection (empty for the whole publication)."""
    if selection.whole:
        return ""
    names = german.join([incident.platform_name(p) for p in selection.platforms])
    if set(selection.days) == set(incident.days):
        when = "alle Tage des Zeitraums"
    else:
        when = german.join([german.day_long(d) for d in sorted(selection.days)])
    return (
        f"Diese Seite zeigt eine Auswahl: {names}; {when}. Text, Faktenbox, Zahlen, Widersprüche, "
        "Aussagen, Quellen und Downloads beschränken sich darauf."
    )


# --------------------------------------------------------------------------- the rule


def keeps_row(*, platform: str, day: date | None, selection: Selection, context_ids: frozenset[str] | set[str]) -> bool:
    """The plain rule for one row (see the module docstring)."""
    ids = split_ids(platform)
    if ids and not any(p in selection.platforms for p in ids) and not all(p in context_ids for p in ids):
        return False
    return day is None or day in selection.days


def _local_day(value, tz: str) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, pd.Timestamp):
        return value
    t = pd.Timestamp(value)
    if pd.isna(t):
        return None
    if t.tzinfo is None:  # an ISO day (a day as ISO text) or a naive local time
        return t.date()
    return t.tz_convert(tz).date()


#: The column that dates a row, per processed table (first present, non-empty one wins).
DAY_COLUMNS: dict[str, tuple[str, ...]] = {
    "sequence": ("day",),
    "accounts": ("day", "start"),
    "conflicts": ("day",),
    "constraints": ("day",),
    "claims_resolved": ("start", "refers_to_day"),
    "flags": ("start",),
    "anomalies": ("start",),
}


def _row_day(row: Mapping, columns: tuple[str, ...], tz: str) -> date | None:
    for col in columns:
        if col in row:
            d = _local_day(row[col], tz)
            if d is not None:
                return d
    return None


def _keep_mask(frame: pd.DataFrame, name: str, selection: Selection, incident: Incident) -> pd.Series:
    columns = DAY_COLUMNS.get(name, ())
    has_platform = "platform" in frame.columns
    keep = []
    for row in frame.to_dict("records"):
        platform = str(row["platform"]) if has_platform and not pd.isna(row["platform"]) else ""
        keep.append(
            keeps_row(
                platform=platform,
                day=_row_day(row, columns, incident.timezone),
                selection=selection,
                context_ids=incident.context_ids,
            )
        )
    return pd.Series(keep, index=frame.index, dtype=bool)


def restrict(tables: dict[str, pd.DataFrame], selection: Selection, incident: Incident) -> dict[str, pd.DataFrame]:
    """The processed tables cut to ``selection`` (the same tables when it is the whole publication).

    Tables with a platform or day column keep the rows :func:`keeps_row` keeps; ``sources`` keeps
    the sources with a kept claim; tables tied to claims (``copies``, ``rejected``) keep rows whose
    claims are kept.
    """
    if selection.whole:
        return tables
    out: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        if "platform" in frame.columns or name in DAY_COLUMNS:
            out[name] = frame[_keep_mask(frame, name, selection, incident)].reset_index(drop=True)
        else:
            out[name] = frame
    claims = out.get("claims_resolved")
    if claims is not None:
        kept_claims = set(claims["claim_id"])
        if "sources" in out:
            kept_sources = set(claims["source_id"])
            out["sources"] = out["sources"][out["sources"]["source_id"].isin(kept_sources)].reset_index(drop=True)
        for name in ("copies", "rejected"):
            frame = out.get(name)
            if frame is not None and "claim_ids" in frame.columns:
                mask = frame["claim_ids"].map(lambda ids: any(i in kept_claims for i in split_ids(ids)))
                out[name] = frame[mask.astype(bool)].reset_index(drop=True)
    return out


# --------------------------------------------------------------------------- downloads


def _names(selection: Selection, incident: Incident) -> set[str]:
    return {incident.platform_name(p) for p in selection.platforms}


def restrict_download(name: str, text: str, *, selection: Selection, incident: Incident, kept: Mapping) -> str:
    """A processed file's text cut to ``selection`` (unchanged for the whole publication).

    Args:
        name: File name in the processed folder (``sequence.csv``, ``timeline.json`` …).
        text: Its text.
        selection: The run's selection.
        incident: The descriptor (platform names, zone).
        kept: The restricted tables (:func:`restrict`) by name, to cut the tables tied to claims.
    """
    if selection.whole:
        return text
    stem, suffix = Path(name).stem, Path(name).suffix
    if suffix == ".csv":
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        if stem in kept and len(kept[stem]) < len(frame) and _id_column(frame) is not None:
            col = _id_column(frame)
            frame = frame[frame[col].isin(set(kept[stem][col].astype(str)))]
        elif stem.startswith("datawrapper_") and {"Plattform", "Tag"} <= set(frame.columns):
            # Datawrapper files name platforms and days in German words; they are cut by those
            names = _names(selection, incident)
            days = {german.day_short(d) for d in selection.days} | {d.isoformat() for d in selection.days}
            frame = frame[frame["Plattform"].isin(names) & frame["Tag"].isin(days)]
        elif "platform" in frame.columns or stem in DAY_COLUMNS:
            frame = frame[_keep_mask(frame, stem, selection, incident).to_numpy()]
        return frame.to_csv(index=False, lineterminator="\n")
    if stem == "timeline":
        doc = json.loads(text)
        names, days = _names(selection, incident), set(selection.days)
        doc["events"] = [
            e
            for e in doc.get("events", [])
            if e.get("group") in names
            and date(int(e["start_date"]["year"]), int(e["start_date"]["month"]), int(e["start_date"]["day"])) in days
        ]
        return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return text


def _id_column(frame: pd.DataFrame) -> str | None:
    for col in ("episode_id", "conflict_id", "claim_id", "account_id", "source_id"):
        if col in frame.columns:
            return col
    return None
