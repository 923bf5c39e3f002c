"""Tutorial code of docs/cohorts.md: score a generated cohort, plot its DAS28 categories.

Run as a script (``python docs/scripts/cohort_plot.py OUT.png``) or through the
documentation build (``docs/scripts/hooks.py``), which runs it and publishes
the figure; so the figure in the documentation always comes from this code.
"""

from __future__ import annotations

import sys
from typing import Any


# --8<-- [start:cohort]
def make_cohort(n: int = 100_000, seed: int = 2026) -> Any:
    """A synthetic cohort of RA visits, in the column names of a typical export."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    tjc = rng.binomial(28, rng.beta(1.2, 4.0, n))  # many low counts, a long tail
    sjc = rng.binomial(tjc, 0.6)  # swollen joints are usually also tender
    esr = np.clip(np.round(rng.lognormal(3.0, 0.7, n)), 1, 140)  # mm/h
    ptga = np.clip(np.round(rng.normal(25 + 1.8 * tjc, 18)), 0, 100)  # mm
    cohort = pd.DataFrame(
        {"TJC28": tjc, "SJC28": sjc, "ESR": esr, "PtGA_mm": ptga},
        index=pd.RangeIndex(1, n + 1, name="patient_id"),
    )
    cohort.loc[rng.random(n) < 0.02, "ESR"] = np.nan  # 2 % without an ESR result
    return cohort


# --8<-- [end:cohort]


# --8<-- [start:score]
def score_cohort(cohort: Any) -> Any:
    """Add das28_esr and das28_esr_category to the cohort."""
    from clinscores.frame import score

    columns = {"tjc28": "TJC28", "sjc28": "SJC28", "esr": "ESR", "ptga_mm": "PtGA_mm"}
    return score(cohort, "das28_esr", columns=columns)


# --8<-- [end:score]


# --8<-- [start:plot]
CATEGORIES = ["remission", "low", "moderate", "high"]


def category_counts(scored: Any) -> Any:
    """Patients per DAS28 category, in clinical order, with the unscored ones last."""
    counts = scored["das28_esr_category"].value_counts().reindex(CATEGORIES, fill_value=0)
    counts["no score"] = scored["das28_esr_category"].isna().sum()
    return counts


def plot_counts(counts: Any, path: str) -> None:
    """Bar chart of *counts*, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=100)
    colors = ["#4c9a2a", "#a4c639", "#f0a830", "#d9534f", "#9e9e9e"]
    bars = ax.bar(counts.index, counts.to_numpy(), color=colors[: len(counts)])
    ax.bar_label(bars, labels=[f"{v:,}" for v in counts.to_numpy()], padding=2)
    ax.set_ylabel("patients")
    ax.set_title(f"DAS28-ESR category of {int(counts.sum()):,} patients")
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.15)
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)


# --8<-- [end:plot]


def main(path: str) -> Any:
    """Generate, score, count and plot; return the counts."""
    counts = category_counts(score_cohort(make_cohort()))
    plot_counts(counts, path)
    return counts


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else "das28_categories.png"))
