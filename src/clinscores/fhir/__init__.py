"""Patient records from HL7 FHIR R4 bundles, and back.

Modules: ``codes`` the code tables (LOINC, SNOMED CT, ICD-10, ATC, UCUM) and their sources;
``read`` a bundle into a record; ``screen`` the screen of a bundle; ``write`` a record as a
bundle; ``form`` the generated Questionnaire; ``_common`` FhirError and the validation.

:func:`record_from_bundle` reads the :class:`~clinscores.record.Patient`
record from a FHIR Bundle (a dict, a JSON string or a path);
:func:`bundle_from_record` writes a record as a Bundle;
:func:`screen_bundle` screens a Bundle and names, in each criterion's reason,
the FHIR resources whose values it used.  The mapping is documented on the
docs page ``fhir.md``.

Every resource is parsed and validated with the ``fhir.resources`` models
(optional extra ``clinscores[fhir]``).  ``fhir.resources`` 8 ships models for
R5 (default), R4B (4.3.0) and STU3, but none for R4 (4.0.1).  R4B is R4 with
changes confined to a few modules (medicinal product definition, evidence,
subscriptions); every resource read or written here (Bundle, Patient,
Observation, Condition, MedicationStatement, Medication, Immunization,
Questionnaire, QuestionnaireResponse) is unchanged between R4 and R4B, so the
R4B models validate them as R4.  Resource types that exist only in R4B are
rejected as not R4.

What has no natural FHIR home (investigator judgement, pregnancy plans,
score items, dates of the screening...) goes in a QuestionnaireResponse to
the Questionnaire :func:`questionnaire`, generated from the record's JSON
Schema: one item per leaf JSON path, so that fields added to the record are
carried without changes here.

Notes
-----
A resource counts only when its subject resolves to the bundle's Patient
(the FHIR R4 rules for references in a bundle); any other resource, and a
preliminary result, is set aside with a note (:attr:`BundleRecord.notes`)
and never changes a value.  A laboratory value or ESR with a
``valueQuantity.comparator`` is a censored value
(:class:`clinscores.record.Censored`); a comparator elsewhere is an error.

Choosing among Observations of one field: those dated after the screening
date are ignored; of the others the most recent day counts, and the
Observations of that day must agree (in two units, within the tolerance of
:func:`clinscores.labs.reconcile`; a censored value must hold the numbers),
else :class:`FhirError` names two that disagree; the check is O(n log n)
(:func:`reconcile_same_day`).  ``sle.ana_positive`` (the 2019 entry
criterion, ever positive) is true when any Observation up to the screening
date is positive.

References
----------
HL7 FHIR R4 (4.0.1) and R4B (4.3.0), https://hl7.org/fhir/R4/ and
https://hl7.org/fhir/R4B/r4b-explanation.html (R4B is R4 apart from the
listed modules; resource types added in R4B from
https://hl7.org/fhir/R4B/history.html).

Where each code was checked: the References of :mod:`clinscores.fhir.codes`.
"""

from __future__ import annotations

# Every public name of the former module clinscores/fhir.py keeps working from here
# (``X as X``: re-exported for type checkers; ``__all__`` is unchanged).
from clinscores.fhir._common import FHIR_VERSION as FHIR_VERSION
from clinscores.fhir._common import R4B_ONLY as R4B_ONLY
from clinscores.fhir._common import FhirError
from clinscores.fhir.codes import ACTIVE_STATUS as ACTIVE_STATUS
from clinscores.fhir.codes import ATC as ATC
from clinscores.fhir.codes import CANONICAL, CODE_SYSTEM, QUESTIONNAIRE_URL
from clinscores.fhir.codes import CONDITION_FLAGS as CONDITION_FLAGS
from clinscores.fhir.codes import CSDMARDS as CSDMARDS
from clinscores.fhir.codes import DISEASE_CODES as DISEASE_CODES
from clinscores.fhir.codes import DISEASE_CODES_EXCLUDED as DISEASE_CODES_EXCLUDED
from clinscores.fhir.codes import DISEASES as DISEASES
from clinscores.fhir.codes import DMARD_ATC as DMARD_ATC
from clinscores.fhir.codes import DOSE_UNITS as DOSE_UNITS
from clinscores.fhir.codes import ICD10 as ICD10
from clinscores.fhir.codes import ICD10CM as ICD10CM
from clinscores.fhir.codes import LIST_PATHS as LIST_PATHS
from clinscores.fhir.codes import LOINC as LOINC
from clinscores.fhir.codes import MASS_IN_MG as MASS_IN_MG
from clinscores.fhir.codes import MEDICATION_STATUS as MEDICATION_STATUS
from clinscores.fhir.codes import NEGATIVE as NEGATIVE
from clinscores.fhir.codes import NOTED_STATUS as NOTED_STATUS
from clinscores.fhir.codes import OBSERVATION_USED as OBSERVATION_USED
from clinscores.fhir.codes import OTHER_CSDMARD_ATC as OTHER_CSDMARD_ATC
from clinscores.fhir.codes import PATIENT_ID_SYSTEM as PATIENT_ID_SYSTEM
from clinscores.fhir.codes import PERIOD_DAYS as PERIOD_DAYS
from clinscores.fhir.codes import POSITIVE as POSITIVE
from clinscores.fhir.codes import QUANTITIES as QUANTITIES
from clinscores.fhir.codes import ROUTES as ROUTES
from clinscores.fhir.codes import SNOMED as SNOMED
from clinscores.fhir.codes import STATUS_CODES as STATUS_CODES
from clinscores.fhir.codes import UCUM as UCUM
from clinscores.fhir.codes import Quantity as Quantity
from clinscores.fhir.form import questionnaire
from clinscores.fhir.read import SAME_REL_TOL as SAME_REL_TOL
from clinscores.fhir.read import BundleRecord as BundleRecord
from clinscores.fhir.read import is_bundle as is_bundle
from clinscores.fhir.read import read_bundle, record_from_bundle
from clinscores.fhir.read import reconcile_same_day as reconcile_same_day
from clinscores.fhir.screen import DERIVED as DERIVED
from clinscores.fhir.screen import screen_bundle
from clinscores.fhir.write import bundle_from_record

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
