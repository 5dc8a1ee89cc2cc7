"""Command line: ``python -m incident.timeexpr`` (one phrase, or JSON lines on stdin)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from incident.errors import TimeExpressionError
from incident.timeexpr.anchors import Anchors, anchors_from_descriptor
from incident.timeexpr.api import parse, parse_parts
from incident.timeexpr.reference import as_zone, parse_reference


def load_anchor_block(path: str | Path) -> dict:
    """The ``anchors`` block of an incident descriptor (YAML or JSON), or the file itself if it is the block."""
    import yaml

    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise TimeExpressionError(f"{path}: not YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise TimeExpressionError(f"{path}: not a mapping")
    return doc.get("anchors", doc)


def _jsonl(lines: Iterable[str], out: TextIO, block: dict | None = None, zone: str | None = None) -> int:
    """Answer JSON lines; a bad line gets an ``error`` object and the run goes on."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        text = None
        try:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"invalid JSON: {exc}") from None
            if not isinstance(obj, dict):
                raise TypeError("line is not a JSON object")
            if "reference" not in obj:
                raise ValueError("missing 'reference'")
            anchors = anchors_from_descriptor(block, obj.get("region")) if block else None
            if "text" in obj:
                text = obj["text"]
                span = parse(text, obj["reference"], anchors=anchors, zone=zone)
            elif "day_text" in obj or "time_text" in obj:
                text = f"{obj.get('day_text') or ''} | {obj.get('time_text') or ''}"
                span = parse_parts(
                    obj.get("day_text"), obj.get("time_text"), obj["reference"], anchors=anchors, zone=zone
                )
            else:
                raise ValueError("missing 'text' (or 'day_text'/'time_text')")
            rec = span.to_dict()
        except (ValueError, TypeError, TimeExpressionError) as exc:
            rec = {
                "line": n,
                "text": text if isinstance(text, str) else None,
                "start": None,
                "end": None,
                "kind": None,
                "error": str(exc),
            }
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line: one phrase (prints one JSON object) or ``--jsonl`` on stdin.

    Args:
        argv: Arguments without the program name; ``None`` reads :data:`sys.argv`.

    Returns:
        Exit status: 0 on success; argparse exits with 2 on bad arguments or reference.
    """
    ap = argparse.ArgumentParser(
        prog="python -m incident.timeexpr",
        description="German time phrase -> time interval (in --zone, default Europe/Berlin).",
    )
    ap.add_argument("text", nargs="?", help="the (time) phrase, e.g. 'gegen 14 Uhr'")
    ap.add_argument("--reference", help="publication time, ISO 8601 (2030-03-12T09:30:00+01:00, 2030-03-12, 2030-03)")
    ap.add_argument("--day", dest="day_text", help="day phrase to combine with TEXT (parse_parts)")
    ap.add_argument(
        "--jsonl",
        action="store_true",
        help='read JSON lines {"text"|"day_text","time_text", "reference"[, "region"]} on stdin, write one per line',
    )
    ap.add_argument(
        "--anchors",
        metavar="YAML",
        help="incident descriptor (or its 'anchors' block): calendar anchors, see docs/timeexpr.md",
    )
    ap.add_argument("--region", help="the source's region, to pick the anchors' days (with --anchors)")
    ap.add_argument("--zone", help="IANA zone the phrase is read in (the incident's timezone; default Europe/Berlin)")
    args = ap.parse_args(argv)
    if args.zone is not None:
        try:
            as_zone(args.zone)
        except TimeExpressionError as exc:
            ap.error(f"invalid --zone: {exc}")
    block = None
    if args.anchors is not None:
        try:
            block = load_anchor_block(args.anchors)
            anchors_from_descriptor(block, None)  # validate once
        except (OSError, TimeExpressionError) as exc:
            ap.error(f"invalid --anchors: {exc}")
    if args.jsonl:
        if args.text is not None or args.reference is not None:
            ap.error("--jsonl reads text and reference from stdin; give neither on the command line")
        return _jsonl(sys.stdin, sys.stdout, block, args.zone)
    if args.text is None and args.day_text is None:
        ap.error("give a phrase (or --jsonl)")
    if args.reference is None:
        ap.error("--reference is required")
    try:
        ref = parse_reference(args.reference, args.zone)
    except TimeExpressionError as exc:
        ap.error(f"invalid --reference: {exc}")
    anchors: Anchors | None = anchors_from_descriptor(block, args.region) if block else None
    if args.day_text is not None:
        span = parse_parts(args.day_text, args.text, ref, anchors=anchors)
    else:
        span = parse(args.text, ref, anchors=anchors)
    print(json.dumps(span.to_dict(), ensure_ascii=False))
    return 0
