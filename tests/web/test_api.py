"""The HTTP API of ``clinscores serve``, through the ASGI test client.

Every endpoint and every error status; the screen endpoint against
``clinscores screen --json``; the score endpoint against the in-process
functions; the security headers; and hypothesis-generated malformed
requests, none of which may give a 500.
"""

from __future__ import annotations

import argparse
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install '.[web]'")

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from clinscores import _screen_cli
from clinscores.cli import format_instrument, main
from clinscores.eligibility import screen
from clinscores.ra import acr_eular_2010, das28_activity, das28_esr
from clinscores.record import load_schema
from clinscores.registry import describe, instruments
from clinscores.web import SCORE_LIMIT, SCREEN_LIMIT, create_app, openapi

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "patients").glob("*.json"))
STATIC = ROOT / "src" / "clinscores" / "web" / "static"
DAS = {"tjc28": 6, "sjc28": 4, "esr": 38, "ptga_mm": 55}
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
    assert listing == [describe(i) for i in instruments().values()]
    # the same description gives the text of `clinscores list`
    for d, inst in zip(listing, instruments().values()):
        text = format_instrument(inst)
        assert text.startswith(f"{d['name']}: {d['summary']}")
        for p in d["parameters"]:
            assert f"{p['name']}" in text and p["text"] in text
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
    assert "40" in doc["error"] and "0..28" in doc["error"]
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
    _screen_cli.run(argparse.Namespace(patients=[path], json=True), out)
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
    _screen_cli.run(argparse.Namespace(patients=[path], json=True), out)
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
    assert r.status_code in (200, 422), (r.status_code, r.text)
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
