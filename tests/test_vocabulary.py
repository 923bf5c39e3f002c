"""The one vocabulary (issue 17): every field and parameter has words, one hint formatter."""

from __future__ import annotations

import math
import re
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinscores import record, vocabulary
from clinscores.record import UNIT_PAIRS, json_schema, load_schema, path_label, path_term
from clinscores.registry import describe, instruments
from clinscores.vocabulary import INSTRUMENT_NAMES, PARAMETERS, RECORD_FIELDS, range_hint

RECORD_CLASSES = [
    record.Patient,
    record.Labs,
    record.Dmard,
    record.Medications,
    record.RaClassificationInputs,
    record.RaData,
    record.Bilag2004Form,
    record.SleData,
    record.Aecg2002Items,
    record.Classification2016Inputs,
    record.PssData,
    record.SscData,
    record.Exclusions,
]


@pytest.mark.parametrize("cls", RECORD_CLASSES, ids=lambda c: c.__name__)
def test_every_record_field_has_a_label(cls: type) -> None:
    terms = RECORD_FIELDS[cls.__name__]
    assert set(terms) == {f.name for f in attrs.fields(cls)}
    for name, term in terms.items():
        assert term.label and "_" not in term.label, (cls.__name__, name)


def test_every_registry_parameter_and_instrument_has_words() -> None:
    for name, inst in instruments().items():
        assert name in INSTRUMENT_NAMES
        assert set(PARAMETERS[name]) == {p.name for p in inst.parameters}, name
        d = describe(inst)
        assert d["display_name"] == INSTRUMENT_NAMES[name]
        for p in d["parameters"]:
            assert p["label"] and "_" not in p["label"], (name, p["name"])
            assert p["hint"] == p["text"] and ".." not in p["hint"]
            assert {"unit", "help"} <= set(p)


def test_bilag2004_has_a_display_name() -> None:
    assert INSTRUMENT_NAMES["bilag2004"] == "BILAG-2004"


def _leaves(schema: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    out = []
    for name, sub in schema.get("properties", {}).items():
        out.append((f"{path}{name}", sub))
        item = sub.get("items") if sub.get("type") == "array" else None
        if isinstance(item, dict) and item.get("type") == "object":
            out += _leaves(item, f"{path}{name}[].")
        elif sub.get("type") == "object":
            out += _leaves(sub, f"{path}{name}.")
    return out


def test_schema_has_title_description_and_unit() -> None:
    schema = json_schema()
    assert load_schema() == schema  # the shipped file is regenerated
    leaves = _leaves(schema)
    assert len(leaves) > 300
    for path, sub in leaves:
        assert sub.get("title"), path
        assert "_" not in sub["title"], path
        assert sub.get("description"), path
    labs = schema["properties"]["labs"]["properties"]
    assert labs["wbc_1e9_l"]["title"] == "White blood cells"
    assert labs["wbc_1e9_l"]["x-unit"] == "×10⁹/L"
    assert labs["hemoglobin_g_l"]["x-unit"] == "g/L"
    assert labs["hemoglobin_g_l"]["x-analyte"] == labs["hemoglobin_g_dl"]["x-analyte"]
    esr = schema["properties"]["ra"]["properties"]["esr_mm_h"]
    assert esr["x-hint"] == "1 to 200 mm/h"
    choice = schema["properties"]["disease"]
    assert choice["x-choice-labels"]["sle"] == "Systemic lupus erythematosus"


def test_unit_pairs_are_published_as_one_analyte() -> None:
    units = json_schema()["properties"]["labs"]["x-units"]
    pairs = {frozenset((a, b)) for a, b, _, _ in UNIT_PAIRS}
    assert {frozenset(u["fields"]) for u in units.values()} == pairs
    assert units["hemoglobin"] == {
        "label": "Haemoglobin",
        "fields": ["hemoglobin_g_l", "hemoglobin_g_dl"],
        "units": ["g/L", "g/dL"],
    }


def test_path_words() -> None:
    assert path_term("medications.csdmards[2].dose") == RECORD_FIELDS["Dmard"]["dose"]
    assert path_label("sle.sledai2k.increased_dna_binding") == "Increased DNA binding"
    assert path_label("sle.bilag2004_grades.renal") == "Renal"
    assert path_label("pss.essdai.biological") == "Biological domain"
    assert path_label("no.such.field") == "no.such.field"


@pytest.mark.parametrize(
    ("args", "kwargs", "text"),
    [
        ((0, 28), {"integer": True}, "0 to 28, whole number"),
        ((1, math.inf), {"unit": "mm/h"}, "at least 1 mm/h"),
        ((0, math.inf), {"lo_open": True, "unit": "mg/dL"}, "more than 0 mg/dL"),
        ((0, 100), {"unit": "mm on a 100 mm scale"}, "0 to 100 mm"),
        ((-math.inf, 5), {"hi_open": True}, "less than 5"),
        ((0, 35), {"lo_open": True, "unit": "mg/dL"}, "more than 0 and at most 35 mg/dL"),
        ((0.5, 2.5), {}, "0.5 to 2.5"),
    ],
)
def test_range_hint(args: tuple[float, float], kwargs: dict[str, Any], text: str) -> None:
    assert range_hint(*args, **kwargs) == text


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(0, 1e6, allow_nan=False),
    st.booleans(),
    st.booleans(),
)
def test_range_hint_names_both_bounds(lo: float, span: float, lo_open: bool, integer: bool) -> None:
    hi = lo + span
    text = range_hint(lo, hi, lo_open=lo_open, integer=integer)
    numbers = re.findall(r"-?[\d.]+(?:e[-+]?\d+)?", text)
    assert float(numbers[0]) == pytest.approx(lo, rel=1e-5, abs=1e-9)
    assert float(numbers[1]) == pytest.approx(hi, rel=1e-5, abs=1e-9)
    assert ".." not in text and text.endswith("whole number") == integer


def test_error_messages_use_the_same_hint() -> None:
    # reproduces issue 17: the esr domain (>= 1) was shown as "> 0" by `clinscores list`
    from clinscores import InputError
    from clinscores.ra import das28_esr

    with pytest.raises(InputError, match=r"esr = 0 is out of range; expected at least 1 \("):
        das28_esr(tjc28=1, sjc28=1, esr=0, ptga_mm=10)
    listed = {p.name: p.text for p in instruments()["das28_esr"].parameters}
    assert listed["esr"] == "at least 1 mm/h"


def test_clinical_unit() -> None:
    assert vocabulary.clinical_unit("3 x10^9/L, 80 umol/L") == "3 ×10⁹/L, 80 µmol/L"
