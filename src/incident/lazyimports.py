"""Imports deferred until used: start-up time a report pays in every process and kernel.

jsonschema (imported by Altair and nbformat) imports ``rfc3987_syntax`` when it is installed
(JupyterLab's ``jupyter-events`` asks for it), and that module builds an Earley parser of the
IRI grammar when it is imported: about 1.8 s in each process and each kernel of a report, for
a format check ("iri", "iri-reference") that none of them makes. :func:`defer_iri_grammar`
puts a stand-in in its place that imports the real module on first use, so a check that is
made still gets the real answer (tests/test_lazyimports.py compares both).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

IRI_MODULE = "rfc3987_syntax"


def defer_iri_grammar() -> bool:
    """Put the lazy stand-in for :data:`IRI_MODULE` in ``sys.modules``; ``True`` when it did.

    Nothing happens when the module is absent, imported already, or jsonschema is imported
    already (it has bound the real function, or none).
    """
    if IRI_MODULE in sys.modules or "jsonschema" in sys.modules:
        return False
    try:
        spec = importlib.util.find_spec(IRI_MODULE)
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    stand_in = types.ModuleType(IRI_MODULE, "Stand-in: the real module is imported on first use.")
    stand_in.__spec__ = spec
    stand_in.__path__ = list(spec.submodule_search_locations or [])  # its submodules import as usual

    def real() -> types.ModuleType:
        if sys.modules.get(IRI_MODULE) is stand_in:
            del sys.modules[IRI_MODULE]
        return importlib.import_module(IRI_MODULE)

    def is_valid_syntax(term: str, value: str) -> bool:
        return real().is_valid_syntax(term, value)

    def __getattr__(name: str):  # noqa: N807 - a module's own attribute hook (PEP 562)
        return getattr(real(), name)

    stand_in.is_valid_syntax = is_valid_syntax
    stand_in.__getattr__ = __getattr__
    sys.modules[IRI_MODULE] = stand_in
    return True
