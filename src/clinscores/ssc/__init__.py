"""Systemic sclerosis instruments: 2013 ACR/EULAR criteria, modified Rodnan skin score, CRISS."""

from clinscores.ssc.acr_eular_2013 import ACR_EULAR_2013_ITEMS, acr_eular_2013
from clinscores.ssc.criss import CRISS_KEYS, CrissResult, criss
from clinscores.ssc.mrss import MRSS_SITES, mrss

__all__ = [
    "ACR_EULAR_2013_ITEMS",
    "CRISS_KEYS",
    "MRSS_SITES",
    "CrissResult",
    "acr_eular_2013",
    "criss",
    "mrss",
]
