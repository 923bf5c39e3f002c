"""Rheumatoid arthritis instruments: DAS28, CDAI, SDAI, EULAR response, 2010 criteria."""

from clinscores.ra.acr_eular_2010 import acr_eular_2010, serology_level
from clinscores.ra.acr_response import AcrResponse, acr_response
from clinscores.ra.cdai import cdai, cdai_activity, sdai, sdai_activity
from clinscores.ra.das28 import (
    das28_activity,
    das28_contributions,
    das28_crp,
    das28_crp3,
    das28_esr,
    das28_esr3,
    das28_p,
)
from clinscores.ra.haq import HAQ_DI_CATEGORIES, HAQ_DI_FLAGS, HAQ_DI_ITEMS, haq_di
from clinscores.ra.remission import acr_eular_boolean_remission
from clinscores.ra.response import eular_response

__all__ = [
    "HAQ_DI_CATEGORIES",
    "HAQ_DI_FLAGS",
    "HAQ_DI_ITEMS",
    "AcrResponse",
    "acr_eular_2010",
    "acr_eular_boolean_remission",
    "acr_response",
    "cdai",
    "cdai_activity",
    "das28_activity",
    "das28_contributions",
    "das28_crp",
    "das28_crp3",
    "das28_esr",
    "das28_esr3",
    "das28_p",
    "eular_response",
    "haq_di",
    "sdai",
    "sdai_activity",
    "serology_level",
]
