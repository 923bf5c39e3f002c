"""The notebook display shown on docs/notebooks.md, rendered when the site is built.

Each placeholder ``<!-- notebook: NAME -->`` of the page is replaced by the
``_repr_html_`` of the result :func:`displays` names, computed from the
current code, so the page shows exactly what a notebook shows.
"""

from __future__ import annotations

from collections.abc import Callable

from clinscores import examples
from clinscores.ra import acr_eular_2010, das28_activity
from clinscores.record import parse_patient
from clinscores.screening import screen_any


def _sle_explanation() -> str:
    sle = parse_patient(examples.load("sle_eligible")).sle
    assert sle is not None and sle.bilag2004_form is not None
    return sle.bilag2004_form.explain(sle.bilag2004_grades)._repr_html_()


def _ra_classification() -> str:
    c = acr_eular_2010(
        large_joints=2,
        small_joints=3,
        rf="negative",
        acpa="high_positive",
        abnormal_crp=True,
        abnormal_esr=False,
        symptom_duration_weeks=8,
    )
    return c._repr_html_()


def displays() -> dict[str, Callable[[], str]]:
    """Placeholder name -> a function giving its HTML."""
    return {
        "screening_not_eligible": lambda: screen_any(
            examples.load("sle_not_eligible")
        )._repr_html_(),
        "screening_incomplete": lambda: screen_any(examples.load("ra_incomplete"))._repr_html_(),
        "criterion": lambda: (
            screen_any(examples.load("ra_incomplete")).criterion("I5")._repr_html_()
        ),
        "classification": _ra_classification,
        "bilag2004_explanation": _sle_explanation,
        "activity": lambda: das28_activity(5.25)._repr_html_(),  # type: ignore[attr-defined]
    }


def render(markdown: str) -> str:
    """*markdown* with each ``<!-- notebook: NAME -->`` line replaced by its HTML."""
    for name, make in displays().items():
        tag = f"<!-- notebook: {name} -->"
        if tag in markdown:
            markup = make()
            assert "\n" not in markup  # one line: a raw HTML block for Markdown
            box = (
                '<div class="clinscores-notebook-output" style="border:1px solid #b1b4b6;'
                f'padding:.8em;margin:0 0 1.2em;overflow-x:auto">{markup}</div>'
            )
            markdown = markdown.replace(tag, box)
    return markdown
