"""Scores of one example RA patient (run: python examples/ra_patient.py)."""

from clinscores import report
from clinscores.ra import (
    acr_eular_2010,
    cdai,
    cdai_activity,
    das28_activity,
    das28_esr,
    eular_response,
    sdai,
    sdai_activity,
)

visit = {"tjc28": 6, "sjc28": 4, "esr": 38, "ptga_mm": 55, "evga_mm": 40, "crp_mg_dl": 1.2}

das28 = das28_esr(visit["tjc28"], visit["sjc28"], visit["esr"], visit["ptga_mm"])
c = cdai(visit["tjc28"], visit["sjc28"], visit["ptga_mm"] / 10, visit["evga_mm"] / 10)
s = sdai(
    visit["tjc28"], visit["sjc28"], visit["ptga_mm"] / 10, visit["evga_mm"] / 10, visit["crp_mg_dl"]
)
print(f"DAS28-ESR {report(das28, 'das28'):.2f} ({das28_activity(das28)})")
print(f"CDAI      {report(c, 'cdai'):.1f} ({cdai_activity(c)})")
print(f"SDAI      {report(s, 'sdai'):.1f} ({sdai_activity(s)})")
print(f"EULAR response from a baseline DAS28 of 6.50: {eular_response(6.5, das28)}")
k = acr_eular_2010(2, 3, "high_positive", "negative", True, True, 12)
print(f"2010 ACR/EULAR: {k.points} points, classified {k.classified}")
