"""The screening and calculator pages in a real browser (headless Chromium).

Playwright drives the system Chromium (``/usr/bin/chromium``, from the
system package manager; never a browser downloaded by Playwright) against
``clinscores serve`` started on loopback on a free port.  One browser for
the whole session.  The run saves a screenshot of the screening page to
``docs/assets/web-screening.png`` (shown on the docs page ``web.md``).
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

pytest.importorskip("starlette", reason="the web extra is not installed: pip install '.[web]'")
pytest.importorskip("playwright", reason="playwright is not installed: pip install playwright")
CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "Chromium not found at /usr/bin/chromium; install it with "
        "`apt-get update && apt-get install -y chromium` (as root; .ci/run does this)",
        allow_module_level=True,
    )

import uvicorn  # noqa: E402
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from clinscores.eligibility import screen  # noqa: E402
from clinscores.record import load_schema  # noqa: E402
from clinscores.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "patients").glob("*.json"))
SCREENSHOT = ROOT / "docs" / "assets" / "web-screening.png"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(allowed_hosts=["127.0.0.1"]),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _watch(pg: Page, base_url: str) -> tuple[list[str], list[str]]:
    """Abort (and list) any request that is not to this server; list script errors."""
    outside: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(base_url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    def console(m: Any) -> None:  # script errors and CSP violations; not 4xx answers
        if m.type == "error" and "responded with a status of 4" not in m.text:
            errors.append(m.text)

    pg.route("**/*", route)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", console)
    return outside, errors


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    outside, errors = _watch(pg, base_url)
    yield pg
    context.close()
    assert outside == [], outside
    assert errors == [], errors


@pytest.fixture(scope="module")
def screening_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """One screening page for all the uploads (each upload replaces the result)."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    outside, errors = _watch(pg, base_url)
    _open(pg)
    yield pg
    context.close()
    assert outside == [], outside
    assert errors == [], errors


def _open(page: Page, url: str = "/") -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "1")


def _screened(page: Page, n: int) -> None:
    expect(page.locator("body")).to_have_attribute("data-screened", str(n))


def _count(page: Page) -> int:
    return int(page.locator("body").get_attribute("data-screened") or 0)


def _check_result(page: Page, record: dict[str, Any]) -> None:
    expected = screen(record)
    expect(page.locator("#verdict")).to_have_attribute("data-status", expected.status)
    rows = page.locator("#criteria tbody tr")
    expect(rows).to_have_count(len(expected.criteria))
    shown = page.eval_on_selector_all(
        "#criteria tbody tr", "rows => rows.map(r => [r.id, r.dataset.status])"
    )
    assert shown == [[f"c-{c.id}", c.status] for c in expected.criteria]
    reasons = page.locator("#criteria tbody td:nth-child(3)").all_inner_texts()
    for text, c in zip(reasons, expected.criteria):
        assert c.title in text
    missing = page.eval_on_selector_all(
        "#missing-list li", "items => items.map(i => i.dataset.missing)"
    )
    assert missing == list(expected.missing)
    for m in expected.missing:  # each missing field (each alternative) links to its input
        for alt in m.split(" or "):
            assert page.locator(f"#missing-list a.path[data-path='{alt}']").count() >= 1, alt


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_uploaded_example_shows_verdict_and_every_criterion(
    screening_page: Page, path: Path
) -> None:
    page = screening_page
    before = _count(page)
    page.set_input_files("#file", str(path))
    _screened(page, before + 1)
    record = json.loads(path.read_text("utf-8"))
    _check_result(page, record)
    expect(page.locator("#verdict")).to_contain_text(record["patient_id"])
    if path.stem == "ra_incomplete":
        # each missing field links to its input
        first = page.locator("#missing-list a.path").first
        target = first.get_attribute("data-path")
        first.click()
        assert page.evaluate("document.activeElement.id") == f"f-{target}"
        page.evaluate("window.scrollTo(0, 0)")
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOT),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1280, "height": 1750},
        )


def _enter(page: Page, path: str, value: Any) -> None:
    """Type *value* into the form as a person would: select, type, add items."""
    if isinstance(value, dict):
        for key, sub in value.items():
            _enter(page, f"{path}.{key}" if path else key, sub)
        return
    if isinstance(value, list) and not value and page.locator(f"[id='f-{path}-none']").count():
        page.check(f"[id='f-{path}-none']")  # a list of courses known to be empty
        return
    if isinstance(value, list) and value and isinstance(value[0], dict):
        box = page.locator(f"[id='f-{path}']")
        for i, item in enumerate(value):
            box.locator(":scope > button.add").click()
            _enter(page, f"{path}[{i}]", item)
        return
    control = page.locator(f"[id='f-{path}']")
    tag = control.evaluate("e => e.tagName")
    if tag == "SELECT":
        label = (
            {True: "yes", False: "no"}.get(value, str(value))
            if isinstance(value, bool)
            else str(value)
        )
        control.select_option(label=label)
    elif isinstance(value, list):
        control.fill(", ".join(value) if value else "none")
    else:
        control.fill(str(value))


def test_eligible_ra_patient_entered_in_the_form(page: Page) -> None:
    record = json.loads((ROOT / "examples" / "patients" / "ra_eligible.json").read_text("utf-8"))
    record["patient_id"] = "RA-FORM"
    _open(page)
    # the disease first: its section of the form appears
    _enter(page, "disease", record["disease"])
    expect(page.locator("[id='f-ra']")).to_be_visible()
    expect(page.locator("[id='f-sle']")).to_be_hidden()
    _enter(page, "", record)
    page.click("#screen-form")
    _screened(page, 1)
    _check_result(page, record)
    expect(page.locator("#verdict")).to_have_attribute("data-status", "eligible")
    expect(page.locator("#verdict")).to_contain_text("RA-FORM")
    # the form gave back the record that was entered
    assert json.loads(page.locator("#json").input_value()) == record


def _leaf_paths(node: dict[str, Any], path: str = "") -> set[str]:
    """JSON paths of the inputs the form must have: every field of the schema."""
    out = {path} if path else set()
    if node.get("type") == "object" and "properties" in node:
        for key, sub in node["properties"].items():
            out |= _leaf_paths(sub, f"{path}.{key}" if path else key)
    return out


def test_the_form_has_an_input_for_every_field_of_the_schema(page: Page) -> None:
    _open(page)
    ids = set(page.eval_on_selector_all("[id^='f-']", "nodes => nodes.map(n => n.id.slice(2))"))
    expected = _leaf_paths(load_schema())
    assert expected <= ids, sorted(expected - ids)[:10]


def test_the_form_follows_what_the_schema_says(page: Page) -> None:
    """A schema with kinds the record may gain ($ref, nullable types, open objects)."""
    schema = load_schema()
    schema["$defs"] = {"scale": {"type": ["integer", "null"], "minimum": 0, "maximum": 4}}
    schema["properties"]["sle"]["properties"]["synthetic"] = {
        "type": "object",
        "properties": {
            "items": {
                "type": "object",
                "properties": {
                    "1": {"$ref": "#/$defs/scale"},
                    "78": {"type": ["number", "null"], "exclusiveMinimum": 0},
                },
            },
            "free": {"type": "object", "additionalProperties": {"type": "number"}},
            "counts": {"type": "array", "items": {"type": "number"}},
        },
    }
    page.route(
        "**/api/v1/schema/patient",
        lambda r: r.fulfill(status=200, content_type="application/json", body=json.dumps(schema)),
    )
    _open(page)
    page.select_option("[id='f-disease']", label="sle")
    page.fill("[id='f-sle.synthetic.items.1']", "3")
    page.fill("[id='f-sle.synthetic.items.78']", "120.5")
    page.fill("[id='f-sle.synthetic.free']", '{"a": 1}')
    page.fill("[id='f-sle.synthetic.counts']", "1, 2.5")
    page.fill("[id='f-patient_id']", "S-1")
    page.click("#screen-form")
    _screened(page, 1)
    record = json.loads(page.locator("#json").input_value())
    assert record == {
        "patient_id": "S-1",
        "disease": "sle",
        "sle": {
            "synthetic": {"items": {"1": 3, "78": 120.5}, "free": {"a": 1}, "counts": [1, 2.5]}
        },
    }
    # the real server does not know the field: every problem is listed
    expect(page.locator("#verdict")).to_have_attribute("data-status", "invalid")
    expect(page.locator("#problems")).to_contain_text("sle.synthetic")


def test_missing_alternatives_each_link_to_their_input(page: Page) -> None:
    _open(page)
    page.fill(
        "#json", json.dumps({"patient_id": "p", "disease": "sle", "screening_date": "2026-10-05"})
    )
    page.click("#screen-json")
    _screened(page, 1)
    _check_result(page, {"patient_id": "p", "disease": "sle", "screening_date": "2026-10-05"})
    link = page.locator("#missing-list a.path[data-path='age_years']")
    link.click()
    assert page.evaluate("document.activeElement.id") == "f-age_years"
    # a field of the disease section: the section is shown and the input focused
    sle = page.locator("#missing-list a.path[data-path^='sle.']").first
    target = sle.get_attribute("data-path")
    sle.click()
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith(f"f-{target}"), (focused, target)
    expect(page.locator("[id='f-sle']")).to_be_visible()


def test_a_record_text_is_shown_as_text_never_run(page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open(page)
    payload = "<script>alert(1)</script>"
    record = {"patient_id": payload, "disease": "ra", "screening_date": "2026-10-05"}
    page.fill("#json", json.dumps(record))
    page.click("#screen-json")
    _screened(page, 1)
    expect(page.locator("#verdict")).to_contain_text(payload)
    assert page.locator("#verdict script").count() == 0
    # an invalid record whose text comes back in the problems
    bad = {**record, "patient_id": "<img src=x onerror=alert(2)>", "<b onmouseover=alert(3)>": 1}
    page.fill("#json", json.dumps(bad))
    page.click("#screen-json")
    _screened(page, 2)
    expect(page.locator("#verdict")).to_have_attribute("data-status", "invalid")
    expect(page.locator("#problems")).to_contain_text("<b onmouseover=alert(3)>")
    assert page.locator("#result img, #result b, #result script").count() == 0
    page.wait_for_timeout(200)
    assert dialogs == []


def test_das28_calculator(page: Page) -> None:
    _open(page, "/calculators")
    for name, value in {"tjc28": 6, "sjc28": 4, "esr": 38, "ptga_mm": 55}.items():
        page.fill(f"#p-das28_esr-{name}", str(value))
    expect(page.locator("#out-das28_esr .out-das28_esr")).to_have_text("5.25")
    expect(page.locator("#out-das28_esr .out-das28_esr_category")).to_have_text("high")
    # an invalid value shows the InputError text
    page.fill("#p-das28_esr-tjc28", "40")
    expect(page.locator("#out-das28_esr .error")).to_contain_text("0 to 28")


def test_calculators_cover_the_instruments(page: Page) -> None:
    _open(page, "/calculators")
    for name in ("das28_esr", "cdai", "sdai", "sledai2k", "essdai", "esspri", "acr_eular_2010"):
        expect(page.locator(f"#calc-{name}")).to_be_visible()
    page.fill("#p-cdai-tjc28", "2")
    page.fill("#p-cdai-sjc28", "0")
    page.fill("#p-cdai-ptga_cm", "0.6")
    page.fill("#p-cdai-evga_cm", "0.2")
    expect(page.locator("#out-cdai .out-cdai")).to_have_text("2.8")
    expect(page.locator("#out-cdai .out-cdai_category")).to_have_text("remission")
    page.select_option("#p-essdai-articular", label="moderate")
    expect(page.locator("#out-essdai .out-essdai")).to_have_text("unknown")


def test_no_browser_download() -> None:
    # the tests use the system Chromium only
    assert shutil.which("chromium") or CHROMIUM.exists()
