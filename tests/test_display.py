"""Notebook display and readable repr of the results (issue 17, item 4)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from clinscores import Activity, examples
from clinscores._display import COLOURS, SYMBOLS, criterion_effect, humanize
from clinscores.record import json_schema, parse_patient
from clinscores.screening import screen_any
from clinscores.sle import bilag2004, bilag2004_explain, eular_acr_2019

PATIENTS = [n for n in examples.names() if not n.endswith("_bundle")]
VOID = {"br", "meta", "hr", "img", "input", "col", "wbr"}


class _Checker(HTMLParser):
    """Collects the visible text and checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(markup: str) -> _Checker:
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    assert checker.stack == [], checker.stack
    for tag, attrs in checker.tags:
        assert tag != "script"
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "javascript:" not in " ".join(str(v) for v in attrs.values())
    return checker


def _record_keys() -> set[str]:
    """Every leaf name of the record's schema with an underscore (a record key)."""
    keys: set[str] = set()

    def walk(schema: dict[str, Any]) -> None:
        for name, sub in schema.get("properties", {}).items():
            if "_" in name:
                keys.add(name)
            walk(sub)
            if isinstance(sub.get("items"), dict):
                walk(sub["items"])

    walk(json_schema())
    return keys


RECORD_KEYS = _record_keys()


def visible(markup: str) -> str:
    return " ".join(parse(markup).text)


def no_record_key(text: str) -> None:
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    assert not words & RECORD_KEYS, sorted(words & RECORD_KEYS)


@pytest.mark.parametrize("name", PATIENTS)
def test_screening_html_has_verdict_and_every_criterion(name: str) -> None:
    s = screen_any(examples.load(name))
    markup = s._repr_html_()
    checker = parse(markup)
    text = " ".join(checker.text)
    verdict = {"eligible": "ELIGIBLE", "not_eligible": "NOT ELIGIBLE", "incomplete": "INCOMPLETE"}
    assert verdict[s.status] in text
    assert text.index(verdict[s.status]) < text.index("I1")  # the verdict first
    rows = [a["data-criterion"] for t, a in checker.tags if t == "tr" and "data-criterion" in a]
    assert rows == [c.id for c in s.criteria]
    no_record_key(text)
    for c in s.criteria:
        if c.status == "not_met" and c.kind == "inclusion":
            assert c.id in text.split("Why not eligible:")[1]  # the reason before the list


@pytest.mark.parametrize("name", PATIENTS)
def test_screening_repr_fits_one_screen(name: str) -> None:
    s = screen_any(examples.load(name))
    lines = repr(s).splitlines()
    assert len(lines) <= 30
    assert max(map(len, lines)) <= 100
    assert s.patient_id in lines[0]
    assert [ln.split()[1] for ln in lines[-21:]] == [c.id for c in s.criteria]
    no_record_key(repr(s))


def test_symbols_mean_good_or_bad_for_the_patient() -> None:
    # reproduces issue 17: "not_met" was good for an exclusion and bad for an inclusion,
    # with the same word and no symbol
    assert criterion_effect("exclusion", "not_met") == "good"
    assert criterion_effect("inclusion", "met") == "good"
    assert criterion_effect("inclusion", "not_met") == "bad"
    assert criterion_effect("exclusion", "met") == "bad"
    assert criterion_effect("exclusion", "unknown") == "unknown"
    s = screen_any(examples.load("sle_not_eligible"))
    html = s._repr_html_()
    e1 = re.search(r'<tr data-criterion="E1"[^>]*>(.*?)</tr>', html)
    i7 = re.search(r'<tr data-criterion="I7"[^>]*>(.*?)</tr>', html)
    assert e1 is not None and i7 is not None
    assert COLOURS["good"] in e1.group(1) and SYMBOLS["good"] in e1.group(1)
    assert COLOURS["bad"] in i7.group(1) and SYMBOLS["bad"] in i7.group(1)


def test_criterion_display() -> None:
    c = screen_any(examples.load("ra_incomplete")).criterion("I5")
    text = " ".join(repr(c).split())
    assert text.startswith("? I5 unknown (inclusion)")
    assert "International normalised ratio (INR)" in text
    assert "labs.inr" not in text
    assert "I5" in visible(c._repr_html_())


def _sle_form() -> Any:
    return parse_patient(examples.load("sle_eligible")).sle


def test_bilag2004_explanation_display() -> None:
    sle = _sle_form()
    expl = sle.bilag2004_form.explain(sle.bilag2004_grades)
    assert isinstance(expl, dict)
    text = visible(expl._repr_html_())
    for system in ("Constitutional", "Mucocutaneous", "Haematological", "Renal"):
        assert system in text
    lines = repr(expl).splitlines()
    assert lines[0] == "BILAG-2004 grades and what decided them" and len(lines) == 10
    g = expl["mucocutaneous"]
    assert g.grade in visible(g._repr_html_())


def test_bilag2004_grades_display() -> None:
    grades = bilag2004({n: 0 for n in range(1, 78)}, others=None)
    assert isinstance(grades, dict) and grades["renal"] in (None, "D", "E")
    assert "Haematological" in visible(grades._repr_html_())
    assert repr(grades).startswith("BILAG-2004 grades\n  Constitutional")
    # arrays stay as they were
    arrays = bilag2004({1: [0, 0]}, others=None)
    assert not hasattr(arrays, "_repr_html_")


def test_bilag2004_explain_is_still_a_dict() -> None:
    form = {n: 0 for n in range(1, 78)}
    out = bilag2004_explain(form, others=None)
    assert set(out) >= {"renal", "constitutional"}
    assert dict(out) == out


def test_classification_display() -> None:
    c = eular_acr_2019(ana_positive=True, fever=True, acute_pericarditis=True, others=False)
    text = repr(c)
    assert text.startswith("Classification: ✗ not classified, 8 points; entry criterion met")
    assert "Serosal 6" in text and "sle_specific" not in text
    markup = c._repr_html_()
    assert "not classified" in visible(markup) and "SLE-specific antibodies" in visible(markup)
    rows = eular_acr_2019(ana_positive=[True, None], fever=[True, True], others=False)
    assert repr(rows).startswith("Classification of 2 rows:")
    parse(rows._repr_html_())


def test_activity_display() -> None:
    assert visible(Activity.HIGH._repr_html_()) == "High disease activity"
    assert repr(Activity.HIGH) == "<Activity.HIGH: 'high'>"  # unchanged


def test_humanize_replaces_record_paths() -> None:
    assert humanize("missing birth_date or age_years") == (
        "missing Date of birth or Age at informed consent"
    )
    assert humanize("no change") == "no change"


def test_docs_page_renders_every_display() -> None:
    """docs/notebooks.md gets each notebook display at build time (docs/scripts)."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    script = root / "docs" / "scripts" / "notebook_display.py"
    spec = importlib.util.spec_from_file_location("notebook_display", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (root / "docs" / "notebooks.md").read_text(encoding="utf-8")
    out = module.render(page)
    assert "<!-- notebook:" not in out
    assert out.count("clinscores-notebook-output") == len(module.displays())
    assert "NOT ELIGIBLE" in out and "BILAG-2004 grades and what decided them" in out
    assert "<script" not in out
