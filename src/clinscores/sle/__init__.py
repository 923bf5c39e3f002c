"""Systemic lupus erythematosus instruments: SLEDAI-2K, BILAG-2004, 2019 EULAR/ACR criteria,
and the response and remission criteria SRI, BICLA, LLDAS and DORIS remission."""

from clinscores.sle.bicla import bicla
from clinscores.sle.bilag2004 import (
    BILAG2004_ITEMS,
    BILAG2004_SYSTEMS,
    Bilag2004Grade,
    bilag2004,
    bilag2004_1a_or_2b,
    bilag2004_explain,
    bilag2004_numeric,
)
from clinscores.sle.doris import doris_remission
from clinscores.sle.eular_acr_2019 import (
    EULAR_ACR_2019_DOMAINS,
    ana_positive_from_titre,
    eular_acr_2019,
)
from clinscores.sle.lldas import lldas
from clinscores.sle.sledai2k import (
    SLEDAI2K_WEIGHTS,
    sledai2k,
    sledai2k_activity,
    sledai2k_clinically_important_reduction,
    sledai2k_lab_descriptors,
)
from clinscores.sle.sri import sri

__all__ = [
    "BILAG2004_ITEMS",
    "BILAG2004_SYSTEMS",
    "EULAR_ACR_2019_DOMAINS",
    "SLEDAI2K_WEIGHTS",
    "Bilag2004Grade",
    "ana_positive_from_titre",
    "bicla",
    "bilag2004",
    "bilag2004_1a_or_2b",
    "bilag2004_explain",
    "bilag2004_numeric",
    "doris_remission",
    "eular_acr_2019",
    "lldas",
    "sledai2k",
    "sledai2k_activity",
    "sledai2k_clinically_important_reduction",
    "sledai2k_lab_descriptors",
    "sri",
]
