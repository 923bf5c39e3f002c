"""clinscores: validated rheumatology scores and the NCT07052565 eligibility screen.

The instruments live in the disease subpackages (:mod:`clinscores.ra`,
:mod:`clinscores.sle`, :mod:`clinscores.pss`, :mod:`clinscores.ssc`); laboratory
helpers in :mod:`clinscores.labs`; the trial screen in
:mod:`clinscores.eligibility`.
"""

from clinscores._core import Activity, Classification, InputError, report

__version__ = "0.1.0"

__all__ = ["Activity", "Classification", "InputError", "__version__", "report"]
