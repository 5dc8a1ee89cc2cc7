"""Any incident, not just this one: the facts live in the incident's folder, never in the code.

* no file in ``src/`` or ``notebooks/`` names a shipped incident's id, dates, platform ids,
  outlets or quantity keys;
* every shipped incident has a descriptor that validates, and the descriptor's mistakes are
  named (file, key, value);
* the notebooks' parameters come from the descriptor, and a bad value names the parameter.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import yaml

from incident import config, notebook
from incident.errors import ParameterError, ValidationError
from incident.evidence.descriptor import load_descriptor, parse_descriptor

ROOT = config.ROOT
SHIPPED = config.incidents()
CODE = [p for p in (ROOT / "src").rglob("*") if p.suffix in (".py", ".json", ".j2", ".html", ".css", ".js")]
CODE += sorted((ROOT / "notebooks").glob("*.ipynb"))


def _literals(incident: str) -> set[str]:
    """The incident-specific strings: id, every day of the window (and a week around it), platform ids."""
    desc = load_descriptor(config.paths(incident))
    out = {incident}
    for i in range(-7, (desc.last_day - desc.first_day).days + 8):
        out.add((desc.first_day + timedelta(days=i)).isoformat())
    out |= {p for p in desc.platform_ids if len(p) > 3}
    out |= {q.key for q in desc.quantities}
    return out


def test_there_are_two_real_incidents():
    assert {"schulstart-2021", "warntag-2020"} <= set(SHIPPED)


@pytest.mark.parametrize("incident", SHIPPED)
def test_no_incident_literal_in_src_or_notebooks(incident):
    words = _literals(incident)
    pattern = re.compile(
        r"(?<![a-z0-9_-])(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![a-z0-9_])",
        re.IGNORECASE,
    )
    found = []
    for path in CODE:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            m = pattern.search(line)
            if m:
                found.append(f"{path.relative_to(ROOT)}:{n}: {m.group(0)}")
    assert found == [], "incident facts belong in data/raw/<incident>/incident.yaml:\n" + "\n".join(found[:40])


def test_the_literal_check_can_fail(tmp_path):
    words = _literals("schulstart-2021")
    assert "iserv-video" in words and "2021-01-11" in words and "schulstart-2021" in words


@pytest.mark.parametrize("incident", SHIPPED)
def test_shipped_descriptor_validates_and_names_its_platforms(incident):
    desc = load_descriptor(config.paths(incident))
    assert desc.id == incident and desc.article_platforms
    for p in desc.platforms:
        assert p.name and p.name != p.id or p.id.isalpha()


def _doc(incident: str = "schulstart-2021") -> dict:
    return yaml.safe_load((config.paths(incident).raw / "incident.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda d: d.update(timezone="Mars/Olympus"), "timezone"),
        (lambda d: d["window"].update(last_day="2000-01-01"), "window"),
        (lambda d: d["witnesses"].update(authority="(unclosed"), "witnesses/authority"),
        (lambda d: d["platforms"].append(dict(d["platforms"][0])), "platforms"),
        (lambda d: d.update(id="something-else"), "id"),
        (lambda d: d.pop("title"), "title"),
        (lambda d: d["day_hours"].update(start="25:00"), "day_hours"),
    ],
)
def test_descriptor_mistakes_are_named(change, where):
    doc = _doc()
    change(doc)
    doc = yaml.safe_load(yaml.safe_dump(doc, allow_unicode=True, default_flow_style=False, sort_keys=False))
    doc = __import__("json").loads(__import__("json").dumps(doc, default=str))
    with pytest.raises(ValidationError) as err:
        parse_descriptor(doc, folder="schulstart-2021")
    text = str(err.value)
    assert "incident.yaml" in text and (where.split("/")[0] in text or "required" in text), text


def test_missing_descriptor_is_a_named_problem(tmp_path):
    raw = tmp_path / "data" / "raw" / "leer"
    raw.mkdir(parents=True)
    with pytest.raises(ValidationError, match="incident.yaml: Datei fehlt / file is missing"):
        load_descriptor(config.paths("leer", home=tmp_path))


def test_broken_yaml_names_the_line(tmp_path):
    raw = tmp_path / "data" / "raw" / "kaputt"
    raw.mkdir(parents=True)
    (raw / "incident.yaml").write_text("id: kaputt\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"not valid YAML at line \d"):
        load_descriptor(config.paths("kaputt", home=tmp_path))


@pytest.mark.parametrize("incident", SHIPPED)
def test_zone_label_follows_the_season(incident):
    desc = load_descriptor(config.paths(incident))
    label = desc.zone_label(desc.window[0])
    expected = "MEZ, UTC+1" if desc.first_day.month in (1, 2, 3, 11, 12) else "MESZ, UTC+2"
    assert label == expected


# --------------------------------------------------------------------------- notebook parameters


@pytest.fixture(scope="module")
def processed_home(tmp_path_factory):
    from incident import process

    home = tmp_path_factory.mktemp("nbparams")
    import shutil

    shutil.copytree(config.paths("warntag-2020").raw, home / "data" / "raw" / "warntag-2020")
    process.run(config.paths("warntag-2020", home=home))
    return home


def test_parameters_default_to_the_descriptor(processed_home, monkeypatch):
    monkeypatch.delenv("INCIDENT_PUBLISH", raising=False)
    s = notebook.session("warntag-2020", home=str(processed_home))
    desc = load_descriptor(config.paths("warntag-2020", home=processed_home))
    assert s.platforms == desc.article_platforms
    assert list(s.days) == desc.days
    assert not s.published and "scratch" in str(s.out)


def test_a_string_list_from_papermill_is_read(processed_home, monkeypatch):
    monkeypatch.delenv("INCIDENT_PUBLISH", raising=False)
    desc = load_descriptor(config.paths("warntag-2020", home=processed_home))
    first = desc.article_platforms[0]
    s = notebook.session(
        "warntag-2020", platforms=f'["{first}"]', days=desc.first_day.isoformat(), home=str(processed_home)
    )
    assert s.platforms == (first,) and s.days == (desc.first_day,)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"platforms": ["nope"]}, "platforms"),
        ({"platforms": "[broken"}, "platforms"),
        ({"platforms": []}, "platforms"),
        ({"days": ["1999-01-01"]}, "days"),
        ({"days": ["gestern"]}, "days"),
        ({"platforms": 7}, "platforms"),
    ],
)
def test_an_invalid_parameter_is_named(processed_home, kwargs, name):
    with pytest.raises(ParameterError, match=f"parameter '{name}'"):
        notebook.session("warntag-2020", home=str(processed_home), **kwargs)


def test_an_unknown_incident_is_named(tmp_path):
    with pytest.raises(ParameterError, match="parameter 'incident'"):
        config.paths("../etc", home=tmp_path)
    assert date.today()  # the check above needs no network or clock
