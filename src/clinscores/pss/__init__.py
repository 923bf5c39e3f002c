"""Primary Sjogren's syndrome instruments: ESSDAI, ESSPRI, 2016 ACR/EULAR and 2002 AECG criteria."""

from clinscores.pss.acr_eular_2016 import ACR_EULAR_2016_WEIGHTS, acr_eular_2016
from clinscores.pss.aecg_2002 import (
    AECG_2002_ITEMS,
    aecg_2002,
    aecg_2002_autoantibodies,
    aecg_2002_histopathology,
    aecg_2002_ocular_signs,
    aecg_2002_salivary_involvement,
)
from clinscores.pss.essdai import (
    ESSDAI_LEVELS,
    ESSDAI_WEIGHTS,
    essdai,
    essdai_activity,
    essdai_biological_level,
    essdai_hematological_level,
    essdai_mcii,
)
from clinscores.pss.esspri import esspri, esspri_mcii, esspri_pass

__all__ = [
    "ACR_EULAR_2016_WEIGHTS",
    "AECG_2002_ITEMS",
    "ESSDAI_LEVELS",
    "ESSDAI_WEIGHTS",
    "acr_eular_2016",
    "aecg_2002",
    "aecg_2002_autoantibodies",
    "aecg_2002_histopathology",
    "aecg_2002_ocular_signs",
    "aecg_2002_salivary_involvement",
    "essdai",
    "essdai_activity",
    "essdai_biological_level",
    "essdai_hematological_level",
    "essdai_mcii",
    "esspri",
    "esspri_mcii",
    "esspri_pass",
]
