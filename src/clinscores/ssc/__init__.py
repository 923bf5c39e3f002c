"""Systemic sclerosis instruments: 2013 ACR/EULAR criteria, modified Rodnan skin score."""

from clinscores.ssc.acr_eular_2013 import ACR_EULAR_2013_ITEMS, acr_eular_2013
from clinscores.ssc.mrss import MRSS_SITES, mrss

__all__ = ["ACR_EULAR_2013_ITEMS", "MRSS_SITES", "acr_eular_2013", "mrss"]
