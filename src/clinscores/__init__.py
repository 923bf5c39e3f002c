"""clinscores: validated rheumatology scores and the NCT07052565 eligibility screen.

The instruments live in the disease subpackages (:mod:`clinscores.ra`,
:mod:`clinscores.sle`, :mod:`clinscores.pss`, :mod:`clinscores.ssc`); laboratory
helpers in :mod:`clinscores.labs`; the trial screen in
:mod:`clinscores.eligibility`.
"""

from importlib.metadata import PackageNotFoundError, version

from clinscores._coded import CodedArray
from clinscores._core import Activity, Classification, InputError, report

try:  # pyproject.toml's version is the single source; the installed metadata holds it
    __version__: str = version("clinscores")
except PackageNotFoundError:  # pragma: no cover - imported from a tree that was never installed
    __version__ = "0+unknown"

__all__ = ["Activity", "Classification", "CodedArray", "InputError", "__version__", "report"]
