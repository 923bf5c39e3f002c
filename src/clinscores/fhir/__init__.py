"""Patient records from HL7 FHIR R4 bundles, and back: the package of the former module.

The former module ``clinscores/fhir.py`` is :mod:`clinscores.fhir.read`, until it is
split; every public name keeps working from here.
"""

from __future__ import annotations

from clinscores.fhir.read import ACTIVE_STATUS as ACTIVE_STATUS
from clinscores.fhir.read import ATC as ATC
from clinscores.fhir.read import (
    CANONICAL,
    CODE_SYSTEM,
    QUESTIONNAIRE_URL,
    FhirError,
    bundle_from_record,
    questionnaire,
    read_bundle,
    record_from_bundle,
    screen_bundle,
)
from clinscores.fhir.read import CONDITION_FLAGS as CONDITION_FLAGS
from clinscores.fhir.read import CSDMARDS as CSDMARDS
from clinscores.fhir.read import DERIVED as DERIVED
from clinscores.fhir.read import DISEASE_CODES as DISEASE_CODES
from clinscores.fhir.read import DISEASE_CODES_EXCLUDED as DISEASE_CODES_EXCLUDED
from clinscores.fhir.read import DISEASES as DISEASES
from clinscores.fhir.read import DMARD_ATC as DMARD_ATC
from clinscores.fhir.read import DOSE_UNITS as DOSE_UNITS
from clinscores.fhir.read import FHIR_VERSION as FHIR_VERSION
from clinscores.fhir.read import ICD10 as ICD10
from clinscores.fhir.read import ICD10CM as ICD10CM
from clinscores.fhir.read import LIST_PATHS as LIST_PATHS
from clinscores.fhir.read import LOINC as LOINC
from clinscores.fhir.read import MASS_IN_MG as MASS_IN_MG
from clinscores.fhir.read import MEDICATION_STATUS as MEDICATION_STATUS
from clinscores.fhir.read import NEGATIVE as NEGATIVE
from clinscores.fhir.read import NOTED_STATUS as NOTED_STATUS
from clinscores.fhir.read import OBSERVATION_USED as OBSERVATION_USED
from clinscores.fhir.read import OTHER_CSDMARD_ATC as OTHER_CSDMARD_ATC
from clinscores.fhir.read import PATIENT_ID_SYSTEM as PATIENT_ID_SYSTEM
from clinscores.fhir.read import PERIOD_DAYS as PERIOD_DAYS
from clinscores.fhir.read import POSITIVE as POSITIVE
from clinscores.fhir.read import QUANTITIES as QUANTITIES
from clinscores.fhir.read import R4B_ONLY as R4B_ONLY
from clinscores.fhir.read import ROUTES as ROUTES
from clinscores.fhir.read import SAME_REL_TOL as SAME_REL_TOL
from clinscores.fhir.read import SNOMED as SNOMED
from clinscores.fhir.read import STATUS_CODES as STATUS_CODES
from clinscores.fhir.read import UCUM as UCUM
from clinscores.fhir.read import BundleRecord as BundleRecord
from clinscores.fhir.read import Quantity as Quantity
from clinscores.fhir.read import is_bundle as is_bundle
from clinscores.fhir.read import reconcile_same_day as reconcile_same_day

__all__ = [
    "CANONICAL",
    "CODE_SYSTEM",
    "QUESTIONNAIRE_URL",
    "FhirError",
    "bundle_from_record",
    "questionnaire",
    "read_bundle",
    "record_from_bundle",
    "screen_bundle",
]
