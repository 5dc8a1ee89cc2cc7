"""One command line for every step: ``python -m incident <command> [--incident ID]``.

Commands: ``validate`` (raw tables and descriptor, every problem listed), ``process`` (raw →
processed), ``notebook`` (run one notebook with other parameters, into scratch), ``notebooks`` (the report's run), ``site`` (assemble the site),
``build`` (what ``make report`` runs: the due steps of processing, notebooks and site in one process),
``repro`` (two clean builds compared), ``timeexpr`` (parse German time phrases),
``incidents`` (list the incidents), ``check-text`` (a German draft checked sentence by
sentence against the evidence; exit 0, 1 when a sentence is contradicted or more precise than
the sources, 2 for unusable input). Errors the package raises on purpose
(:class:`~incident.errors.IncidentError`) are printed as one readable message and exit 1;
nothing prints a traceback for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from incident import atomic, config
from incident.errors import IncidentError

#: Longest error message printed (the full list stays in the exception).
MAX_MESSAGE = 20_000


def _say_cleaned(paths: config.Paths) -> None:
    """Remove this incident's leftovers of interrupted runs (never another incident's) and say so."""
    for root in (paths.build, paths.processed):
        for leftover in atomic.clean_partials(root, siblings_of=paths.incident):
            print(f"  cleaned  {leftover} (left over by an interrupted run)", file=sys.stderr)


def _validate(args, paths: config.Paths) -> int:
    from incident.evidence.descriptor import load_descriptor
    from incident.evidence.load import load_incident
    from incident.reconstruct.preview import report

    incident = load_descriptor(paths)
    ev = load_incident(paths, incident=incident)
    print(f"{paths.incident}: valid ({', '.join(f'{t} {n}' for t, n in ev.raw_rows.items())})")
    # what the Ablauf will miss or only place at day level: seen before a build, not in unresolved.csv after it
    for line in report(ev, incident=incident):
        print(line)
    return 0


def _process(args, paths: config.Paths) -> int:
    from incident import process

    _say_cleaned(paths)
    manifest = process.run(paths)
    for name, n in manifest["processed_rows"].items():
        print(f"  {name:28s} {n:6d}")
    print("  accounting:", json.dumps(manifest["accounting"], sort_keys=True))
    return 0


def _parameters(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or name not in ("platforms", "days"):
            from incident.errors import ParameterError

            raise ParameterError(f"parameter {name!r}: expected platforms=… or days=… (a JSON list or comma-separated)")
        if value.strip():
            out[name] = value
    return out


def _notebook(args, paths: config.Paths) -> int:
    from incident import run_notebook

    name = Path(args.notebook).stem
    print(f"  running  {name} …", flush=True)
    t0 = time.perf_counter()
    # an editor's run: into scratch (the path is printed), never into what `make report` publishes
    out = run_notebook.run(args.notebook, paths, parameters=_parameters(args.param), say=lambda s: print(s, flush=True))
    print(f"  done     {name} in {time.perf_counter() - t0:.1f} s: {out}", flush=True)
    return 0


def _notebooks(args, paths: config.Paths) -> int:
    from incident import run_notebook

    todo = [Path(n) for n in args.notebooks] if args.all else run_notebook.out_of_date(args.notebooks, paths)
    done = run_notebook.run_many(todo, paths, parameters=_parameters(args.param), say=lambda s: print(s, flush=True))
    with open(paths.build / ".ran", "a", encoding="utf-8") as fh:  # counted by `make report`'s summary line
        fh.writelines(p.stem + "\n" for p in done)
    return 0


def _build(args, paths: config.Paths) -> int:
    """A report's steps in one process: processing, notebooks, site (make says which are due).

    The kernel for the notebooks starts first and imports the notebooks' modules while this
    process processes the raw tables; the site is then built here, where pandas, Altair and the
    processed tables' readers are imported already. Each step writes as its own command does
    (atomically); a failing step stops the run and leaves the site as it was.
    """
    from incident import retitle, run_notebook

    todo = [Path(n) for n in args.notebooks]
    for nb in map(Path, args.retitle):
        outcome = retitle.apply(nb, paths)
        if outcome.done:
            print(
                f"  retitled {nb.stem} ({', '.join(outcome.retitled) or 'no headline changed'}; not re-run)", flush=True
            )
        else:
            print(f"  re-run   {nb.stem}: {outcome.reason}", flush=True)
            todo.append(nb)
    todo = sorted(set(todo), key=lambda p: p.name)  # in the notebooks' order, as make queues them
    params = _parameters(args.param)
    kernel = None
    if todo:
        run_notebook.explicit(paths, params)  # a bad parameter is named before anything runs
        kernel = run_notebook.Kernel(paths, warm_up=run_notebook.WARM_UP).start()
        # imported while the kernel boots: the site needs nbconvert last (for its desk pages)
        from nbconvert import HTMLExporter  # noqa: F401
    from incident.publish import site  # noqa: F401

    try:
        if args.process:
            _process(args, paths)
        if todo:
            say = lambda s: print(s, flush=True)  # noqa: E731
            done = run_notebook.run_many(todo, paths, parameters=params, say=say, kernel=kernel)
            kernel.close()  # before the site: its memory back to the machine
            with open(paths.build / ".ran", "a", encoding="utf-8") as fh:  # counted by `make report`'s summary
                fh.writelines(p.stem + "\n" for p in done)
    finally:
        if kernel is not None:
            kernel.close()
    return _site(args, paths)


def _site(args, paths: config.Paths) -> int:
    from incident.publish import site

    _say_cleaned(paths)
    out = site.build_site(paths, require_facts=not args.allow_missing_facts)
    print(out / "index.html")
    return 0


def _repro(args, paths: config.Paths) -> int:
    from incident import repro

    a, b = repro.compare_builds(paths.incident)
    differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    if differ:
        print(f"repro: {len(differ)} of {len(a)} site files differ between two clean builds:", file=sys.stderr)
        for k in differ:
            print(f"  {k}", file=sys.stderr)
        return 1
    print(f"repro: {len(a)} site files byte-identical across two clean builds")
    return 0


def _check_text(args, paths: config.Paths) -> int:
    from incident.textcheck import check_file, exit_status, to_json, to_text

    try:
        results = check_file(Path(args.file), paths)
    except IncidentError as exc:  # unusable input: exit 2, not 1 (1 means a contradicted sentence)
        print(f"check-text: {exc}", file=sys.stderr)
        return 2
    print(to_json(results) if args.format == "json" else to_text(results))
    return exit_status(results)


def _incidents(args, paths) -> int:
    for name in config.incidents():
        print(name)
    for name, why in config.skipped_folders():
        print(f"  skipped  {name!r}: {why}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (one sub-command per step)."""
    ap = argparse.ArgumentParser(prog="python -m incident", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)

    def command(name: str, func, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--incident", default=None, help="incident id (default: $INCIDENT or the only one)")
        p.set_defaults(func=func)
        return p

    command("validate", _validate, "validate the raw tables and the descriptor; list every problem")
    command("process", _process, "write data/processed/<incident>/ from data/raw/<incident>/")
    nb = command(
        "notebook", _notebook, "run one notebook with other parameters into build/INCIDENT/scratch/ (never published)"
    )
    nb.add_argument("notebook")
    many = command("notebooks", _notebooks, "run the out-of-date notebooks of a report in one kernel")
    many.add_argument("notebooks", nargs="+")
    many.add_argument("--all", action="store_true", help="run every notebook given, not only the out-of-date ones")
    for p in (nb, many):
        p.add_argument(
            "--param",
            action="append",
            metavar="NAME=VALUE",
            help="notebook parameter: platforms=… or days=… (JSON list or comma-separated)",
        )
    st = command("site", _site, "assemble build/<incident>/site/")
    bd = command("build", _build, "a report's due steps in one process: [--process] [notebooks…], then the site")
    bd.add_argument("--process", action="store_true", help="process the raw tables first")
    bd.add_argument(
        "--retitle",
        action="append",
        default=[],
        metavar="NOTEBOOK",
        help="a notebook whose only changed input is a chart headline: written into its executed copy "
        "without a run when that is safe (incident.retitle), else run",
    )
    bd.add_argument("notebooks", nargs="*", help="notebooks to run (in one kernel) before the site")
    bd.add_argument("--param", action="append", metavar="NAME=VALUE", help="notebook parameter (as for notebooks)")
    for p in (st, bd):
        p.add_argument("--allow-missing-facts", action="store_true", help="build without a fact box table")
    command("repro", _repro, "build the site twice from clean and compare checksums")
    command("incidents", _incidents, "list the incidents under data/raw/")
    ct = command(
        "check-text",
        _check_text,
        "check every sentence of a German draft against the processed evidence "
        "(exit 1: a sentence is contradicted or more precise than the sources; 2: unusable input)",
    )
    ct.add_argument("--format", choices=("text", "json"), default="text", help="readable report or a JSON list")
    ct.add_argument("file", help="the draft (Markdown or plain text, UTF-8)")
    sub.add_parser(
        "timeexpr", help="parse German time phrases (see python -m incident.timeexpr --help)", add_help=False
    )
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run a command; 0 on success, 1 with a readable message on a named error."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "timeexpr":
        from incident.timeexpr import main as timeexpr_main

        return timeexpr_main(argv[1:])
    args = parser().parse_args(argv)
    from incident.memory import return_freed_memory

    return_freed_memory()
    try:
        paths = config.paths(args.incident) if args.command != "incidents" else None
        return args.func(args, paths)
    except IncidentError as exc:
        text = str(exc)
        if len(text) > MAX_MESSAGE:
            text = text[:MAX_MESSAGE] + f"\n… ({len(text) - MAX_MESSAGE} more characters)"
        print(f"{args.command}: {text}", file=sys.stderr)
        return 1
