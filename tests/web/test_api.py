"""The HTTP API of ``clinscores serve``, through the ASGI test client.

Every endpoint and every error status; the screen endpoint against
``clinscores screen --json``; the score endpoint against the in-process
functions; the security headers; and hypothesis-generated malformed
requests, none of which may give a 500.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install '.[web]'")

import jsonschema
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from clinscores import examples, pss
from clinscores.cli import format_instrument, main
from clinscores.cli import screen as screen_command
from clinscores.eligibility import screen
from clinscores.pss import essdai_activity, esspri_pass
from clinscores.ra import acr_eular_2010, cdai_activity, das28_activity, das28_esr, sdai_activity
from clinscores.record import load_schema
from clinscores.registry import describe, instruments
from clinscores.sle import (
    BILAG2004_SYSTEMS,
    bilag2004_explain,
    bilag2004_numeric,
    sledai2k_activity,
)
from clinscores.web import SCORE_LIMIT, SCREEN_LIMIT, WORKER_THRESHOLD, create_app, openapi
from clinscores.web.pagedata import categories

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "patients").glob("*.json"))
STATIC = ROOT / "src" / "clinscores" / "web" / "static"
DAS = {"tjc28": 6, "sjc28": 4, "esr": 38, "ptga_mm": 55}
JSON_HEADERS = {"content-type": "application/json"}
MINIMAL = {"patient_id": "x", "disease": "ra", "screening_date": "2026-10-05"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


# --------------------------------------------------------------------------
# read-only endpoints
# --------------------------------------------------------------------------


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_instruments_is_what_clinscores_list_shows(client: TestClient) -> None:
    r = client.get("/api/v1/instruments")
    assert r.status_code == 200
    listing = r.json()
    # what `clinscores list` describes, and the categories with their cut-offs
    # (for the calculators page)
    assert listing == [
        {**describe(i), "categories": categories(i.name)} for i in instruments().values()
    ]
    # the same description gives the text of `clinscores list`
    for d, inst in zip(listing, instruments().values()):
        text = " ".join(format_instrument(inst).split())  # lines wrap at 100 columns
        assert text.startswith(f"{d['name']}: {d['display_name']}")
        assert " ".join(d["summary"].split()) in text
        for p in d["parameters"]:
            assert f"{p['name']} {p['label']}: {p['text']}" in text
        assert text.endswith("-> " + ", ".join(o["name"] for o in d["outputs"]))
        assert d["references"], d["name"]  # every instrument cites its source
    das = listing[0]
    assert das["name"] == "das28_esr"
    assert das["parameters"][0]["domain"]["maximum"] == 28
    assert das["reported_decimals"] == 2


def test_patient_schema(client: TestClient) -> None:
    r = client.get("/api/v1/schema/patient")
    assert r.status_code == 200
    assert r.json() == load_schema()


def test_openapi_document(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert doc == openapi()
    assert doc["openapi"] == "3.1.0"
    assert set(doc["paths"]) == {
        "/healthz",
        "/api/v1/instruments",
        "/api/v1/schema/patient",
        "/api/v1/score/{instrument}",
        "/api/v1/screen",
        "/api/v1/examples",
        "/api/v1/examples/{name}",
        "/api/v1/bilag2004",
    }
    schemas = doc["components"]["schemas"]
    assert schemas["Patient"] == load_schema()
    assert set(doc["paths"]["/api/v1/score/{instrument}"]["post"]["responses"]) >= {
        "200",
        "400",
        "404",
        "413",
        "415",
        "422",
    }
    # the request schemas accept a valid body and reject a wrong one
    body_schema = schemas["score_das28_esr"]
    jsonschema.Draft202012Validator.check_schema(body_schema)
    ok = jsonschema.Draft202012Validator(body_schema)
    ok.validate(DAS)
    ok.validate({**DAS, "tjc28": [6, None, 3]})
    assert not ok.is_valid({**DAS, "tjc28": 40})
    assert not ok.is_valid({"tjc28": 6})
    rf = jsonschema.Draft202012Validator(schemas["score_acr_eular_2010"])
    assert rf.is_valid(
        {
            "large_joints": 2,
            "small_joints": 0,
            "rf": "high_positive",
            "acpa": "negative",
            "abnormal_crp": True,
            "abnormal_esr": None,
            "symptom_duration_weeks": 7,
        }
    )
    # RF and ACPA are the level words only: a number (1 would be a point the
    # 2010 criteria do not have) is refused
    assert not rf.is_valid(
        {
            "large_joints": 2,
            "small_joints": 0,
            "rf": "high_positive",
            "acpa": 1,
            "abnormal_crp": True,
            "abnormal_esr": None,
            "symptom_duration_weeks": 7,
        }
    )


def test_pages_and_static_files(client: TestClient) -> None:
    for url in ("/", "/calculators"):
        r = client.get(url)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
    r = client.get("/static/screen.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")
    for url in ("/static/nothing.js", "/static/..%2F__init__.py", "/static/%2e%2e/__init__.py"):
        assert client.get(url).status_code == 404, url
    assert client.get("/nowhere").status_code == 404
    assert client.get("/nowhere").json() == {"error": "Not Found"}


def test_static_files_have_no_inline_script_and_no_outside_request() -> None:
    files = list(STATIC.iterdir())
    assert {f.name for f in files} >= {"index.html", "calculators.html", "screen.js", "style.css"}
    for f in files:
        text = f.read_text("utf-8")
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), f.name
        assert "innerHTML" not in text and "outerHTML" not in text, f.name
        assert "eval(" not in text and "new Function" not in text, f.name
        if f.suffix == ".html":
            for tag in re.findall(r"<script[^>]*>", text):
                assert re.search(r'src="/static/[\w.]+"', tag), tag
            assert "</script>" in text and not re.search(r"<script[^>]*>[^<]", text)
            assert not re.search(r"\son\w+\s*=", text), f.name  # no event-handler attributes
            assert "style=" not in text and "<style" not in text, f.name


def test_security_headers_on_every_response(client: TestClient) -> None:
    for r in (
        client.get("/"),
        client.get("/healthz"),
        client.post("/api/v1/screen", content=b"x", headers={"content-type": "text/plain"}),
        client.get("/nowhere"),
    ):
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert "unsafe" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["cache-control"] == "no-store"
        assert "access-control-allow-origin" not in r.headers


def test_cors_only_for_the_origins_given() -> None:
    origin = "https://ehr.example.org"
    closed = TestClient(create_app())
    r = closed.post("/api/v1/score/das28_esr", json=DAS, headers={"origin": origin})
    assert "access-control-allow-origin" not in r.headers
    open_ = TestClient(create_app(cors_origins=[origin]))
    r = open_.post("/api/v1/score/das28_esr", json=DAS, headers={"origin": origin})
    assert r.headers["access-control-allow-origin"] == origin
    pre = open_.options(
        "/api/v1/screen",
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert pre.status_code == 200
    assert pre.headers["access-control-allow-origin"] == origin
    r = open_.post("/api/v1/score/das28_esr", json=DAS, headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_host_header_checked_when_asked() -> None:
    guarded = TestClient(create_app(allowed_hosts=["127.0.0.1", "localhost"]))
    assert guarded.get("/healthz", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert guarded.get("/healthz", headers={"host": "rebound.example"}).status_code == 400


def test_method_not_allowed(client: TestClient) -> None:
    r = client.get("/api/v1/screen")
    assert r.status_code == 405
    assert r.json()["error"]
    assert client.post("/api/v1/instruments", json={}).status_code == 405


# --------------------------------------------------------------------------
# score
# --------------------------------------------------------------------------


def test_score_scalar(client: TestClient) -> None:
    r = client.post("/api/v1/score/das28_esr", json=DAS)
    assert r.status_code == 200
    doc = r.json()
    assert doc["instrument"] == "das28_esr"
    assert doc["result"]["das28_esr"] == pytest.approx(das28_esr(**DAS), abs=1e-12)
    assert doc["result"]["das28_esr_category"] == "high" == das28_activity(das28_esr(**DAS))
    assert doc["reported"] == {"das28_esr": 5.25}
    assert "errors" not in doc


def test_score_lists_keep_their_shape(client: TestClient) -> None:
    body = {"tjc28": [6, 0, None], "sjc28": 4, "esr": [38, 10, 20], "ptga_mm": "55"}
    doc = client.post("/api/v1/score/das28_esr", json=body).json()
    expected = das28_esr([6, 0, None], 4, [38, 10, 20], 55)
    got = doc["result"]["das28_esr"]
    assert len(got) == 3 and got[2] is None
    assert got[:2] == pytest.approx(list(expected[:2]), abs=1e-12)
    cats = [das28_activity(float(x)).value for x in expected[:2]]
    assert doc["result"]["das28_esr_category"] == [*cats, None]
    assert doc["reported"]["das28_esr"][2] is None
    empty = client.post("/api/v1/score/das28_esr", json={**DAS, "tjc28": []}).json()
    assert empty["result"] == {"das28_esr": [], "das28_esr_category": []}


def test_score_classification_and_words(client: TestClient) -> None:
    body = {
        "large_joints": 2,
        "small_joints": [4, 0],
        "rf": ["high_positive", "NEGATIVE"],
        "acpa": "negative",
        "abnormal_crp": [True, None],
        "abnormal_esr": False,
        "symptom_duration_weeks": 10,
    }
    doc = client.post("/api/v1/score/acr_eular_2010", json=body).json()
    # row 1: 2-10 large 1, 4-10 small 3, high-positive RF 3, abnormal CRP 1, >= 6 weeks 1
    assert doc["result"]["acr_eular_2010_points"][0] == 8
    expected = acr_eular_2010(
        large_joints=[2, 2],
        small_joints=[4, 0],
        rf=["high_positive", "negative"],
        acpa="negative",
        abnormal_crp=[True, None],
        abnormal_esr=False,
        symptom_duration_weeks=10,
    )
    assert doc["result"]["acr_eular_2010_points"] == list(expected.points)
    assert doc["result"]["acr_eular_2010_classified"] == list(expected.classified)
    assert "reported" not in doc


def test_score_invalid_value_is_422_with_parameter_and_row(client: TestClient) -> None:
    r = client.post("/api/v1/score/das28_esr", json={**DAS, "tjc28": [6, 3, 40]})
    assert r.status_code == 422
    doc = r.json()
    assert doc["parameter"] == "tjc28" and doc["row"] == 2
    assert "40" in doc["error"] and "0 to 28" in doc["error"]
    r = client.post("/api/v1/score/das28_esr", json={**DAS, "esr": 0})
    assert r.status_code == 422
    assert r.json()["parameter"] == "esr" and r.json()["row"] is None
    r = client.post("/api/v1/score/das28_esr", json={**DAS, "ptga_mm": True})
    assert r.status_code == 422 and "boolean" in r.json()["error"]


def test_score_coerce(client: TestClient) -> None:
    body = {**DAS, "tjc28": [6, 40, "x", None]}
    doc = client.post("/api/v1/score/das28_esr?errors=coerce", json=body).json()
    assert doc["reported"]["das28_esr"] == [5.25, None, None, None]
    errors = doc["errors"]
    assert errors[0] is None and errors[3] is None
    assert "40" in errors[1] and "not a number" in errors[2]
    scalar = client.post("/api/v1/score/das28_esr?errors=coerce", json={**DAS, "sjc28": -1})
    assert scalar.status_code == 200
    assert scalar.json()["result"]["das28_esr"] is None and "-1" in scalar.json()["errors"]


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ([1, 2], "JSON object"),
        ({"tjc28": 6}, "missing parameter(s)"),
        ({**DAS, "tjc": 6}, "no parameter 'tjc'"),
        ({**DAS, "tjc28": {"a": 1}}, "a value or a list"),
        ({**DAS, "tjc28": [[1]]}, "a list of numbers"),
        ({**DAS, "tjc28": [1, 2], "esr": [3]}, "different lengths"),
    ],
)
def test_score_malformed_bodies_are_422(client: TestClient, body: Any, text: str) -> None:
    r = client.post("/api/v1/score/das28_esr", json=body)
    assert r.status_code == 422
    assert text in r.json()["error"]


def test_score_other_statuses(client: TestClient) -> None:
    r = client.post("/api/v1/score/nothing", json=DAS)
    assert r.status_code == 404 and "das28_esr" in r.json()["error"]
    assert client.post("/api/v1/score/das28_esr?errors=ignore", json=DAS).status_code == 400
    r = client.post(
        "/api/v1/score/das28_esr", content=b"{", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400 and "malformed JSON" in r.json()["error"]
    r = client.post(
        "/api/v1/score/das28_esr", content=b"\xff\xfe", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    r = client.post("/api/v1/score/das28_esr", content=json.dumps(DAS).encode())
    assert r.status_code == 415
    r = client.post("/api/v1/score/das28_esr", data={"tjc28": "6"})
    assert r.status_code == 415
    deep = b"[" * 100_000 + b"]" * 100_000
    r = client.post(
        "/api/v1/score/das28_esr", content=deep, headers={"content-type": "application/json"}
    )
    assert r.status_code in (400, 422)


def test_body_limits_give_413(client: TestClient) -> None:
    headers = {"content-type": "application/json"}
    big = b" " * (SCREEN_LIMIT + 1)
    assert client.post("/api/v1/screen", content=big, headers=headers).status_code == 413
    # just under the limit is read (and is then malformed: 400)
    assert client.post("/api/v1/screen", content=big[:-2], headers=headers).status_code == 400
    r = client.post("/api/v1/score/das28_esr", content=b" " * (SCORE_LIMIT + 1), headers=headers)
    assert r.status_code == 413
    assert "bytes" in r.json()["error"]


# --------------------------------------------------------------------------
# screen
# --------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_screen_is_what_clinscores_screen_json_prints(client: TestClient, path: Path) -> None:
    out = io.StringIO()
    screen_command.run(argparse.Namespace(patients=[path], json=True), out)
    printed = json.loads(out.getvalue())
    assert printed.pop("file") == str(path)
    r = client.post(
        "/api/v1/screen", content=path.read_bytes(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 200
    assert r.json() == printed
    assert r.json()["status"] == screen(json.loads(path.read_text("utf-8"))).status


FHIR_EXAMPLES = sorted((Path(__file__).parents[2] / "examples" / "fhir").glob("*.json"))


@pytest.mark.parametrize("path", FHIR_EXAMPLES, ids=[p.stem for p in FHIR_EXAMPLES])
def test_screen_accepts_a_fhir_bundle(client: TestClient, path: Path) -> None:
    out = io.StringIO()
    screen_command.run(argparse.Namespace(patients=[path], json=True), out)
    printed = json.loads(out.getvalue())
    printed.pop("file")
    r = client.post(
        "/api/v1/screen", content=path.read_bytes(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 200
    assert r.json() == printed
    assert "[FHIR: " in r.json()["criteria"][0]["reason"]


def test_screen_invalid_fhir_bundle_is_a_422(client: TestClient) -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {}}]}
    r = client.post("/api/v1/screen", json=bundle)
    assert r.status_code == 422
    assert r.json()["problems"]


def test_screen_invalid_record_lists_every_problem(client: TestClient) -> None:
    body = {**MINIMAL, "labs": {"alt_u_l": -3}, "extra": 1, "sex": "other"}
    r = client.post("/api/v1/screen", json=body)
    assert r.status_code == 422
    problems = r.json()["problems"]
    paths = {p["path"] for p in problems}
    assert {"labs.alt_u_l", "extra", "sex"} <= paths
    assert all(p["message"] for p in problems)
    for body in ([1], "text", None, {"patient_id": "x"}):
        r = client.post(
            "/api/v1/screen",
            content=json.dumps(body).encode(),
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 422, body
        assert r.json()["problems"]


def test_screen_other_statuses(client: TestClient) -> None:
    assert client.post("/api/v1/screen", content=b"{}").status_code == 415
    r = client.post(
        "/api/v1/screen", content=b'{"a":', headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    r = client.post(
        "/api/v1/screen",
        content=json.dumps(MINIMAL).encode(),
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert r.status_code == 200


# --------------------------------------------------------------------------
# no 500 on malformed requests
# --------------------------------------------------------------------------

_KEYS = sorted(
    {"patient_id", "disease", "screening_date", "labs", "ra", "sle", "pss", "ssc"}
    | set(load_schema()["properties"])
    | {p.name for i in instruments().values() for p in i.parameters}
)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["ra", "sle", "pss", "ssc", "2026-10-05", "high", "A", "true", "1e999"])
)
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=25,
)
_records = st.fixed_dictionaries(
    {"patient_id": _scalars, "disease": st.sampled_from(["ra", "sle", "pss", "ssc"])},
    optional={
        "screening_date": st.sampled_from(["2026-10-05", "2026-02-30", "x"]) | _scalars,
        "labs": _json,
        "medications": _json,
        "ra": _json,
        "sle": _json,
        "pss": _json,
        "ssc": _json,
        "exclusions": _json,
        "birth_date": _scalars,
    },
)
_bodies = (
    st.binary(max_size=64)
    | _json.map(lambda v: json.dumps(v).encode())
    | _records.map(lambda v: json.dumps(v).encode())
)
_urls = st.sampled_from(
    ["/api/v1/screen", "/api/v1/score/nothing", "/api/v1/score/das28_esr?errors=coerce"]
    + [f"/api/v1/score/{name}" for name in instruments()]
)
_types = st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "text/plain", "", "application/x"]
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(url=_urls, body=_bodies, ctype=_types)
def test_malformed_requests_never_give_500(url: str, body: bytes, ctype: str) -> None:
    client = _shared_client()
    headers = {"content-type": ctype} if ctype else {}
    r = client.post(url, content=body, headers=headers)
    assert r.status_code < 500, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    _strict(r.text)


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(sorted(instruments())),
    values=st.dictionaries(st.sampled_from(_KEYS), _json, max_size=8),
    coerce=st.booleans(),
)
def test_score_bodies_near_the_parameters_never_give_500(
    name: str, values: dict[str, Any], coerce: bool
) -> None:
    params = {p.name: 1 for p in instruments()[name].parameters}
    body = {**params, **{k: v for k, v in values.items() if k in params}}
    url = f"/api/v1/score/{name}" + ("?errors=coerce" if coerce else "")
    r = _shared_client().post(
        url, content=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    assert r.status_code in (200, 400, 422), (r.status_code, r.text)  # 400: not JSON (Infinity)
    _strict(r.text)


def _no_constant(name: str) -> None:
    raise AssertionError(f"{name} is not JSON")


def _strict(text: str) -> None:
    """Strict JSON (no NaN or Infinity), as a browser's JSON.parse reads it."""
    json.loads(text, parse_constant=_no_constant)


_CLIENT: list[TestClient] = []


def _shared_client() -> TestClient:
    if not _CLIENT:
        _CLIENT.append(TestClient(create_app(), raise_server_exceptions=False))
    return _CLIENT[0]


# --------------------------------------------------------------------------
# the serve command
# --------------------------------------------------------------------------


def test_serve_command(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import clinscores.web as web

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(web, "serve", lambda *a: calls.append(a))
    assert main(["serve"]) == 0
    assert calls[-1] == ("127.0.0.1", 8000, [])
    err = capsys.readouterr().err
    assert "warning" not in err
    assert "http://127.0.0.1:8000/" in err
    assert (
        main(["serve", "--host", "0.0.0.0", "--port", "9000", "--cors-origin", "https://a.b"]) == 0
    )
    assert calls[-1] == ("0.0.0.0", 9000, ["https://a.b"])
    err = capsys.readouterr().err
    assert "warning: binding 0.0.0.0, not loopback" in err
    assert main(["serve", "--port", "70000"]) == 2
    assert main(["serve", "--port", "x"]) == 2
    assert "outside 0..65535" in capsys.readouterr().err


# --------------------------------------------------------------------------
# strict JSON bodies (rule 6), error answers, a missing extra
# --------------------------------------------------------------------------

JSON_HEADERS = {"content-type": "application/json"}
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")


def _has_security_headers(r: Any) -> None:
    for name in SECURITY_HEADERS:
        assert name in r.headers, (name, r.status_code, r.text[:200])
    assert r.headers["cache-control"] == "no-store"


def test_duplicate_key_in_a_body_is_a_400_naming_its_path(client: TestClient) -> None:
    # reproduces: "pregnant": true, "pregnant": false was screened as not pregnant
    record = EXAMPLES[[p.stem for p in EXAMPLES].index("ra_eligible")].read_text("utf-8")
    text = record.replace('"exclusions": {', '"exclusions": {"pregnant": true, ', 1)
    r = client.post("/api/v1/screen", content=text.encode(), headers=JSON_HEADERS)
    assert r.status_code == 400
    assert r.json() == {
        "error": "request body: exclusions.pregnant: duplicate key",
        "problems": [{"path": "exclusions.pregnant", "message": "duplicate key"}],
    }
    _has_security_headers(r)
    # reproduces: {"tjc28": 28, "tjc28": 0, ...} was scored as 0 joints
    body = b'{"tjc28": 28, "tjc28": 0, "sjc28": 4, "esr": 38, "ptga_mm": 55}'
    r = client.post("/api/v1/score/das28_esr", content=body, headers=JSON_HEADERS)
    assert r.status_code == 400
    assert r.json()["problems"] == [{"path": "tjc28", "message": "duplicate key"}]
    # in a FHIR Bundle: the path inside the bundle
    bundle = json.loads(FHIR_EXAMPLES[0].read_text("utf-8"))
    i = next(i for i, e in enumerate(bundle["entry"]) if "valueQuantity" in e["resource"])
    text = json.dumps(bundle).replace('"valueQuantity": {', '"valueQuantity": {"value": 0, ', 1)
    r = client.post("/api/v1/screen", content=text.encode(), headers=JSON_HEADERS)
    assert r.status_code == 400
    assert r.json()["problems"][0]["path"] == f"entry[{i}].resource.valueQuantity.value"


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        # reproduces: OverflowError in the record parser, a 500
        ("1" + "0" * 400, "10000000...00000000 (401 digits) is a number beyond float"),
        # reproduces: ValueError (more than 4,300 digits) in json.loads, a 500
        ("9" * 4400, "99999999...99999999 (4400 digits) is a number beyond float"),
        ("1e400", "1e400 is a number beyond float"),
        ("-1e400", "-1e400 is a number beyond float"),
        ("NaN", "NaN is not a JSON number"),
        ("Infinity", "Infinity is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
    ],
)
def test_numbers_beyond_float_are_400_on_both_endpoints(
    client: TestClient, literal: str, message: str
) -> None:
    record = json.dumps(MINIMAL)[:-1] + f', "weight_kg": {literal}}}'
    score = f'{{"tjc28": 6, "sjc28": 4, "esr": {literal}, "ptga_mm": 55}}'
    for url, text, path in (
        ("/api/v1/screen", record, "weight_kg"),
        ("/api/v1/score/das28_esr", score, "esr"),
    ):
        r = client.post(url, content=text.encode(), headers=JSON_HEADERS)
        assert r.status_code == 400, (url, r.text)
        problem = r.json()["problems"][0]
        assert problem["path"] == path
        assert problem["message"].startswith(message)
        assert r.json()["error"] == f"request body: {path}: {problem['message']}"
        _has_security_headers(r)


def test_unexpected_error_is_a_json_500_with_the_security_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import clinscores.web.api as web_api

    def broken(*args: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(web_api, "screening_document", broken)
    monkeypatch.setattr(web_api, "score_values", broken)
    app = TestClient(create_app(), raise_server_exceptions=False)
    for url, body in (("/api/v1/screen", MINIMAL), ("/api/v1/score/das28_esr", DAS)):
        r = app.post(url, json=body)
        assert r.status_code == 500
        assert r.json() == {"error": "internal error: the request could not be answered"}
        assert "a bug" not in r.text
        _has_security_headers(r)


def test_every_error_answer_is_json_with_the_security_headers() -> None:
    guarded = TestClient(create_app(allowed_hosts=["127.0.0.1"]))
    r = guarded.get("/healthz", headers={"host": "rebound.example"})
    assert r.status_code == 400 and r.json() == {"error": "Invalid host header"}
    _has_security_headers(r)
    origin = "https://ehr.example.org"
    open_ = TestClient(create_app(cors_origins=[origin]))
    r = open_.options(
        "/api/v1/screen",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert r.status_code == 400 and "Disallowed CORS origin" in r.json()["error"]
    _has_security_headers(r)


def test_fhir_bundle_without_the_fhir_extra_is_a_501(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # reproduces: a bundle without [fhir] was answered 422 "invalid patient record"
    monkeypatch.setitem(sys.modules, "clinscores.fhir", None)
    r = client.post("/api/v1/screen", content=FHIR_EXAMPLES[0].read_bytes(), headers=JSON_HEADERS)
    assert r.status_code == 501
    assert r.json() == {
        "error": "FHIR bundles need the optional extra: pip install 'clinscores[fhir]'",
        "extra": "fhir",
    }
    _has_security_headers(r)
    assert client.post("/api/v1/screen", json=MINIMAL).status_code == 200  # records still work


def test_web_extra_brings_fhir() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "optional-dependencies"
    ]
    assert any(dep.startswith("fhir.resources") for dep in extras["web"])
    assert "501" in openapi()["paths"]["/api/v1/screen"]["post"]["responses"]


# --------------------------------------------------------------------------
# large score requests in the worker process
# --------------------------------------------------------------------------


def test_score_in_the_worker_process_answers_as_in_a_thread() -> None:
    rng = np.random.default_rng(1)
    body = {
        "tjc28": rng.integers(0, 29, 2000).tolist(),
        "sjc28": 4,
        "esr": [*rng.integers(1, 121, 1999).tolist(), None],
        "ptga_mm": "55",
    }
    in_thread = TestClient(create_app()).post("/api/v1/score/das28_esr", json=body)
    assert in_thread.status_code == 200
    app = create_app(worker_threshold=0)
    with TestClient(app) as worker:  # the lifespan runs: the pool is shut down at the end
        assert not app.state.score_worker.started
        r = worker.post("/api/v1/score/das28_esr?errors=coerce", json={**body, "sjc28": 40})
        assert app.state.score_worker.started
        assert r.status_code == 200
        assert r.json()["errors"][0].startswith("column 'sjc28' (sjc28) = 40")
        r = worker.post("/api/v1/score/das28_esr", json=body)
        assert r.status_code == 200
        assert r.content == in_thread.content
        r = worker.post(
            "/api/v1/score/das28_esr", content=b'{"tjc28": 1, "tjc28": 2}', headers=JSON_HEADERS
        )
        assert r.status_code == 400 and r.json()["problems"][0]["path"] == "tjc28"
        _has_security_headers(r)
    assert not app.state.score_worker.started


# --------------------------------------------------------------------------
# raw JSON text: huge numbers, duplicate keys, deep nesting never give a 500
# --------------------------------------------------------------------------

_raw_numbers = st.sampled_from(
    [
        "1" + "0" * 400,
        "-" + "9" * 4400,
        "1e400",
        "-1E+400",
        "1e-400",
        "1.7976931348623157e308",
        "NaN",
        "Infinity",
        "-Infinity",
        "0",
        "-0.0",
        "28",
        "1e2",
    ]
) | st.integers(min_value=-(10**30), max_value=10**30).map(str)
_raw_scalars = (
    _raw_numbers
    | st.sampled_from(["null", "true", "false", '"\\ud800"', '"ra"', '"2026-10-05"', '"high"'])
    | st.text(max_size=8).map(json.dumps)
    | st.floats(allow_nan=False, allow_infinity=False).map(json.dumps)
)
_raw_keys = st.sampled_from(_KEYS) | st.text(max_size=4)


def _raw_object(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in pairs) + "}"


_raw_json = st.recursive(
    _raw_scalars,
    lambda inner: (
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
        # keys from a small set: duplicates are frequent
        | st.lists(st.tuples(_raw_keys, inner), max_size=5).map(_raw_object)
        | st.lists(st.tuples(st.sampled_from(["a", "b"]), inner), min_size=2, max_size=4).map(
            _raw_object
        )
    ),
    max_leaves=20,
)


@st.composite
def _raw_bodies(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["value", "record", "score", "deep", "bundle"]))
    url = draw(
        st.sampled_from(
            ["/api/v1/screen", "/api/v1/score/das28_esr", "/api/v1/score/das28_esr?errors=coerce"]
            + [f"/api/v1/score/{name}" for name in instruments()]
        )
    )
    if kind == "value":
        text = draw(_raw_json)
    elif kind == "record":
        base = [("patient_id", '"x"'), ("disease", '"ra"'), ("screening_date", '"2026-10-05"')]
        sections = st.sampled_from(["labs", "exclusions", "ra", "medications", "weight_kg"])
        text = _raw_object(base + draw(st.lists(st.tuples(sections, _raw_json), max_size=4)))
    elif kind == "score":
        name = url.rsplit("/", 1)[-1].split("?")[0]
        params = [p.name for p in instruments()[name].parameters] if name != "screen" else ["x"]
        text = _raw_object([(p, draw(_raw_json)) for p in params])
    elif kind == "bundle":
        resource = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["resourceType", "id", "subject", "code", "valueQuantity"]),
                    _raw_json | st.sampled_from(['"Observation"', '"Patient"', '{"value": 1}']),
                ),
                max_size=5,
            )
        )
        entry = _raw_object([("resource", _raw_object(resource))])
        text = f'{{"resourceType": "Bundle", "type": "collection", "entry": [{entry}]}}'
    else:
        depth = draw(st.integers(min_value=90, max_value=2000))
        inner = draw(_raw_json)
        wrap = draw(st.sampled_from([("[", "]"), ('{"labs": ', "}"), ('{"a": [', "]}")]))
        text = wrap[0] * depth + inner + wrap[1] * depth
    return url, text.encode("utf-8", "surrogatepass")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request=_raw_bodies())
def test_raw_json_never_gives_500_and_always_has_the_security_headers(
    request: tuple[str, bytes],
) -> None:
    url, body = request
    r = _shared_client().post(url, content=body, headers=JSON_HEADERS)
    assert r.status_code < 500, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    _has_security_headers(r)
    _strict(r.text)
    if r.status_code == 400:
        assert r.json()["error"].startswith("request body: ")


# --------------------------------------------------------------------------
# a slow request does not stall the others (a real server on loopback)
# --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def _server_thread(app: Any) -> Iterator[int]:
    """uvicorn serving *app* in a thread of this process, on a free loopback port."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(20)


def _request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=JSON_HEADERS)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def _timed(port: int, method: str, path: str, body: bytes | None = None) -> float:
    t0 = time.perf_counter()
    status, _ = _request(port, method, path, body)
    assert status == 200
    return time.perf_counter() - t0


def test_healthz_answers_while_a_slow_screen_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # reproduces: screening ran on the event loop, so one slow bundle held every request
    import clinscores.web.api as web_api

    entered = threading.Event()
    real = web_api.screen_any

    def slow_screen(data: Any) -> Any:
        entered.set()
        time.sleep(2.0)
        return real(data)

    monkeypatch.setattr(web_api, "screen_any", slow_screen)
    answers: list[int] = []
    with _server_thread(create_app()) as port:
        slow = threading.Thread(
            target=lambda: answers.append(
                _request(port, "POST", "/api/v1/screen", json.dumps(MINIMAL).encode())[0]
            )
        )
        slow.start()
        assert entered.wait(10)
        waits = [_timed(port, "GET", "/healthz") for _ in range(3)]
        assert slow.is_alive()  # the slow screen was still running
        slow.join(20)
    assert answers == [200]
    assert max(waits) < 0.5, waits


def test_a_large_score_request_does_not_block_healthz_or_screening() -> None:
    # reproduces: a 10^6-row score request raised screening p99 from 0.35 s to 2.5 s
    # (here 4 x 10^5 rows, 6 MB, answered in the worker process: the longest wait is
    # about 0.05 s; on the event loop and in a thread it was about 1 s.  The server
    # runs in a process of its own, as in production, so that this test's client
    # shares no GIL with it)
    rng = np.random.default_rng(0)
    rows = 400_000
    data = {k: rng.integers(1, 29, rows) for k in ("tjc28", "sjc28", "esr", "ptga_mm")}
    big = json.dumps({k: v.tolist() for k, v in data.items()}).encode()
    assert len(big) > WORKER_THRESHOLD
    record = EXAMPLES[0].read_bytes()
    port = _free_port()
    code = (
        "import uvicorn; from clinscores.web import create_app; "
        f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, log_level='warning')"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _request(port, "GET", "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        result: list[tuple[int, bytes]] = []
        thread = threading.Thread(
            target=lambda: result.append(_request(port, "POST", "/api/v1/score/das28_esr", big))
        )
        thread.start()
        waits: list[float] = []
        while thread.is_alive() and len(waits) < 400:
            waits.append(_timed(port, "GET", "/healthz"))
            waits.append(_timed(port, "POST", "/api/v1/screen", record))
        thread.join(60)
    finally:
        proc.terminate()
        proc.wait(10)
    status, answer = result[0]
    assert status == 200
    got = np.array(json.loads(answer)["result"]["das28_esr"])
    np.testing.assert_allclose(got, das28_esr(**data), rtol=0, atol=0)
    assert len(waits) >= 10, waits  # answered while the large request was in progress
    assert max(waits) < 0.5, (max(waits), len(waits))


def test_an_instrument_refusing_a_record_value_is_a_422(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the service's net for a value the record allows but an instrument refuses: no 500
    from clinscores import InputError
    from clinscores.web import api as web_api

    def refuse(data: object) -> None:
        raise InputError("esr = 0.5 is outside >= 1 (mm/h)")

    monkeypatch.setattr(web_api, "screen_any", refuse)
    r = client.post("/api/v1/screen", json={"patient_id": "x"})
    assert r.status_code == 422, r.text
    assert "esr = 0.5" in r.json()["error"]
    assert r.headers["x-content-type-options"] == "nosniff"


# --------------------------------------------------------------------------
# the endpoints of the pages: examples, BILAG-2004 of a form, categories
# --------------------------------------------------------------------------


def test_examples_list_every_example_with_its_description(client: TestClient) -> None:
    r = client.get("/api/v1/examples")
    assert r.status_code == 200
    listing = r.json()
    assert [e["name"] for e in listing] == examples.names()
    records = [e for e in listing if e["kind"] == "patient_record"]
    assert len(records) == 12  # an eligible, a not eligible, an incomplete per disease
    for e in records:
        record = examples.load(e["name"])
        assert e["patient_id"] == record["patient_id"]
        assert e["disease"] == record["disease"]
        assert e["description"] in examples.describe(e["name"])
    schema = openapi()["components"]["schemas"]["Example"]
    for e in listing:
        jsonschema.validate(e, schema)


@pytest.mark.parametrize("name", examples.names())
def test_one_example_is_the_file_shipped(client: TestClient, name: str) -> None:
    r = client.get(f"/api/v1/examples/{name}")
    assert r.status_code == 200
    assert r.json() == examples.load(name)


def test_an_unknown_example_is_a_404_naming_the_examples(client: TestClient) -> None:
    r = client.get("/api/v1/examples/ra_maybe")
    assert r.status_code == 404
    assert "ra_maybe" in r.json()["error"] and "ra_eligible" in r.json()["error"]
    # a path that only looks like a file of the package is not read
    assert client.get("/api/v1/examples/..%2Fpatient.schema").status_code == 404


def _sle_form() -> dict[str, Any]:
    sle = examples.load("sle_eligible")["sle"]
    return {**sle["bilag2004_form"], "recorded": sle["bilag2004_grades"]}


def test_bilag2004_of_the_sle_example_is_what_the_library_explains(client: TestClient) -> None:
    body = _sle_form()
    r = client.post("/api/v1/bilag2004", json=body)
    assert r.status_code == 200, r.text
    doc = r.json()
    jsonschema.validate(doc, openapi()["components"]["schemas"]["Bilag2004Grades"])
    form = {k: v for k, v in body.items() if k != "recorded"}
    expected = bilag2004_explain(
        {int(k): v for k, v in form["items"].items()},
        previous={int(k): v for k, v in form["previous"].items()},
        due_to_sle={int(k): v for k, v in form["due_to_sle"].items()},
        previously_active=form["previously_active"],
        recorded=body["recorded"],
        strict=False,
        others=None,
    )
    assert [s["system"] for s in doc["systems"]] == list(expected)
    for s in doc["systems"]:
        e = expected[s["system"]]
        assert (s["grade"], s["source"], tuple(s["reasons"])) == (e.grade, e.source, e.reasons)
    grades = {s: g.grade for s, g in expected.items()}
    # the form gives the grades the assessor recorded
    assert grades == body["recorded"]
    # B mucocutaneous and musculoskeletal, C haematological: 8 + 8 + 1
    assert doc["numeric"] == bilag2004_numeric(grades) == 17
    assert doc["one_a_or_two_b"] is True
    assert "item 6" in " ".join(doc["systems"][1]["reasons"])


def test_the_bilag2004_layout_is_the_form_s_systems_and_items(client: TestClient) -> None:
    r = client.get("/api/v1/bilag2004")
    assert r.status_code == 200
    layout = r.json()
    assert [s["system"] for s in layout["systems"]] == list(BILAG2004_SYSTEMS)
    numbers = [n for s in layout["systems"] for n in s["items"]]
    assert numbers == sorted(numbers) == list(range(1, 98))  # items 1..97, each once
    assert layout["previous"] == [78, 79, 81, 82, 83, 84, 85, 86, 87]
    # every measured item that must be due to SLE has its flag in the record
    due = load_schema()["properties"]["sle"]["properties"]["bilag2004_form"]["properties"]
    assert [int(k) for k in due["due_to_sle"]["properties"]] == layout["due_to_sle"]


def test_a_recorded_grade_the_form_contradicts_is_named_in_words(client: TestClient) -> None:
    body = _sle_form()
    body["items"] = {**body["items"], "5": 3}  # severe skin eruption, worse: A
    r = client.post("/api/v1/bilag2004", json=body)
    assert r.status_code == 422
    assert r.json()["problems"] == [
        {
            "path": "recorded.mucocutaneous",
            "message": "the grade recorded for Mucocutaneous, B, disagrees with the form: "
            "the items give A",
        }
    ]


def test_bilag2004_without_items_is_unknown_never_zero(client: TestClient) -> None:
    doc = client.post("/api/v1/bilag2004", json={}).json()
    assert [s["grade"] for s in doc["systems"]] == [None] * 9
    assert doc["numeric"] is None and doc["one_a_or_two_b"] is None
    assert all(s["reasons"] for s in doc["systems"])


def test_bilag2004_problems_name_each_field(client: TestClient) -> None:
    r = client.post(
        "/api/v1/bilag2004",
        json={"items": {"1": 9, "200": 1}, "recorded": {"renal": "Q", "liver": "A"}, "x": 1},
    )
    assert r.status_code == 422
    paths = {p["path"] for p in r.json()["problems"]}
    assert {"x", "recorded.renal", "recorded.liver", "items.1", "items.200"} <= paths, paths
    assert client.post("/api/v1/bilag2004", json=[1]).status_code == 422
    assert client.post("/api/v1/bilag2004", json={"recorded": "A"}).status_code == 422
    bad = client.post(
        "/api/v1/bilag2004", content=b'{"items": {"1": 1, "1": 2}}', headers=JSON_HEADERS
    )
    assert bad.status_code == 400 and bad.json()["problems"]
    big = b'{"items": {"1": 0}, "pad": "' + b"x" * SCREEN_LIMIT + b'"}'
    assert client.post("/api/v1/bilag2004", content=big, headers=JSON_HEADERS).status_code == 413
    assert client.post("/api/v1/bilag2004", content=b"{}").status_code == 415


def test_bilag2004_request_schema_accepts_the_form_and_refuses_others() -> None:
    schema = openapi()["components"]["schemas"]["Bilag2004Request"]
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    assert v.is_valid(_sle_form())
    assert not v.is_valid({"items": {"1": 9}})
    assert not v.is_valid({"grades": {}})


def test_acr_eular_2016_scores_a_published_example(client: TestClient) -> None:
    # focus score >= 1 (3) and anti-SSA (3): 6 points >= 4, classified (Shiboski 2017)
    body = {
        "focus_score": 1.5,
        "anti_ssa": True,
        "ocular_staining_score": 3,
        "schirmer_mm_5min": 10,
        "unstimulated_saliva_ml_min": 0.5,
        "van_bijsterveld_score": None,
        "entry_met": True,
        "exclusion": False,
    }
    r = client.post("/api/v1/score/acr_eular_2016", json=body)
    assert r.status_code == 200, r.text
    expected = pss.acr_eular_2016(1.5, True, 3, 10, 0.5, None, entry_met=True, exclusion=False)
    assert (expected.points, expected.classified) == (6, True)
    assert r.json()["result"] == {
        "acr_eular_2016_points": 6,
        "acr_eular_2016_classified": True,
        "acr_eular_2016_entry_met": True,
    }
    # an unknown item that could reach the threshold: unknown, not "not classified"
    doc = client.post(
        "/api/v1/score/acr_eular_2016",
        json={**body, "anti_ssa": None, "focus_score": 0, "schirmer_mm_5min": 3},
    ).json()
    assert doc["result"]["acr_eular_2016_points"] == 1  # Schirmer <= 5 mm (1)
    assert doc["result"]["acr_eular_2016_classified"] is None  # anti-SSA (3) would give 4


def _reported_values(decimals: int, top: float) -> np.ndarray:
    return np.round(np.arange(0, round(top * 10**decimals) + 1) / 10**decimals, decimals)


def _rule_holds(rule: str, x: float) -> bool:
    """Whether *x* meets a rule of pagedata.categories (e.g. '> 3.2 and ≤ 5.1', '6 to 10')."""
    ops = {
        "<": lambda a, b: a < b,
        "≤": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        "≥": lambda a, b: a >= b,
    }
    ok = True
    for part in rule.split(" and "):
        words = part.split()
        if len(words) == 3 and words[1] == "to":
            ok &= float(words[0]) <= x <= float(words[2])
        elif len(words) == 1:
            ok &= x == float(words[0])
        else:
            ok &= ops[words[0]](x, float(words[1]))
    return bool(ok)


@pytest.mark.parametrize(
    ("name", "category", "decimals", "top"),
    [
        ("das28_esr", das28_activity, 2, 10),
        ("cdai", cdai_activity, 1, 76),
        ("sdai", sdai_activity, 1, 86),
        ("sledai2k", sledai2k_activity, 0, 105),
        ("essdai", essdai_activity, 0, 123),
    ],
)
def test_each_cut_off_shown_is_the_one_the_library_applies(
    name: str, category: Any, decimals: int, top: float
) -> None:
    """Every reportable value falls in exactly the category whose rule it meets."""
    rules = categories(name)
    assert rules
    for x in _reported_values(decimals, top):
        meets = [r["category"] for r in rules if _rule_holds(r["rule"], float(x))]
        assert meets == [str(category(float(x)))], (name, x, meets)


def test_the_cut_offs_of_esspri_and_of_the_classifications() -> None:
    for x in _reported_values(2, 10):
        meets = [r["category"] for r in categories("esspri") if _rule_holds(r["rule"], x)]
        assert meets == [
            "acceptable symptom state" if esspri_pass(float(x)) else "unsatisfactory"
        ], x
    for name, threshold in (
        ("acr_eular_2010", 6),
        ("eular_acr_2019", 10),
        ("acr_eular_2016", 4),
        ("acr_eular_2013", 9),
    ):
        rules = categories(name)
        assert rules[0]["rule"].startswith(f"≥ {threshold} points"), name
        assert rules[1] == {"category": "not classified", "rule": f"< {threshold} points"}
    assert categories("mrss") == categories("haq_di") == categories("cockcroft_gault") == []
