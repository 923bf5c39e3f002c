"""Tutorial code of docs/cohorts.md: a simulated SLE trial, response rates per visit.

Run as a script (``python docs/scripts/trial_plot.py OUT.png``) or through the
documentation build (``docs/scripts/hooks.py``), which runs it and publishes
the figure; so the figure in the documentation always comes from this code.
"""

from __future__ import annotations

import sys
from typing import Any


# --8<-- [start:trial]
def make_trial(patients: int = 300, visits: int = 12, seed: int = 13) -> Any:
    """A simulated SLE trial: one row per visit, every 4 weeks, in long format."""
    import numpy as np
    import pandas as pd

    from clinscores.sle import BILAG2004_SYSTEMS, SLEDAI2K_WEIGHTS

    rng = np.random.default_rng(seed)
    n = patients * visits
    visit = np.tile(np.arange(visits), patients)
    # each patient's activity fades at their own pace (some never respond)
    pace = np.repeat(rng.beta(2, 3, patients), visits)
    activity = np.exp(-pace * visit / 2.5)  # 1 at baseline, falling
    table: dict[str, Any] = {
        "patient_id": np.repeat([f"S-{i:04d}" for i in range(patients)], visits),
        "visit_date": pd.Timestamp("2026-01-05") + pd.to_timedelta(28 * visit, unit="D"),
    }
    base_rate = {w: p for w, p in zip((8, 4, 2, 1), (0.04, 0.25, 0.45, 0.15))}
    for name, weight in SLEDAI2K_WEIGHTS.items():
        table[name] = rng.random(n) < base_rate[weight] * activity
    for system in BILAG2004_SYSTEMS:
        level = np.clip(rng.normal(2.6 - 1.8 * activity, 0.7), 0, 4).round().astype(int)
        table[f"bilag_{system}"] = np.array(list("ABCDE"))[level]
    trial = pd.DataFrame(table)
    trial["pga"] = np.clip(np.round(rng.normal(2.2 * activity, 0.3), 1), 0, 3)
    trial["prednisolone_mg_day"] = np.where(
        activity > 0.6, 10.0, np.where(activity > 0.3, 5.0, 2.5)
    )
    trial["other_new_activity"] = False  # nothing new outside the SLEDAI-2K
    trial["hemolytic_anemia"] = False
    trial["gastrointestinal_activity"] = False
    trial["immunosuppressants_tolerated"] = rng.random(n) < 0.97
    trial["treatment_permitted"] = True
    trial["treatment_failure"] = rng.random(n) < 0.02
    trial.loc[rng.random(n) < 0.02, "pga"] = np.nan  # PGA not recorded at 2 % of visits
    return trial


# --8<-- [end:trial]


# --8<-- [start:respond]
CRITERIA = ["sri4", "bicla", "lldas", "doris_remission"]


def assess(trial: Any) -> Any:
    """SLEDAI-2K from the descriptors, then the four criteria at every visit."""
    from clinscores.frame import respond, score

    scored = score(trial, "sledai2k")  # adds sledai2k and sledai2k_category
    return respond(scored, CRITERIA, patient="patient_id", date="visit_date")


def rates(assessed: Any) -> Any:
    """Share of patients meeting each criterion per visit; unknown counts as not met."""
    weeks = (assessed["visit_date"] - assessed["visit_date"].min()).dt.days // 7
    met = assessed[CRITERIA].fillna(False).astype(bool)
    return met.groupby(weeks.rename("week")).mean()


# --8<-- [end:respond]


# --8<-- [start:plot]
def plot_rates(table: Any, path: str) -> None:
    """Line chart of the response rates per visit, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = {"sri4": "SRI-4", "bicla": "BICLA", "lldas": "LLDAS", "doris_remission": "DORIS"}
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=100)
    for name in table.columns:
        ax.plot(table.index, 100 * table[name], marker="o", label=labels[name])
    ax.set_xlabel("week")
    ax.set_ylabel("patients meeting it (%)")
    ax.set_ylim(0, 100)
    ax.set_title("Simulated SLE trial: response and remission by visit")
    ax.legend(frameon=False, ncols=4, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)


# --8<-- [end:plot]


def main(path: str) -> Any:
    """Simulate, assess, tabulate and plot; return the rates."""
    table = rates(assess(make_trial()))
    plot_rates(table, path)
    return table


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else "trial_response.png"))
