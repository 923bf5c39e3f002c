"""Optional extras: a missing one is an installation problem, not bad data.

:func:`require` imports a module that needs an optional extra of the package
(``clinscores[fhir]``, ``clinscores[cli]``, ``clinscores[web]``) and raises
:class:`MissingExtraError` naming the extra when it cannot be imported.  The
``clinscores`` command answers it with :data:`EXIT_EXTRA` (every command),
the web service with 501.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Final

__all__ = ["EXIT_EXTRA", "MissingExtraError", "require"]

#: Exit code of every ``clinscores`` command when an optional extra is missing.
EXIT_EXTRA: Final = 5


class MissingExtraError(ImportError):
    """A feature needs an optional extra that is not installed.

    Attributes
    ----------
    extra : str
        The extra's name (``"fhir"``): ``pip install 'clinscores[fhir]'``.
    """

    def __init__(self, needs: str, extra: str) -> None:
        self.extra = extra
        super().__init__(f"{needs} the optional extra: pip install 'clinscores[{extra}]'")


def require(module: str, extra: str, needs: str) -> ModuleType:
    """Import *module*, or raise :class:`MissingExtraError` for *extra*.

    Parameters
    ----------
    module : str
        Module to import, e.g. ``"clinscores.fhir"``.
    extra : str
        The optional extra that provides what it imports, e.g. ``"fhir"``.
    needs : str
        The start of the message, e.g. ``"FHIR bundles need"``.

    Examples
    --------
    >>> require("json", "none", "JSON needs").__name__
    'json'
    >>> try:
    ...     require("clinscores.no_such_module", "fhir", "FHIR bundles need")
    ... except MissingExtraError as exc:
    ...     print(exc)
    FHIR bundles need the optional extra: pip install 'clinscores[fhir]'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(needs, extra) from exc
