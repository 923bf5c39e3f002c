"""Tests of clinscores.frame.respond, the criteria table and `clinscores respond`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinscores.cli import EXIT_DATA, EXIT_IO, EXIT_OK, EXIT_USAGE, main
from clinscores.frame import MissingColumnError, RowError, respond, visit_order
from clinscores.pss import esspri_mcii
from clinscores.ra import acr_response, das28_activity, eular_response
from clinscores.responses import BILAG_COLUMNS, COLUMNS, criteria, get_criterion
from clinscores.sle import SLEDAI2K_WEIGHTS, lldas, sri
from clinscores.sle.bilag2004 import BILAG2004_SYSTEMS
from clinscores.ssc import CRISS_KEYS, criss


def trial(n_patients: int = 30, visits: int = 5, seed: int = 0) -> pd.DataFrame:
    """Random SLE + RA visits; every column of every criterion present."""
    rng = np.random.default_rng(seed)
    n = n_patients * visits
    df = pd.DataFrame(
        {
            "patient_id": np.repeat([f"P{i:03d}" for i in range(n_patients)], visits),
            "visit_date": pd.Timestamp("2026-01-05")
            + pd.to_timedelta(np.tile(np.arange(visits) * 28, n_patients), unit="D"),
            "sledai2k": rng.integers(0, 20, n),
            "pga": rng.integers(0, 301, n) / 100,
            "prednisolone_mg_day": rng.choice([0, 2.5, 5, 7.5, 10], n),
            "das28_esr": np.round(rng.uniform(1.5, 7, n), 2),
            "das28_crp": np.round(rng.uniform(1.5, 7, n), 2),
            "cdai": np.round(rng.uniform(0, 40, n), 1),
            "sdai": np.round(rng.uniform(0, 40, n), 1),
            "essdai": rng.integers(0, 30, n),
            "tjc28": rng.integers(0, 29, n),
            "sjc28": rng.integers(0, 29, n),
            "ptga_mm": rng.integers(0, 101, n),
            "evga_mm": rng.integers(0, 101, n),
            "pain_mm": rng.integers(0, 101, n),
            "haq_di": rng.integers(0, 25, n) / 8,
            "esr": rng.integers(1, 100, n),
            "crp_mg_l": np.round(rng.uniform(0, 100, n), 1),
            "esspri": np.round(rng.uniform(0, 10, n), 2),
            "mrss": rng.integers(0, 52, n),
            "fvc_pct_predicted": rng.integers(40, 121, n),
            "ptga_0_10": rng.integers(0, 11, n),
            "mdga_0_10": rng.integers(0, 11, n),
        }
    )
    for col, dom in COLUMNS.items():
        if dom.flag:
            df[col] = rng.random(n) < 0.1
    for col in BILAG_COLUMNS:
        df[col] = rng.choice(["A", "B", "C", "D", "E"], n, p=[0.05, 0.15, 0.2, 0.4, 0.2])
    df.loc[rng.random(n) < 0.03, "pga"] = np.nan
    df.loc[rng.random(n) < 0.03, "bilag_renal"] = None
    return df


ALL = list(criteria())


def test_every_criterion_reads_known_columns() -> None:
    for c in criteria().values():
        assert set(c.columns) <= set(COLUMNS), c.name
    assert get_criterion("sri4").previous == ()
    assert get_criterion("lldas").previous == tuple(SLEDAI2K_WEIGHTS)
    with pytest.raises(KeyError, match="unknown response criterion 'sri3'"):
        get_criterion("sri3")


def test_matches_direct_calls_against_first_visit() -> None:
    df = trial()
    out = respond(df, ALL)
    assert list(out.index) == list(df.index)
    first = df.groupby("patient_id").head(1).set_index("patient_id")
    base = first.loc[df["patient_id"]].reset_index(drop=True)
    grades_b = {s: base[f"bilag_{s}"].tolist() for s in BILAG2004_SYSTEMS}
    grades_c = {s: df[f"bilag_{s}"].tolist() for s in BILAG2004_SYSTEMS}
    want = sri(base["sledai2k"].to_numpy(), df["sledai2k"].to_numpy(), grades_b, grades_c,
               base["pga"].to_numpy(), df["pga"].to_numpy(), reduction=6)  # fmt: skip
    got = out["sri6"].astype(object).where(out["sri6"].notna(), None).tolist()
    firsts = (df.groupby("patient_id").cumcount() == 0).to_numpy()
    # changed: at the baseline visit itself a change from baseline is not assessed
    # (<NA>; False read as a non-responder); every later visit equals the direct call
    assert [g for g, f in zip(got, firsts) if not f] == list(want[~firsts])
    assert all(g is None for g, f in zip(got, firsts) if f)
    eular = eular_response(base["das28_esr"].to_numpy(), df["das28_esr"].to_numpy())
    firsts = (df.groupby("patient_id").cumcount() == 0).to_numpy()
    got_eular = out["eular_response_esr"].tolist()
    assert [g for g, f in zip(got_eular, firsts) if not f] == list(eular[~firsts])
    # baseline: not assessed (changed: the column is an ordered Categorical built from codes,
    # so an unknown is NaN there, not pd.NA in an object column)
    assert out["eular_response_esr"].isna().to_numpy()[firsts].all()
    rem = [c == "remission" for c in das28_activity(df["das28_esr"].to_numpy())]
    assert out["das28_esr_remission"].tolist() == rem


def test_acr_esspri_criss_match_direct_calls_against_first_visit() -> None:
    df = trial()
    out = respond(df, ["acr_esr", "acr_crp", "esspri_mcii", "criss"])
    base = df.groupby("patient_id").head(1).set_index("patient_id").loc[df["patient_id"]]
    base = base.reset_index(drop=True)
    for reactant, column in (("esr", "acr_esr"), ("crp_mg_l", "acr_crp")):
        keys = ["tjc28", "sjc28", "ptga_mm", "evga_mm", "pain_mm", "haq_di", reactant]
        level = acr_response(
            {k: base[k].to_numpy() for k in keys}, {k: df[k].to_numpy() for k in keys}
        ).level
        words = {0.0: "none", 20.0: "ACR20", 50.0: "ACR50", 70.0: "ACR70"}
        later = (df.groupby("patient_id").cumcount() > 0).to_numpy()
        assert out.loc[later, column].tolist() == [words[x] for x in level[later]]
    later = (df.groupby("patient_id").cumcount() > 0).to_numpy()
    mcii = esspri_mcii(base["esspri"].to_numpy(), df["esspri"].to_numpy())
    assert out.loc[later, "esspri_mcii"].tolist() == list(mcii[later])
    events = {e: df[e].to_numpy() for e in ("renal_crisis", "new_lv_failure", "new_pah")}
    improved = criss(
        {k: base[k].to_numpy() for k in CRISS_KEYS},
        {k: df[k].to_numpy() for k in CRISS_KEYS},
        **events,
    ).improved
    assert out.loc[later, "criss"].tolist() == list(improved[later])
    # at the baseline visit itself a change from baseline is not assessed: <NA>, not
    # "none" or False (changed: both read as a non-responder)
    first = df.groupby("patient_id").cumcount() == 0
    for column in ("acr_esr", "acr_crp", "esspri_mcii", "criss"):
        assert out.loc[first, column].isna().all(), column


def test_lldas_uses_previous_visit_unknown_before_the_first() -> None:
    df = trial(5, 4)
    out = respond(df, "lldas")
    firsts = (df.groupby("patient_id").cumcount() == 0).to_numpy()
    d = list(SLEDAI2K_WEIGHTS)
    prev = {k: np.where(firsts, np.nan, df[k].shift(1).astype(float)) for k in d}
    want = lldas(
        descriptors={k: df[k].to_numpy() for k in d},
        previous_descriptors=prev,
        other_new_activity=df["other_new_activity"].to_numpy(),
        hemolytic_anemia=df["hemolytic_anemia"].to_numpy(),
        gastrointestinal_activity=df["gastrointestinal_activity"].to_numpy(),
        pga=df["pga"].to_numpy(),
        prednisolone_mg_day=df["prednisolone_mg_day"].to_numpy(),
        immunosuppressants_tolerated=df["immunosuppressants_tolerated"].to_numpy(),
    )
    got = out["lldas"].astype(object).where(out["lldas"].notna(), None)
    assert got.tolist() == list(want)
    # at a first visit, a feature present now may be new: never LLDAS then
    present = df[d].any(axis=1).to_numpy()
    assert not (out["lldas"].fillna(False).to_numpy() & firsts & present).any()


def test_baseline_flag_column() -> None:
    df = pd.DataFrame(
        {
            "patient_id": ["a"] * 4,
            "visit_date": [1, 2, 3, 4],
            "das28_esr": [6.0, 5.0, 3.5, 3.0],
            "is_baseline": [False, True, False, False],
        }
    )
    out = respond(df, "eular_response_esr", baseline="is_baseline")
    # visit 1 is before the baseline: unknown; visit 2 is the baseline: not
    # assessed (<NA>; it was "none", which read as a non-responder); the rest
    # against 5.0
    # (changed: an ordered Categorical column built from codes; both unknowns are NaN)
    eular = out["eular_response_esr"]
    assert eular.isna().tolist() == [True, True, False, False]
    assert eular.tolist()[2:] == ["moderate", "good"]
    assert isinstance(eular.dtype, pd.CategoricalDtype) and eular.dtype.ordered
    assert eular_response(5.0, 3.5) == "moderate"
    with pytest.raises(RowError, match="'is_baseline' = 'maybe'"):
        respond(df.assign(is_baseline=["maybe", True, False, False]), "eular_response_esr",
                baseline="is_baseline")  # fmt: skip


def test_visit_order_is_index_arithmetic() -> None:
    df = pd.DataFrame({"p": ["b", "a", "b", "a", "b"], "d": [3, 2, 1, 1, 2]})
    order, base, prev = visit_order(df, "p", "d", None)
    assert order.tolist() == [2, 4, 0, 3, 1]  # b1 b2 b3 a1 a2 (patients as they appear)
    assert base.tolist() == [0, 0, 0, 3, 3]
    assert prev.tolist() == [-1, 0, 1, -1, 3]


def test_errors() -> None:
    df = trial(3, 3)
    with pytest.raises(MissingColumnError, match="'sledai2k'"):
        respond(df.drop(columns="sledai2k"), "sri4")
    with pytest.raises(MissingColumnError, match="'visit'"):
        respond(df, "sri4", date="visit")
    bad = df.copy()
    bad.loc[4, "sledai2k"] = 200
    with pytest.raises(RowError, match=r"sri4: row 4: column 'sledai2k' = 200"):
        respond(bad, "sri4")
    bad = df.astype({"bilag_renal": object})
    bad.loc[2, "bilag_renal"] = "F"
    with pytest.raises(RowError, match=r"row 2: column 'bilag_renal' = 'F'"):
        respond(bad, "bicla")
    dup = df.copy()
    dup.loc[1, "visit_date"] = dup.loc[0, "visit_date"]
    with pytest.raises(RowError, match="two visits of patient 'P000'"):
        respond(dup, "sri4")
    nodate = df.astype({"visit_date": object})
    nodate.loc[5, "visit_date"] = None
    with pytest.raises(RowError, match="row 5: column 'visit_date' is empty"):
        respond(nodate, "sri4")
    with pytest.raises(RowError, match="is not a date"):
        respond(df.assign(visit_date="soon"), "sri4")
    # a value the criterion's own function rejects is located by row
    shuffled = df.sample(frac=1, random_state=0)
    label = shuffled.index[4]
    shuffled.loc[label, "cdai"] = 90.0
    with pytest.raises(RowError, match=rf"cdai_remission: row {label}: score = 90"):
        respond(shuffled, "cdai_remission")


def test_input_not_mutated_and_text_columns() -> None:
    df = trial(4, 3)
    copy = df.copy()
    text = df.astype(str).replace({"nan": "", "None": ""})
    a = respond(df, ALL)
    b = respond(text, ALL)
    pd.testing.assert_frame_equal(df, copy)
    for name in ALL:
        assert a[name].astype(object).tolist() == b[name].astype(object).tolist(), name


def test_dask_partitions_by_patient() -> None:
    dd = pytest.importorskip("dask.dataframe")
    df = trial(20, 4).sample(frac=1, random_state=1)
    want = respond(df, ["sri4", "eular_response_esr"])
    got = respond(dd.from_pandas(df, npartitions=4), ["sri4", "eular_response_esr"]).compute()
    cols = ["sri4", "eular_response_esr"]
    pd.testing.assert_frame_equal(got.loc[want.index, cols], want[cols])


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 5))
def test_shuffled_equals_sorted(seed: int, patients: int, visits: int) -> None:
    df = trial(patients, visits, seed=seed % 1000)
    shuffled = df.sample(frac=1, random_state=seed)
    a = respond(df, ALL)
    b = respond(shuffled, ALL).loc[df.index]
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 5), st.integers(1, 5))
def test_shuffled_equals_sorted_with_baseline_flags(seed: int, patients: int, visits: int) -> None:
    df = trial(patients, visits, seed=seed % 997)
    df["is_baseline"] = np.random.default_rng(seed).random(len(df)) < 0.3
    names = ["sri4", "bicla", "eular_response_esr", "essdai_mcii"]
    a = respond(df, names, baseline="is_baseline")
    b = respond(df.sample(frac=1, random_state=seed), names, baseline="is_baseline")
    pd.testing.assert_frame_equal(a, b.loc[df.index])
    # a visit before the patient's first flagged visit has no baseline: unknown
    flagged = df["is_baseline"].groupby(df["patient_id"]).cummax()
    assert a.loc[~flagged, "sri4"].isna().all()


# --------------------------------------------------------------------------- CLI


def write(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False)
    return path


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("chunksize", [1, 4, 7, 1000])
def test_cli_streams_whole_patients(tmp_path: Path, chunksize: int) -> None:
    df = trial(6, 5, seed=3)
    src = write(df, tmp_path / "visits.csv")
    out = tmp_path / "out.csv"
    code = main(["respond", str(src), "-o", str(out), "--chunksize", str(chunksize),
                 "-c", "sri4", "lldas", "eular_response_esr"])  # fmt: skip
    assert code == EXIT_OK
    want = respond(read(src), ["sri4", "lldas", "eular_response_esr"])
    got = read(out)
    for name in ("sri4", "lldas", "eular_response_esr"):
        expected = ["" if pd.isna(v) else str(v) for v in want[name].astype(object)]
        assert got[name].tolist() == expected


def test_cli_default_criteria_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    df = trial(2, 2)[["patient_id", "visit_date", "das28_esr"]]
    src = write(df, tmp_path / "v.csv")
    assert main(["respond", str(src)]) == EXIT_OK
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert header[3:] == ["das28_esr_remission", "das28_esr_low_activity", "eular_response_esr"]
    assert main(["respond", "--list"]) == EXIT_OK
    assert "sri4: SLE Responder Index" in capsys.readouterr().out


def test_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    df = trial(3, 3)
    ungrouped = write(df.iloc[[0, 3, 1, 4, 2, 5, 6, 7, 8]], tmp_path / "u.csv")
    assert main(["respond", str(ungrouped), "--chunksize", "2", "-c", "sri4"]) == EXIT_DATA
    assert "must be consecutive" in capsys.readouterr().err
    assert main(["respond", str(ungrouped), "-c", "sri99"]) == EXIT_USAGE
    assert main(["respond", str(tmp_path / "none.csv")]) == EXIT_IO
    bad = df.copy()
    bad.loc[4, "pga"] = 7
    src = write(bad, tmp_path / "bad.csv")
    assert main(["respond", str(src), "-c", "sri4", "-o", str(tmp_path / "o.csv")]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "line 6: column 'pga' = '7.0' is out of range" in err
    assert not (tmp_path / "o.csv").exists()
    missing = write(df.drop(columns="pga"), tmp_path / "m.csv")
    assert main(["respond", str(missing), "-c", "sri4"]) == EXIT_IO
    capsys.readouterr()
    nothing = write(df[["patient_id", "visit_date"]], tmp_path / "n.csv")
    assert main(["respond", str(nothing)]) == EXIT_IO
    assert "no criterion has all its columns" in capsys.readouterr().err


def test_tutorial_trial_and_figure() -> None:
    """The simulated trial of docs/cohorts.md runs and the docs hook gets its PNG."""
    pytest.importorskip("matplotlib")
    import importlib.util

    scripts = Path(__file__).resolve().parents[1] / "docs" / "scripts"

    def load(path: Path) -> Any:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    tutorial = load(scripts / "trial_plot.py")
    trial = tutorial.make_trial(patients=40, visits=6, seed=2)
    assessed = tutorial.assess(trial)
    table = tutorial.rates(assessed)
    assert list(table.index) == [0, 4, 8, 12, 16, 20]
    assert (table.loc[0] == 0).all()  # nobody responds against themselves
    png = load(scripts / "hooks.py").render_figure("trial_plot.py")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000


# ------------------------------------------------------ CLI: the CSV reading rules

VISITS = "patient_id,visit_date,das28_esr"
GOOD = [("A", "1", "5.6"), ("A", "2", "3.1"), ("B", "1", "4.0"), ("B", "2", "4.2")]


def _visits(rows: list[tuple[str, ...]], trailing: str = "", end: str = "\n") -> str:
    return end.join([VISITS, *(",".join(r) + trailing for r in rows)]) + end


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        # a separator at the end of every data row: read in place
        (_visits(GOOD, ","), EXIT_OK, ""),
        (_visits(GOOD, ",,", "\r\n"), EXIT_OK, ""),
        # a non-empty extra field: an error naming the line, never a shift
        (_visits([*GOOD[:2], ("B", "1", "4.0", "9"), GOOD[3]]), EXIT_DATA,
         "line 4: 4 fields where the header has 3"),
        # a short row: an error naming the line and the count of fields
        (_visits([*GOOD[:3], ("B", "2")]), EXIT_DATA, "line 5: 2 fields where the header has 3"),
        # a column named twice
        (VISITS + ",das28_esr\nA,1,5.6,2.0\n", EXIT_IO, "column 'das28_esr' appears twice"),
    ],
)  # fmt: skip
def test_cli_reads_csv_by_the_rules_of_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, code: int, message: str
) -> None:
    src = tmp_path / "v.csv"
    src.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert main(["respond", str(src), "-c", "eular_response_esr"]) == code
    captured = capsys.readouterr()
    assert message in captured.err
    if code != EXIT_OK:
        assert captured.out == ""
        return
    got = pd.read_csv(io.StringIO(captured.out), dtype=str, keep_default_na=False)
    assert list(got.columns) == [*VISITS.split(","), "eular_response_esr"]
    want = respond(pd.DataFrame(GOOD, columns=VISITS.split(",")), "eular_response_esr")
    assert got["das28_esr"].tolist() == [r[2] for r in GOOD]
    assert got["eular_response_esr"].tolist() == [
        "" if pd.isna(v) else v for v in want["eular_response_esr"]
    ]


def test_cli_patient_seen_again_is_an_error_at_any_chunk_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reproduces: rows A, B, A in a small file at the default chunk size exited 0
    # and the output was silently reordered; the check only worked across chunks.
    src = tmp_path / "v.csv"
    src.write_text(_visits([GOOD[0], GOOD[2], GOOD[1]]))
    for size in ("50000", "2", "1"):
        assert main(["respond", str(src), "--chunksize", size]) == EXIT_DATA
        captured = capsys.readouterr()
        assert "line 4: patient 'A' appeared earlier in the file" in captured.err
        assert captured.out == ""  # nothing at all on standard output
    out = tmp_path / "out.csv"
    assert main(["respond", str(src), "-o", str(out)]) == EXIT_DATA
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cli_baseline_response_is_an_empty_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reproduces: the baseline visit printed `none` for EULAR response, which reads
    # as "non-responder"; it is now left empty.
    src = tmp_path / "v.csv"
    src.write_text(_visits(GOOD))
    assert main(["respond", str(src), "-c", "eular_response_esr", "das28_esr_remission"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "A,1,5.6,,False",
        "A,2,3.1,good,False",
        "B,1,4.0,,False",
        "B,2,4.2,none,False",
    ]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=6),
    seed=st.integers(0, 2**16),
    trailing=st.sampled_from(["", "", ",", ",,"]),
    crlf=st.booleans(),
    bom=st.booleans(),
    quoted=st.booleans(),
    chunksize=st.sampled_from([1, 3, 50_000]),
)
def test_property_cli_respond_equals_frame_respond(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sizes: list[int],
    seed: int,
    trailing: str,
    crlf: bool,
    bom: bool,
    quoted: bool,
    chunksize: int,
) -> None:
    rng = np.random.default_rng(seed)
    rows = []
    for p, k in enumerate(sizes):
        for v in rng.permutation(k):  # visits of a patient in any date order
            score = "" if rng.random() < 0.15 else f"{rng.uniform(1.5, 7):.2f}"
            rows.append((f"P{p}", str(v + 1), score))
    cells = [[f'"{c}"' if quoted else c for c in r] for r in rows]
    end = "\r\n" if crlf else "\n"
    text = end.join([VISITS, *(",".join(c) + trailing for c in cells)]) + end
    src = tmp_path / "v.csv"
    src.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    names = ["eular_response_esr", "das28_esr_low_activity"]
    code = main(["respond", str(src), "-c", *names, "--chunksize", str(chunksize)])
    captured = capsys.readouterr()
    assert code == EXIT_OK, captured.err
    got = pd.read_csv(io.StringIO(captured.out), dtype=str, keep_default_na=False)
    frame = pd.DataFrame(rows, columns=VISITS.split(",")).replace({"": None})
    want = respond(frame, names)
    assert got["patient_id"].tolist() == [r[0] for r in rows]
    for name in names:
        expected = ["" if pd.isna(v) else str(v) for v in want[name].astype(object)]
        assert got[name].tolist() == expected, name


def test_cli_empty_patient_id_is_reported_before_the_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "v.csv"
    src.write_text(_visits([GOOD[0], ("", "2", "3.0"), GOOD[1]]))
    assert main(["respond", str(src), "-c", "eular_response_esr"]) == EXIT_DATA
    assert "line 3: column 'patient_id' is empty" in capsys.readouterr().err
