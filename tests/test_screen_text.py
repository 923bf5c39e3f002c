"""The text of ``clinscores screen`` as a person reads it (issue 17, item 5)."""

from __future__ import annotations

import argparse
import io
import re

import pytest
from tests.test_display import RECORD_KEYS

from clinscores import examples
from clinscores._display import mathematical
from clinscores.cli import main
from clinscores.cli.screen import PLAIN, format_table, use_color
from clinscores.screening import screen_any

PATIENTS = [n for n in examples.names() if not n.endswith("_bundle")]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _screen(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: str
) -> tuple[int, str]:
    monkeypatch.setenv("COLUMNS", "100")
    code = main(["screen", *argv])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("name", [*PATIENTS, "ra_bundle", "sle_bundle"])
def test_each_example_fits_100_columns(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # reproduces issue 17: the I6 reason was one line of about 900 characters
    _, out = _screen(capsys, monkeypatch, "--example", name)
    lines = out.splitlines()
    assert max(map(len, lines)) <= 100, max(lines, key=len)
    words = set(re.findall(r"[A-Za-z0-9_]+", out))
    assert not words & RECORD_KEYS, sorted(words & RECORD_KEYS)  # labels, not record keys


@pytest.mark.parametrize("name", PATIENTS)
def test_verdict_then_reasons_then_the_list(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # reproduces issue 17: NOT ELIGIBLE did not say why; the failing criteria were to be
    # found by eye among 21 lines
    s = screen_any(examples.load(name))
    _, out = _screen(capsys, monkeypatch, "--example", name)
    verdict = {"eligible": "ELIGIBLE", "not_eligible": "NOT ELIGIBLE", "incomplete": "INCOMPLETE"}
    assert out.startswith(f"{verdict[s.status]}: patient {s.patient_id}")
    head, _, table = out.partition("\nCriteria:\n")
    rows = [ln.split()[1] for ln in table.splitlines() if re.match(r"  \S+ +[IE]\d+ ", ln)]
    assert rows == [c.id for c in s.criteria]
    if s.status == "eligible":
        assert "Why" not in head
        return
    assert ("Why not eligible:" if s.status == "not_eligible" else "Why incomplete:") in head
    for c in s.criteria:
        bars = (c.kind == "inclusion") == (c.status == "not_met") and c.status in (
            "met",
            "not_met",
        )
        if (s.status == "not_eligible" and bars) or (
            s.status == "incomplete" and c.status == "unknown"
        ):
            assert re.search(rf"^  \S+ +{c.id} ", head, re.M), c.id
    if s.status == "incomplete":
        assert "Missing data:" in head


def test_plain_words_without_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, out = _screen(capsys, monkeypatch, "--example", "sle_not_eligible")
    assert not ANSI.search(out) and "✓" not in out and "✗" not in out
    assert "  FAIL I7 " in out and "  ok   E1   not met" in out
    assert set(PLAIN.values()) == {"ok", "FAIL", "??", "--"}


class _Tty(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def test_symbols_and_colour_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    on = argparse.Namespace(no_color=False)
    assert use_color(on, _Tty())
    assert not use_color(on, io.StringIO())  # not a terminal
    assert not use_color(argparse.Namespace(no_color=True), _Tty())  # --no-color
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(on, _Tty())  # NO_COLOR
    s = screen_any(examples.load("sle_not_eligible"))
    text = format_table(s, width=100, color=True)
    assert "\x1b[31m✗" in text and "\x1b[32m✓" in text
    plain = ANSI.sub("", text)
    assert max(map(len, plain.splitlines())) <= 100
    # the same layout as the plain words, a symbol in place of the word
    words = mathematical(format_table(s, width=100)).splitlines()  # ≥ and ≤ on a terminal
    assert plain.splitlines()[0] == "✗ " + words[0]
    assert [ln[6:] for ln in plain.splitlines()[1:]] == [ln[6:] for ln in words[1:]]


def test_no_color_option(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = _screen(capsys, monkeypatch, "--no-color", "--example", "ra_eligible")
    assert code == 0 and out.startswith("ELIGIBLE: patient RA-001")


def test_help_lists_each_exit_code_on_its_own_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # reproduces issue 17: screen --help did not list the exit codes as the docs promise
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["screen", "--help"]) == 0
    out = capsys.readouterr().out
    for code in ("0", "10", "11", "12", "5", "2"):
        assert re.search(rf"^  {code} +\S", out, re.M), code
    assert max(map(len, out.splitlines())) <= 100
