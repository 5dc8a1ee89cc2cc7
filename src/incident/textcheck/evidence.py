"""The processed evidence a draft is checked against, read once per incident.

From ``data/processed/<incident>/`` (:func:`incident.processed.read`): the Ablauf
(``sequence``: bounds of onset and recovery per platform, day and episode), the claims behind
each bound (``constraints``), every claim with its resolved time (``claims_resolved``: timeline
events, figures with their verbatim text, statements with speaker and quote), the figures per
quantity with their status (``figures``).

Columns the raw tables may gain are used when present and ignored when absent:

* ``scope`` and ``modality``: only events and statements of scope ``platform`` (or empty) that are
  asserted or reported (or empty) support or contradict a sentence; plans, hypotheses and context do
  not. A figure counts whatever its scope: its quantity says what it counts (a city's sirens, a plan);
* ``speaker_name``, ``speaker_org``, ``speaker_role``, ``speaker_de``: searched with ``speaker``;
* ``qualifier`` of a figure (else read from ``value_text``), ``window_text``; a figure whose value
  is empty because its text states a range ("20 bis 30 Minuten") counts as that range;
* a statements ``stance`` in the vocabulary ``stable``, ``none_known``, ``admits_problem``,
  ``apology``, ``fixed``, ``measure``, ``problems``; otherwise the stance is read from the
  German quote (or ``was``) with the text check's own lexicon, and only then from the coarse
  ``working``/``disrupted`` code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from incident import processed
from incident.errors import TextCheckError
from incident.textcheck.amounts import qualifier
from incident.textcheck.attribution import stance as read_stance
from incident.textcheck.mentions import platforms_of

#: Tables the check needs; ``constraints`` and ``figures`` are used when present.
NEEDED = ("sequence", "claims_resolved")
_CONSTRAINT_COLUMNS = [
    "episode_id",
    "claim_id",
    "onset_lo",
    "onset_hi",
    "recovery_lo",
    "recovery_hi",
    "in_consistent_set",
]
#: Statement stances of the fine vocabulary (used as they are).
FINE_STANCES = frozenset({"stable", "none_known", "admits_problem", "apology", "fixed", "measure", "problems"})
#: Coarse stance codes → the fine vocabulary.
COARSE_STANCES = {"working": "stable", "disrupted": "problems"}
#: Scopes and modalities that may support or contradict a sentence (empty = not recorded).
USABLE_SCOPES = frozenset({"", "platform"})
USABLE_MODALITIES = frozenset({"", "asserted", "reported"})
#: Speaker columns searched for a speaker key, when present.
SPEAKER_COLUMNS = ("speaker", "speaker_name", "speaker_org", "speaker_role", "speaker_de", "organisation", "role")


@dataclass
class Evidence:
    """The processed tables of one incident, prepared for the comparison."""

    sequence: pd.DataFrame
    constraints: pd.DataFrame
    timeline: pd.DataFrame
    counts: pd.DataFrame
    statements: pd.DataFrame
    figures: pd.DataFrame
    claims: pd.DataFrame


def _usable(df: pd.DataFrame) -> pd.DataFrame:
    keep = pd.Series(True, index=df.index)
    if "scope" in df.columns:
        keep &= df["scope"].fillna("").str.strip().str.lower().isin(USABLE_SCOPES)
    if "modality" in df.columns:
        keep &= df["modality"].fillna("").str.strip().str.lower().isin(USABLE_MODALITIES)
    return df[keep]


def statement_stance(row: pd.Series) -> str | None:
    """A statement's stance in the fine vocabulary (see the module doc), or None."""
    given = str(row.get("stance", "") or "")
    if given in FINE_STANCES:
        return given
    for col in ("quote", "was"):
        text = str(row.get(col, "") or "")
        if text:
            found, _ = read_stance(text)
            if found:
                return found
    return COARSE_STANCES.get(given)


def _speaker_text(row: pd.Series) -> str:
    return " | ".join(str(row.get(c, "") or "") for c in SPEAKER_COLUMNS if row.get(c, "")).lower()


def from_tables(tables: dict[str, pd.DataFrame]) -> Evidence:
    """Prepare typed processed tables (as :func:`incident.processed.read` returns them).

    Raises:
        TextCheckError: A needed table is missing.
    """
    missing = [t for t in NEEDED if t not in tables]
    if missing:
        raise TextCheckError(
            "Die aufbereiteten Tabellen fehlen ("
            + ", ".join(f"{t}.csv" for t in missing)
            + "); bitte zuerst `make report` für den Vorfall ausführen."
        )
    everything = tables["claims_resolved"].copy()
    everything["platforms"] = everything["platform"].map(platforms_of)
    # a figure's quantity says what it counts (Hamburg's sirens, the sirens Saxony planned): its scope
    # and modality are part of that meaning, so every figure counts; events and statements must be
    # platform-wide and asserted or reported
    claims = pd.concat(
        [_usable(everything[everything["table"] != "counts"]), everything[everything["table"] == "counts"]]
    )
    timeline = claims[claims["table"] == "timeline"].copy()
    counts = claims[claims["table"] == "counts"].copy()
    ranges = counts["value_text"].fillna("").map(_range_of_text)
    counts["lo"] = [v if pd.notna(v) else r[0] for v, r in zip(counts["value"], ranges, strict=True)]
    counts["hi"] = [v if pd.notna(v) else r[1] for v, r in zip(counts["value"], ranges, strict=True)]
    counts["value"] = (counts["lo"] + counts["hi"]) / 2
    counts = counts[counts["value"].notna()].copy()
    if "qualifier" in counts.columns:
        counts["qual"] = counts["qualifier"].fillna("").map(_qualifier_code)
    else:
        counts["qual"] = None
    from_text = counts["value_text"].fillna("").map(_qualifier_of_text)
    counts["qual"] = counts["qual"].where(counts["qual"].notna(), from_text)
    statements = claims[claims["table"] == "statements"].copy()
    statements["fine_stance"] = [statement_stance(r) for _, r in statements.iterrows()]
    statements["speaker_text"] = [_speaker_text(r) for _, r in statements.iterrows()]
    sequence = tables["sequence"].copy()
    sequence["platforms"] = sequence["platform"].map(platforms_of)
    return Evidence(
        sequence=sequence,
        constraints=tables.get("constraints", pd.DataFrame(columns=_CONSTRAINT_COLUMNS)),
        timeline=timeline,
        counts=counts,
        statements=statements,
        figures=tables.get("figures", pd.DataFrame(columns=["quantity", "status"])),
        claims=claims.set_index("claim_id", drop=False),
    )


def _qualifier_code(value: str) -> str | None:
    value = value.strip().lower()
    if value in ("approx", "about", "rund", "etwa"):
        return "approx"
    if value in ("more", "more_than", "over", "at_least", "min", "mindestens"):
        return "more"
    if value in ("less", "less_than", "under", "up_to", "at_most", "max", "bis_zu"):
        return "less"
    return None


def _range_of_text(text: str) -> tuple[float, float]:
    """``(low, high)`` of a figure text that states a range ("20 bis 30 Minuten"), else NaNs."""
    from incident.evidence.figures import figures

    found = [f.value for f in figures(text) if not f.fraction]
    return (min(found), max(found)) if len(found) == 2 else (float("nan"), float("nan"))


def _qualifier_of_text(text: str) -> str | None:
    from incident.evidence.figures import figures

    found = figures(text)
    return qualifier(text[: found[0].start]) if found else None


def load(folder: Path, *, tz: str) -> Evidence:
    """Read and prepare ``data/processed/<incident>/``.

    Raises:
        TextCheckError: The folder or a needed table is missing.
    """
    if not Path(folder).is_dir():
        raise TextCheckError(f"Keine aufbereiteten Daten in {folder}; bitte zuerst `make report` ausführen.")
    return from_tables(processed.read(folder, tz=tz))
