"""The screening and calculator pages in a real browser (headless Chromium).

Playwright drives the system Chromium (``/usr/bin/chromium``, from the
system package manager; never a browser downloaded by Playwright) against
``clinscores serve`` started on loopback on a free port.  One browser and
one server for the module; one page for the twelve example patients.

What a clinician does is what is tested: load each example patient through
its button, enter the RA example by hand (and with the keyboard alone),
read the verdict and its reasons, follow a reason to its field, print the
screening sheet, use each calculator.  No record key may show; axe-core
(``axe.min.js`` of the PyPI package ``axe-playwright-python``) finds no
serious or critical violation.  The run takes the screenshots of the docs
page ``web.md``; it writes them to ``docs/assets/`` only when asked
(``CLINSCORES_SCREENSHOTS=docs/assets python -m pytest
tests/web/test_browser.py``), so a test run never changes the checkout.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import socket
import tempfile
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
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright  # noqa: E402

from clinscores import examples  # noqa: E402
from clinscores.cli import main as cli_main  # noqa: E402
from clinscores.labs import cockcroft_gault  # noqa: E402
from clinscores.pss import acr_eular_2016, essdai  # noqa: E402
from clinscores.ra import acr_eular_2010, das28_esr  # noqa: E402
from clinscores.record import Bilag2004Form, load_schema  # noqa: E402
from clinscores.sle import eular_acr_2019, sledai2k  # noqa: E402
from clinscores.ssc import acr_eular_2013  # noqa: E402
from clinscores.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
#: Where the docs' screenshots go: docs/assets when CLINSCORES_SCREENSHOTS names it,
#: else a temporary folder (the screenshots are still taken, so their code runs).
ASSETS = Path(os.environ.get("CLINSCORES_SCREENSHOTS") or tempfile.mkdtemp(prefix="shots-"))
RECORDS = [n for n in examples.names() if not n.endswith("_bundle")]
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
VIEWPORT = {"width": 1280, "height": 1000}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module")
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


@contextlib.contextmanager
def _context(browser: Browser, base_url: str, **options: Any) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(
        base_url=base_url, viewport=VIEWPORT, locale="en-US", **options
    )
    pg = context.new_page()
    outside, errors = _watch(pg, base_url)
    try:
        yield pg
    finally:
        context.close()
    assert outside == [], outside
    assert errors == [], errors


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    with _context(browser, base_url) as pg:
        yield pg


@pytest.fixture(scope="module")
def screening_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """One screening page for all the examples (each load replaces the result)."""
    with _context(browser, base_url) as pg:
        _open(pg)
        yield pg


@pytest.fixture(scope="module")
def calculators_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """One calculators page for all the calculators."""
    with _context(browser, base_url) as pg:
        _open(pg, "/calculators")
        yield pg


def _open(page: Page, url: str = "/") -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "1")


def _count(page: Page) -> int:
    return int(page.locator("body").get_attribute("data-screened") or 0)


def _screened(page: Page, n: int) -> None:
    expect(page.locator("body")).to_have_attribute("data-screened", str(n))


def _load(page: Page, name: str) -> None:
    before = _count(page)
    page.click(f"button[data-example='{name}']")
    _screened(page, before + 1)


@pytest.fixture(scope="module")
def command_documents() -> dict[str, dict[str, Any]]:
    """What ``clinscores screen --example NAME --json`` prints, per example."""
    out: dict[str, dict[str, Any]] = {}
    for name in RECORDS:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            cli_main(["screen", "--example", name, "--json"])
        out[name] = json.loads(buffer.getvalue())
    return out


def _record_keys() -> set[str]:
    """The leaf names of the record schema that hold an underscore (``wbc_1e9_l``)."""
    keys: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                if "_" in key:
                    keys.add(key)
                walk(sub)
            for sub in node.values():
                if isinstance(sub, (dict, list)):
                    walk(sub)
        elif isinstance(node, list):
            for sub in node:
                walk(sub)

    walk(load_schema())
    return keys


RECORD_KEYS = _record_keys()


def _keys_shown(page: Page) -> list[str]:
    text = page.evaluate("document.body.innerText")
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    return sorted(words & RECORD_KEYS)


def _check_against_command(page: Page, doc: dict[str, Any]) -> None:
    """The page shows the verdict and every criterion's status that the command prints."""
    expect(page.locator("#verdict")).to_have_attribute("data-status", doc["status"])
    shown = page.eval_on_selector_all(
        "#criteria tbody tr", "rows => rows.map(r => [r.id, r.dataset.status])"
    )
    assert shown == [[f"c-{c['id']}", c["status"]] for c in doc["criteria"]]
    expect(page.locator("#verdict-meta")).to_contain_text(doc["patient_id"])
    if doc["status"] == "not_eligible":
        # the reasons are the criteria against the patient, no other
        against = [
            c["id"]
            for c in doc["criteria"]
            if (c["kind"] == "inclusion" and c["status"] == "not_met")
            or (c["kind"] == "exclusion" and c["status"] == "met")
        ]
        listed = page.eval_on_selector_all(
            "#failing-list > li", "items => items.map(i => i.dataset.criterion)"
        )
        assert listed == against and against
    if doc["status"] == "incomplete":
        missing = page.eval_on_selector_all(
            "#missing-list > li", "items => items.map(i => i.dataset.missing)"
        )
        assert missing == doc["missing"] and missing
        for m in doc["missing"]:  # each missing field (each alternative) links to its input
            for alt in m.split(" or "):
                assert page.locator(f"#missing-list a.path[data-path='{alt}']").count() >= 1


# --------------------------------------------------------------------------
# the twelve example patients
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", RECORDS)
def test_each_example_loaded_through_its_button_gives_the_command_s_screen(
    screening_page: Page, command_documents: dict[str, dict[str, Any]], name: str
) -> None:
    page = screening_page
    _load(page, name)
    doc = command_documents[name]
    _check_against_command(page, doc)
    # the symbols mean good or bad for the patient, whatever the criterion's kind
    for c in doc["criteria"]:
        row = page.locator(f"#c-{c['id']}")
        favour = row.get_attribute("data-favour")
        if c["status"] in ("unknown", "not_applicable"):
            assert favour == {"unknown": "unknown", "not_applicable": "na"}[c["status"]]
        else:
            good = (c["kind"] == "inclusion") == (c["status"] == "met")
            assert favour == ("ok" if good else "fail"), c["id"]
            assert row.locator(".sym").inner_text() == ("✓" if good else "✗")
    # the form shows the record's disease, and the example's values
    expect(page.locator(f"#f-disease-{doc['disease']}")).to_be_checked()
    expect(page.locator(f"[id='f-{doc['disease']}']")).to_be_visible()
    expect(page.locator("[id='f-patient_id']")).to_have_value(doc["patient_id"])
    # no record key anywhere in what the page shows
    assert _keys_shown(page) == [], name
    # units as a clinician writes them, in the reasons too (the command's JSON
    # keeps "x10^9/L"; the page rewrites it as the notebook and the text do)
    shown = page.evaluate("document.body.innerText")
    assert not re.search(r"x ?10\^9|umol/|>=|<=", shown), name
    if any("10^9/L" in c["reason"] for c in doc["criteria"]):
        assert "×10⁹/L" in page.locator("#criteria").inner_text(), name
    if name == "ra_not_eligible":
        page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
        page.screenshot(
            path=str(ASSETS / "web-screening-ra.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1280, "height": 1500},
        )


def test_a_missing_field_and_a_failing_criterion_each_move_the_focus_to_an_input(
    screening_page: Page,
) -> None:
    page = screening_page
    _load(page, "ra_incomplete")
    first = page.locator("#missing-list a.path").first
    target = first.get_attribute("data-path")
    first.click()
    assert page.evaluate("document.activeElement.id") == f"f-{target}"
    _load(page, "ra_not_eligible")
    link = page.locator("#failing-list a.path").first
    path = link.get_attribute("data-path")
    link.click()
    focused = page.evaluate("document.activeElement.id")
    assert focused == f"f-{path}", (focused, path)
    assert page.evaluate("document.activeElement.tagName") in ("INPUT", "SELECT", "TEXTAREA")


def test_a_value_of_a_folded_group_opens_it(screening_page: Page) -> None:
    # I7 of SLE-001 uses the BILAG-2004 form, folded until opened
    page = screening_page
    _load(page, "sle_eligible")
    details = page.locator("details.fold").first
    details.evaluate("d => { d.open = false; }")
    link = page.locator("#c-I7 a.path[data-path='sle.bilag2004_form']")
    expect(link).to_have_count(1)
    link.click()
    assert details.evaluate("d => d.open")
    assert page.evaluate("!!document.activeElement.closest('details.fold')")
    # the form's items system by system, each code in words, as on the paper form
    system = page.locator("[id='g-sle.bilag2004_form.items-mucocutaneous']")
    expect(system.locator("legend").first).to_have_text("Mucocutaneous")
    item = system.locator("[id='f-sle.bilag2004_form.items.6']")
    assert item.evaluate("s => s.selectedOptions[0].text") == "2 same"


# --------------------------------------------------------------------------
# the form, by hand
# --------------------------------------------------------------------------


def _analyte_fields(page: Page) -> dict[str, tuple[str, str]]:
    """Record path of each unit -> (input id, unit choice value)."""
    pairs = page.eval_on_selector_all(
        "select.unit-select",
        "ss => ss.flatMap(s => [...s.options].map(o => ["
        "s.id.slice(2, -5).replace(/\\.[^.]*$/, '') + '.' + o.value, s.id.slice(0, -5), o.value"
        "]))",
    )
    return {p: (i, v) for p, i, v in pairs}


def _enter(page: Page, path: str, value: Any, analytes: dict[str, tuple[str, str]]) -> None:
    """Put *value* into the form as a person would: choose, type, add entries."""
    if isinstance(value, dict):
        for key, sub in value.items():
            _enter(page, f"{path}.{key}" if path else key, sub, analytes)
        return
    if path == "disease":
        page.check(f"#f-disease-{value}")
        return
    if path in analytes:
        input_id, unit = analytes[path]
        page.select_option(f"[id='{input_id}-unit']", value=unit)
        page.fill(f"[id='{input_id}']", str(value))
        return
    if isinstance(value, list) and not value and page.locator(f"[id='f-{path}-none']").count():
        page.check(f"[id='f-{path}-none']")  # a list of courses known to be empty
        return
    if isinstance(value, list) and value and isinstance(value[0], dict):
        box = page.locator(f"[id='f-{path}']")
        for i, item in enumerate(value):
            box.locator(".actions-row > button.add").click()
            _enter(page, f"{path}[{i}]", item, analytes)
        return
    control = page.locator(f"[id='f-{path}']")
    if control.evaluate("e => e.tagName") == "SELECT":
        control.select_option(value=json.dumps(value))
    elif isinstance(value, list):
        control.fill(", ".join(value) if value else "none")
    else:
        control.fill(str(value))


def test_the_ra_example_entered_by_hand_gives_the_command_s_screen(
    page: Page, command_documents: dict[str, dict[str, Any]]
) -> None:
    record = examples.load("ra_eligible")
    _open(page)
    # the disease first: the form, then only that disease's fields
    expect(page.locator("#form")).to_be_hidden()
    page.check("#f-disease-ra")
    expect(page.locator("[id='f-ra']")).to_be_visible()
    expect(page.locator("[id='f-sle']")).to_be_hidden()
    _enter(page, "", record, _analyte_fields(page))
    page.click("#screen-form")
    _screened(page, 1)
    _check_against_command(page, command_documents["ra_eligible"])
    # the form gave back the record that was entered
    assert json.loads(page.locator("#json").input_value()) == record


def _tab_to(page: Page, wanted: str, limit: int = 400) -> None:
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == wanted:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached #{wanted}")


def _type_date(page: Page, iso: str) -> None:
    y, m, d = iso.split("-")
    page.keyboard.type(m + d + y)  # en-US: month, day, year


def test_the_ra_form_with_the_keyboard_alone(
    page: Page, command_documents: dict[str, dict[str, Any]]
) -> None:
    record = examples.load("ra_eligible")
    record["patient_id"] = "RA-KEYS"
    doc = {**command_documents["ra_eligible"], "patient_id": "RA-KEYS"}
    _open(page)
    page.locator("body").focus()
    # the disease: Tab to the first choice, arrows to rheumatoid arthritis
    _tab_to(page, "f-disease-ra")
    page.keyboard.press("Space")
    expect(page.locator("#f-disease-ra")).to_be_checked()
    analytes = _analyte_fields(page)
    steps: list[tuple[str, Any]] = []

    def plan(path: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                plan(f"{path}.{key}" if path else key, sub)
        elif path != "disease":
            steps.append((path, value))

    plan("", record)
    order = page.eval_on_selector_all("#form [id^='f-']", "ns => ns.map(n => n.id)")
    position = {id_: i for i, id_ in enumerate(order)}

    def where(step: tuple[str, Any]) -> int:
        path, _ = step
        if path in analytes:
            return position[analytes[path][0]]
        return position.get(f"f-{path}", position.get(f"f-{path}-none", 10**6))

    for path, value in sorted(steps, key=where):
        if path in analytes:
            input_id, unit = analytes[path]
            _tab_to(page, input_id)
            page.keyboard.type(str(value))
            _tab_to(page, f"{input_id}-unit")
            select = page.locator(f"[id='{input_id}-unit']")
            have, want = select.evaluate(
                "(s, v) => [s.selectedIndex, [...s.options].findIndex(o => o.value === v)]", unit
            )
            for _ in range(abs(want - have)):
                page.keyboard.press("ArrowDown" if want > have else "ArrowUp")
            assert select.input_value() == unit
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for i, item in enumerate(value):
                _tab_to(page, f"f-{path}-add")
                page.keyboard.press("Enter")
                for key, sub in item.items():
                    _enter_key(page, f"{path}[{i}].{key}", sub)
            continue
        if isinstance(value, list) and not value and page.locator(f"[id='f-{path}-none']").count():
            _tab_to(page, f"f-{path}-none")
            page.keyboard.press("Space")
            continue
        _enter_key(page, path, value)
    _tab_to(page, "screen-form")
    page.keyboard.press("Enter")
    _screened(page, 1)
    _check_against_command(page, doc)
    assert json.loads(page.locator("#json").input_value()) == record


def _enter_key(page: Page, path: str, value: Any) -> None:
    """Tab to the input of *path* and type *value* (a select: its option's text)."""
    _tab_to(page, f"f-{path}")
    control = page.locator(f"[id='f-{path}']")
    tag, kind = control.evaluate("e => [e.tagName, e.type]")
    if tag == "SELECT":
        text = control.locator(f"option[value='{json.dumps(value)}']").inner_text()
        page.keyboard.type(text)
        assert control.input_value() == json.dumps(value), path
    elif kind == "date":
        _type_date(page, value)
    elif isinstance(value, list):
        page.keyboard.type(", ".join(value) if value else "none")
    else:
        page.keyboard.type(str(value))


def test_an_invalid_value_is_listed_in_the_error_summary_with_a_link_to_its_field(
    page: Page,
) -> None:
    _open(page)
    page.check("#f-disease-ra")
    page.fill("[id='f-patient_id']", "RA-ERR")
    page.fill("[id='f-screening_date']", "2026-10-05")
    page.fill("[id='f-labs.alt_u_l']", "-3")
    page.fill("[id='f-ra.tjc28']", "40")
    page.click("#screen-form")
    _screened(page, 1)
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    links = summary.locator("a.path")
    assert sorted(links.evaluate_all("ls => ls.map(l => l.dataset.path)")) == [
        "labs.alt_u_l",
        "ra.tjc28",
    ]
    assert _keys_shown(page) == []
    links.first.click()
    focused = page.evaluate("document.activeElement.id")
    assert focused in ("f-labs.alt_u_l", "f-ra.tjc28")
    # the field says what is wrong, and is marked invalid
    expect(page.locator("[id='f-ra.tjc28-error']")).to_be_visible()
    expect(page.locator("[id='f-ra.tjc28']")).to_have_attribute("aria-invalid", "true")


def test_a_result_beyond_a_limit_is_entered_with_its_sign(page: Page) -> None:
    _open(page)
    page.check("#f-disease-ra")
    page.fill("[id='f-patient_id']", "RA-LOW")
    page.fill("[id='f-screening_date']", "2026-10-05")
    page.fill("[id='f-labs.wbc_1e9_l']", "< 2.5")
    page.click("#screen-form")
    _screened(page, 1)
    record = json.loads(page.locator("#json").input_value())
    assert record["labs"] == {"wbc_1e9_l": {"comparator": "<", "value": 2.5}}
    # below 2.5 is below 3 x10^9/L whatever the true value: I2 is not met
    expect(page.locator("#c-I2")).to_have_attribute("data-status", "not_met")
    expect(page.locator("#failing-list li[data-criterion='I2']")).to_have_count(1)


def test_the_form_has_an_input_for_every_field_of_the_schema(page: Page) -> None:
    _open(page)
    ids = set(page.eval_on_selector_all("[id^='f-']", "nodes => nodes.map(n => n.id.slice(2))"))
    analytes = set(_analyte_fields(page))
    expected: set[str] = set()

    def walk(node: dict[str, Any], path: str = "") -> None:
        if path:
            expected.add(path)
        if node.get("type") == "object" and "properties" in node:
            for key, sub in node["properties"].items():
                walk(sub, f"{path}.{key}" if path else key)

    walk(load_schema())
    lacking = sorted(expected - ids - analytes)
    assert lacking == [], lacking[:10]
    # one input per analyte: its other units are choices, not inputs
    assert analytes, "no analyte has a unit choice"
    for path in analytes:
        assert (f"f-{path}" in {f"f-{i}" for i in ids}) or page.locator(
            f"[id='f-{path}']"
        ).count() == 0


def test_every_input_has_a_bound_label(screening_page: Page, calculators_page: Page) -> None:
    script = """() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && e.labels.length === 0)
        .map(e => e.id || e.name || e.outerHTML.slice(0, 80))"""
    _load(screening_page, "sle_eligible")
    assert screening_page.evaluate(script) == []
    assert calculators_page.evaluate(script) == []
    # and the label says something
    empty = """() => [...document.querySelectorAll('label')]
        .filter(l => !l.textContent.trim()).map(l => l.htmlFor)"""
    assert screening_page.evaluate(empty) == []
    assert calculators_page.evaluate(empty) == []


def test_the_form_follows_what_the_schema_says(page: Page) -> None:
    """A schema with kinds the record may gain ($ref, nullable types, open objects)."""
    schema = load_schema()
    schema["$defs"] = {"scale": {"type": ["integer", "null"], "minimum": 0, "maximum": 4}}
    schema["properties"]["sle"]["properties"]["synthetic"] = {
        "type": "object",
        "title": "Synthetic",
        "properties": {
            "items": {
                "type": "object",
                "title": "Items",
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
    page.check("#f-disease-sle")
    page.select_option("[id='f-sle.synthetic.items.1']", value="3")
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
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-list")).to_contain_text("Synthetic")


def test_a_record_text_is_shown_as_text_never_run(page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open(page)
    payload = "<script>alert(1)</script>"
    record = {"patient_id": payload, "disease": "ra", "screening_date": "2026-10-05"}
    page.locator("#json-section > summary").click()
    page.fill("#json", json.dumps(record))
    page.click("#screen-json")
    _screened(page, 1)
    expect(page.locator("#verdict-meta")).to_contain_text(payload)
    assert page.locator("#result script").count() == 0
    # an invalid record whose text comes back in the problems
    bad = {**record, "patient_id": "<img src=x onerror=alert(2)>", "<b onmouseover=alert(3)>": 1}
    page.fill("#json", json.dumps(bad))
    page.click("#screen-json")
    _screened(page, 2)
    expect(page.locator("#error-summary")).to_contain_text("<b onmouseover=alert(3)>")
    assert page.locator("#error-summary img, #error-summary b, #result img").count() == 0
    page.wait_for_timeout(200)
    assert dialogs == []


def test_an_uploaded_file_is_screened(page: Page) -> None:
    _open(page)
    page.locator("#json-section > summary").click()
    page.set_input_files("#file", str(examples.path("pss_not_eligible")))
    _screened(page, 1)
    expect(page.locator("#verdict")).to_have_attribute("data-status", "not_eligible")


def test_without_javascript_the_page_says_what_to_use_instead(
    browser: Browser, base_url: str
) -> None:
    with _context(browser, base_url, java_script_enabled=False) as page:
        page.goto("/")
        text = page.locator("body").inner_text()
        assert "needs JavaScript" in text
        assert "/api/v1/screen" in text and "clinscores screen" in text
        page.goto("/calculators")
        assert "needs JavaScript" in page.locator("body").inner_text()


# --------------------------------------------------------------------------
# the print sheet
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sle_eligible", "ra_incomplete"])
def test_the_printed_sheet_holds_patient_verdict_and_every_criterion(
    screening_page: Page, command_documents: dict[str, dict[str, Any]], name: str, tmp_path: Path
) -> None:
    pypdf = pytest.importorskip("pypdf")
    page = screening_page
    _load(page, name)
    pdf = tmp_path / "sheet.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    reader = pypdf.PdfReader(str(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    doc = command_documents[name]
    assert doc["patient_id"] in text
    assert {"eligible": "Eligible", "incomplete": "Incomplete"}[doc["status"]] in text
    assert doc["screening_date"] in text
    assert doc["clinscores_version"] in text
    for c in doc["criteria"]:
        assert re.search(rf"\b{c['id']}\b", text), c["id"]
    assert len(reader.pages) == 1  # one sheet
    # the form, the examples and the buttons are not printed
    assert "load an example" not in text.lower() and "screen this patient" not in text.lower()


# --------------------------------------------------------------------------
# the calculators
# --------------------------------------------------------------------------


def _result(page: Page, name: str, output: str) -> Any:
    cell = page.locator(f"#out-{name} .out-{output}")
    return cell


def test_no_record_key_on_the_pages(page: Page, calculators_page: Page) -> None:
    _open(page)
    assert _keys_shown(page) == []
    assert _keys_shown(calculators_page) == []
    page.check("#f-disease-ra")  # the disease first: then its fields
    assert _keys_shown(page) == []
    # before anything is typed a result is a dash, never "unknown"
    text = calculators_page.locator("#calc-das28_esr .output").inner_text()
    assert "—" in text and "unknown" not in text.lower()
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(
        path=str(ASSETS / "web-screening.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": 1280, "height": 1500},
    )


def test_das28_calculator(calculators_page: Page) -> None:
    page = calculators_page
    for name, value in {"tjc28": 6, "sjc28": 4, "esr": 38, "ptga_mm": 55}.items():
        page.fill(f"#p-das28_esr-{name}", str(value))
    expect(_result(page, "das28_esr", "das28_esr")).to_have_text("5.25")
    assert round(das28_esr(6, 4, 38, 55), 2) == 5.25
    expect(_result(page, "das28_esr", "das28_esr_category")).to_have_text("High")
    expect(page.locator("#out-das28_esr .cutoffs li.decided")).to_contain_text("> 5.1")
    # an invalid value shows the error text, in the words of the form
    page.fill("#p-das28_esr-tjc28", "40")
    error = page.locator("#out-das28_esr .error")
    expect(error).to_contain_text("Tender joint count (28 joints) = 40")
    expect(error).to_contain_text("0 to 28")
    expect(page.locator("#p-das28_esr-tjc28")).to_have_attribute("aria-invalid", "true")
    assert "tjc28" not in error.inner_text()
    page.fill("#p-das28_esr-tjc28", "6")
    expect(_result(page, "das28_esr", "das28_esr")).to_have_text("5.25")
    expect(page.locator("#p-das28_esr-tjc28")).not_to_have_attribute("aria-invalid", "true")
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(
        path=str(ASSETS / "web-calculators.png"),
        clip={"x": 0, "y": 0, "width": 1280, "height": 1100},
    )


def test_cdai_calculator(calculators_page: Page) -> None:
    page = calculators_page
    for name, value in {"tjc28": 2, "sjc28": 0, "ptga_cm": 0.6, "evga_cm": 0.2}.items():
        page.fill(f"#p-cdai-{name}", str(value))
    expect(_result(page, "cdai", "cdai")).to_have_text("2.8")
    expect(_result(page, "cdai", "cdai_category")).to_have_text("Remission")
    expect(page.locator("#out-cdai .cutoffs li.decided")).to_contain_text("≤ 2.8")


def test_sledai2k_descriptors_are_checkboxes(calculators_page: Page) -> None:
    page = calculators_page
    present = ["arthritis", "rash", "low_complement", "increased_dna_binding"]
    boxes = page.locator("#calc-sledai2k input[type='checkbox']")
    assert boxes.count() == 24
    for d in present:
        page.check(f"#p-sledai2k-{d}")
    flags = {d: d in present for d in boxes.evaluate_all("bs => bs.map(b => b.name)")}
    expected = sledai2k(**flags)  # 4 + 2 + 2 + 2
    assert expected == 10
    expect(_result(page, "sledai2k", "sledai2k")).to_have_text(str(expected))
    expect(_result(page, "sledai2k", "sledai2k_category")).to_have_text("Moderate")
    expect(page.locator("#out-sledai2k .cutoffs li.decided")).to_contain_text("6 to 10")


def test_essdai_domain_levels(calculators_page: Page) -> None:
    page = calculators_page
    levels = {"articular": "moderate", "glandular": "low", "biological": "low"}
    selects = page.locator("#calc-essdai select")
    domains = selects.evaluate_all("ss => ss.map(s => s.name)")
    assert len(domains) == 12
    for d in domains:
        page.select_option(f"#p-essdai-{d}", value=json.dumps(levels.get(d, "no")))
    expected = essdai(**{d: levels.get(d, "no") for d in domains})  # 2*2 + 2*1 + 1*1
    assert expected == 7
    expect(_result(page, "essdai", "essdai")).to_have_text("7")
    expect(_result(page, "essdai", "essdai_category")).to_have_text("Moderate")


def test_ra_2010_criteria(calculators_page: Page) -> None:
    page = calculators_page
    values = {
        "large_joints": "2",
        "small_joints": "4",
        "symptom_duration_weeks": "8",
    }
    for k, v in values.items():
        page.fill(f"#p-acr_eular_2010-{k}", v)
    page.select_option("#p-acr_eular_2010-rf", value=json.dumps("high_positive"))
    page.select_option("#p-acr_eular_2010-acpa", value=json.dumps("negative"))
    page.select_option("#p-acr_eular_2010-abnormal_crp", value="true")
    page.select_option("#p-acr_eular_2010-abnormal_esr", value="false")
    expected = acr_eular_2010(
        large_joints=2,
        small_joints=4,
        rf="high_positive",
        acpa="negative",
        abnormal_crp=True,
        abnormal_esr=False,
        symptom_duration_weeks=8,
    )  # joints 3 (4 small), serology 3, acute phase 1, duration 1
    assert (expected.points, expected.classified) == (8, True)
    expect(_result(page, "acr_eular_2010", "acr_eular_2010_points")).to_have_text("8")
    expect(_result(page, "acr_eular_2010", "acr_eular_2010_classified")).to_have_text("Yes")
    expect(page.locator("#out-acr_eular_2010 .cutoffs li.decided")).to_contain_text("≥ 6")


def test_sle_2019_criteria(calculators_page: Page) -> None:
    page = calculators_page
    present = ["ana_positive", "joint_involvement", "acute_cutaneous_lupus", "low_c3", "anti_dsdna"]
    boxes = page.locator("#calc-eular_acr_2019 input[type='checkbox']")
    names = boxes.evaluate_all("bs => bs.map(b => b.name)")
    for d in present:
        page.check(f"#p-eular_acr_2019-{d}")
    flags = {d: d in present for d in names}
    expected = eular_acr_2019(**flags)  # joints 6, acute cutaneous 6, low C3 3, dsDNA 6
    assert (expected.points, expected.classified) == (21, True)
    expect(_result(page, "eular_acr_2019", "eular_acr_2019_points")).to_have_text("21")
    expect(_result(page, "eular_acr_2019", "eular_acr_2019_classified")).to_have_text("Yes")


def test_pss_2016_criteria(calculators_page: Page) -> None:
    page = calculators_page
    page.fill("#p-acr_eular_2016-focus_score", "1.5")
    page.select_option("#p-acr_eular_2016-anti_ssa", value="false")
    page.fill("#p-acr_eular_2016-ocular_staining_score", "6")
    page.fill("#p-acr_eular_2016-schirmer_mm_5min", "12")
    page.fill("#p-acr_eular_2016-unstimulated_saliva_ml_min", "0.05")
    page.select_option("#p-acr_eular_2016-entry_met", value="true")
    page.select_option("#p-acr_eular_2016-exclusion", value="false")
    expected = acr_eular_2016(1.5, False, 6, 12, 0.05, None, entry_met=True, exclusion=False)
    # focus score 3, ocular staining 1, saliva 1 (Shiboski 2017, Table 3)
    assert (expected.points, expected.classified) == (5, True)
    expect(_result(page, "acr_eular_2016", "acr_eular_2016_points")).to_have_text("5")
    expect(_result(page, "acr_eular_2016", "acr_eular_2016_classified")).to_have_text("Yes")


def test_ssc_2013_criteria(calculators_page: Page) -> None:
    page = calculators_page
    present = ["sclerodactyly", "raynaud_phenomenon", "anti_topoisomerase_i"]
    names = page.locator("#calc-acr_eular_2013 input[type='checkbox']").evaluate_all(
        "bs => bs.map(b => b.name)"
    )
    for d in present:
        page.check(f"#p-acr_eular_2013-{d}")
    expected = acr_eular_2013(**{d: d in present for d in names})  # 4 + 3 + 3
    assert (expected.points, expected.classified) == (10, True)
    expect(_result(page, "acr_eular_2013", "acr_eular_2013_points")).to_have_text("10")


def test_cockcroft_gault_with_its_unit_choice(calculators_page: Page) -> None:
    page = calculators_page
    page.fill("#p-cockcroft_gault-age", "54")
    page.fill("#p-cockcroft_gault-weight_kg", "64")
    page.select_option("#p-cockcroft_gault-female", value="true")
    unit = page.locator("[id$='-unit'][id^='p-cockcroft_gault-']")
    assert unit.count() == 1  # one creatinine input, with a unit choice
    input_id = unit.get_attribute("id")[: -len("-unit")]
    unit.select_option(value="creatinine_umol_l")
    page.fill(f"#{input_id}", "68")
    expected = round(cockcroft_gault(54, 64, True, creatinine_umol_l=68), 1)
    expect(_result(page, "cockcroft_gault", "cockcroft_gault")).to_have_text(str(expected))
    unit.select_option(value="creatinine_mg_dl")
    page.fill(f"#{input_id}", "0.9")
    expected = round(cockcroft_gault(54, 64, True, creatinine_mg_dl=0.9), 1)
    expect(_result(page, "cockcroft_gault", "cockcroft_gault")).to_have_text(str(expected))


def test_bilag2004_on_the_sle_example_s_form(calculators_page: Page) -> None:
    page = calculators_page
    sle = examples.load("sle_eligible")["sle"]
    form = Bilag2004Form(**sle["bilag2004_form"])
    expected = form.explain(sle["bilag2004_grades"])
    page.click("#bilag-example")
    out = page.locator("#out-bilag2004")
    expect(out).to_have_attribute("data-state", "ok")
    for system, g in expected.items():
        expect(page.locator(f"#grade-{system}")).to_have_attribute("data-grade", g.grade or "")
        for reason in g.reasons:
            expect(page.locator(f"#grade-{system}")).to_contain_text(reason[:20], ignore_case=True)
    expect(page.locator("#out-bilag2004 .out-bilag2004_numeric")).to_have_text("17")
    assert _keys_shown(page) == []  # the grades and reasons in words
    # by hand: a severe skin eruption, worse, makes the mucocutaneous system A,
    # which the grade recorded (B) contradicts: the page says so
    page.select_option("#b-items-5", value="3")
    expect(out).to_have_attribute("data-state", "error")
    expect(out).to_contain_text("recorded for Mucocutaneous, B, disagrees")
    page.select_option("#b-recorded-mucocutaneous", value="")
    expect(page.locator("#grade-mucocutaneous")).to_have_attribute("data-grade", "A")
    items = {int(k): v for k, v in sle["bilag2004_form"]["items"].items()}
    items[5] = 3
    changed = Bilag2004Form(
        **{**sle["bilag2004_form"], "items": {str(k): v for k, v in items.items()}}
    ).explain({**sle["bilag2004_grades"], "mucocutaneous": None})
    assert changed["mucocutaneous"].grade == "A"
    expect(page.locator("#out-bilag2004 .out-bilag2004_numeric")).to_have_text("21")


# --------------------------------------------------------------------------
# accessibility: axe-core
# --------------------------------------------------------------------------


def _axe_path() -> Path:
    axe = pytest.importorskip(
        "axe_playwright_python", reason="axe-playwright-python is not installed (dev extra)"
    )
    path = Path(axe.__file__).parent / "axe.min.js"
    assert path.exists()
    return path


def _serious(page: Page) -> list[tuple[str, str, list[str]]]:
    page.add_script_tag(path=str(_axe_path()))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [n["target"][0] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_violation(browser: Browser, base_url: str) -> None:
    # the pages' CSP refuses inline scripts: the test context bypasses it for axe
    with _context(browser, base_url, bypass_csp=True) as page:
        _open(page)
        assert _serious(page) == []
        _load(page, "ra_not_eligible")
        assert _serious(page) == []
        _load(page, "sle_incomplete")
        assert _serious(page) == []
        _open(page, "/calculators")
        page.fill("#p-das28_esr-tjc28", "3")
        assert _serious(page) == []


def test_no_browser_download() -> None:
    # the tests use the system Chromium only
    assert shutil.which("chromium") or CHROMIUM.exists()
