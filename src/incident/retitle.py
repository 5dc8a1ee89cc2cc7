"""A changed chart headline, applied without re-running the notebook that drew the chart.

A chart's headline is metadata: the chart functions put it into the spec's ``usermeta`` and
nowhere else (the drawn SVG does not show it; the pages do), and the notebook's output shows it
in its plain-text form (``<Grafik: …>``). Re-running the notebook for a new headline costs a
kernel, its imports and the notebook's work (about 5 s); writing the headline into the
executed notebook's chart outputs and the exhibit's ``.vl.json`` gives the same files in a
fraction of a second.

A report run records in each executed notebook the chart-only descriptor parts it read
(:func:`record`, from :func:`incident.fingerprint.notebook_part`). ``make report`` hands a
notebook to :func:`apply` instead of re-running it when the only input that changed is that
notebook's descriptor hash (``build/<incident>/.descriptor/nb-<notebook>``). :func:`apply`
patches only when it can show that the result is what a run would give, and otherwise says
why the notebook must run:

* the recorded parts differ from the current ones in nothing but exhibit headlines;
* each changed exhibit's saved spec carries the recorded headline (so the notebook took it
  from the descriptor, not a default of a run with other parameters), and its chart outputs
  in the executed notebook are that spec;
* after the patch, the old headline appears nowhere in the notebook's outputs or in any file
  of the exhibits folder (in any spelling: plain, JSON-escaped, HTML-escaped), so no other
  output used it.

tests/test_rerender.py checks that the site after this fast path is byte for byte the site of
a clean build.
"""

from __future__ import annotations

import copy
import html
import json
from dataclasses import dataclass
from pathlib import Path

from incident import atomic, fingerprint
from incident.config import Paths

#: Where a report run records the chart-only descriptor parts a notebook read.
META_KEY = "incident"
RECORD_KEY = "chart_inputs"


def chart_inputs(paths: Paths, notebook: Path) -> dict | None:
    """The chart-only descriptor parts ``notebook`` reads now (``None``: the descriptor is unreadable)."""
    doc = fingerprint.read(paths.raw / "incident.yaml")
    return None if doc is None else fingerprint.notebook_part(doc, Path(notebook))


def record(nb, inputs: dict | None) -> None:
    """Note in an executed notebook's metadata the chart-only parts its run read."""
    if inputs is None:
        nb.metadata.pop(META_KEY, None)
        return
    nb.metadata.setdefault(META_KEY, {})[RECORD_KEY] = json.loads(json.dumps(inputs, default=str))


def _headlines(part: dict) -> tuple[dict, dict[str, object]]:
    """The part without exhibit headlines, and the headlines by exhibit."""
    rest = copy.deepcopy(part)
    block = rest.get("exhibits")
    heads: dict[str, object] = {}
    if isinstance(block, dict):
        for name, entry in block.items():
            if isinstance(entry, dict):
                heads[str(name)] = entry.pop("headline", None)
    return rest, heads


def changed_headlines(recorded: dict, current: dict) -> dict[str, tuple[str, str]] | None:
    """``{exhibit: (old, new)}`` when the two differ in exhibit headlines only, else ``None``."""
    old_rest, old_heads = _headlines(recorded)
    new_rest, new_heads = _headlines(current)
    if json.dumps(old_rest, sort_keys=True) != json.dumps(new_rest, sort_keys=True):
        return None
    out = {}
    for name in sorted(set(old_heads) | set(new_heads)):
        old, new = old_heads.get(name), new_heads.get(name)
        if old == new:
            continue
        if not (isinstance(old, str) and old and isinstance(new, str) and new):
            return None  # a headline added or removed: the notebook's default comes in or goes
        out[name] = (old, new)
    return out


def _spellings(text: str) -> list[str]:
    """A text as it may be written in a file: plain, JSON-escaped (both ways), HTML-escaped."""
    return [
        text,
        json.dumps(text, ensure_ascii=False)[1:-1],
        json.dumps(text)[1:-1],
        html.escape(text),
        html.escape(text, quote=False),
    ]


def _still_there(old: str, new: str, text: str) -> bool:
    """Whether ``text`` holds ``old`` in any spelling outside the places that now hold ``new``."""
    for spelled_old, spelled_new in zip(_spellings(old), _spellings(new), strict=True):
        rest = text.replace(spelled_new, "\0") if spelled_old in spelled_new else text
        if spelled_old in rest:
            return True
    return False


@dataclass(frozen=True)
class Outcome:
    """What :func:`apply` did: the exhibits it retitled, or why the notebook must run."""

    retitled: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def done(self) -> bool:
        return self.reason is None


def apply(notebook: Path, paths: Paths) -> Outcome:
    """Write the descriptor's new headlines into ``notebook``'s executed copy and its exhibits.

    Returns:
        :class:`Outcome`: ``done`` with the retitled exhibits, or the reason the notebook must
        be run instead (nothing was written then).
    """
    import nbformat

    from incident.publish.charts.exhibit import chart_key, chart_outputs, spec_json
    from incident.publish.charts.house import plain_text

    executed = paths.executed / Path(notebook).name
    try:
        nb = nbformat.read(executed, as_version=4)
    except (OSError, ValueError) as exc:
        return Outcome(reason=f"no readable executed copy ({exc.__class__.__name__})")
    recorded = nb.metadata.get(META_KEY, {}).get(RECORD_KEY)
    current = chart_inputs(paths, Path(notebook))
    if not isinstance(recorded, dict) or current is None:
        return Outcome(reason="its run recorded no chart inputs")
    changes = changed_headlines(recorded, current)
    if changes is None:
        return Outcome(reason="more than a headline changed")

    specs: dict[str, dict] = {}
    for name, (old, _new) in changes.items():
        try:
            spec = json.loads((paths.exhibits / f"{name}.vl.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Outcome(reason=f"exhibit {name} is not saved")
        meta = spec.get("usermeta")
        if not isinstance(meta, dict) or meta.get("headline") != old or meta.get("exhibit") != name:
            return Outcome(reason=f"exhibit {name} does not carry the descriptor's headline")
        specs[name] = spec

    by_key = {chart_key(spec): name for name, spec in specs.items()}
    for data, mime, shown in list(chart_outputs(nb)):
        name = by_key.get(chart_key(shown))
        if name is None:
            continue
        shown = json.loads(json.dumps(shown))
        shown["usermeta"]["headline"] = changes[name][1]
        data[mime] = shown
        if "text/plain" in data:
            data["text/plain"] = plain_text(shown)
    for name, spec in specs.items():
        spec["usermeta"]["headline"] = changes[name][1]

    # no other output or exhibit file may have used an old headline
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    written = {f"{name}.vl.json": spec_json(spec) for name, spec in specs.items()}
    others = []
    for path in sorted(paths.exhibits.iterdir()) if paths.exhibits.is_dir() else []:
        if path.is_file() and not path.name.startswith("."):
            try:
                others.append(written.get(path.name) or path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                return Outcome(reason=f"exhibit file {path.name} cannot be read")
    for name, (old, new) in changes.items():
        if any(_still_there(old, new, text) for text in (outputs, *others)):
            return Outcome(reason=f"the old headline of {name} is used elsewhere")

    for name, text in written.items():
        atomic.write_text(paths.exhibits / name, text)
    record(nb, current)
    # last: a crash before leaves the old record, so the next report runs the notebook
    text = nbformat.writes(nb)
    atomic.write_text(executed, text if text.endswith("\n") else text + "\n")  # as nbformat.write does
    return Outcome(retitled=tuple(sorted(changes)))
