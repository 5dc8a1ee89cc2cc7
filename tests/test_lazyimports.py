"""The IRI grammar is imported only when an IRI is checked, and then answers as without the stand-in."""

from __future__ import annotations

import json
import subprocess
import sys

IRIS = ["https://example.org/ä", "http://ex ample", "/a/b?c#d", "mailto:x@y.de", "ht tp://", "urn:isbn:1", ""]

CHECK = """
import json, sys
{setup}
import jsonschema, altair, nbformat  # what a report imports
loaded = "rfc3987_syntax.syntax_helpers" in sys.modules
fc = jsonschema.FormatChecker()
answers = [[fc.conforms(v, "iri"), fc.conforms(v, "iri-reference")] for v in {iris!r}]
print(json.dumps({{"loaded_before": loaded, "answers": answers,
                   "loaded_after": "rfc3987_syntax.syntax_helpers" in sys.modules}}))
"""


def _run(setup: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHECK.format(setup=setup, iris=IRIS)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_the_grammar_waits_for_the_first_iri_check_and_answers_as_the_real_module():
    deferred = _run("import incident")
    plain = _run("")
    assert plain["loaded_before"] is True, "without the stand-in jsonschema imports the grammar at once"
    assert deferred["loaded_before"] is False
    assert deferred["loaded_after"] is True
    assert deferred["answers"] == plain["answers"]
    assert [a[0] for a in plain["answers"]] == [True, False, False, True, False, True, False]


def test_the_stand_in_is_not_put_in_after_jsonschema():
    out = _run("import jsonschema\nfrom incident.lazyimports import defer_iri_grammar\nassert not defer_iri_grammar()")
    assert out["loaded_before"] is True
