"""Griffe extension: document functions whose docstring is completed at import time.

Registered in ``mkdocs.yml`` (mkdocstrings ``extensions:`` option).  A few
functions share one block of parameter descriptions: their source docstring
holds a ``{parameters}`` placeholder that a decorator replaces when the module
is imported (``clinscores.sle.bilag2004``).  Griffe reads the source, not the
imported function, so without this extension the documentation would show an
empty Parameters section (and griffe warns that it cannot parse the line).
For those functions only, the docstring of the imported function is used.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from typing import Any

import griffe

#: The placeholder a docstring holds when its text is completed at import time.
PLACEHOLDER = "{parameters}"


class RuntimeDocstrings(griffe.Extension):
    """Replace a placeholder docstring by the imported function's docstring."""

    def on_function_instance(
        self,
        *,
        node: ast.AST | griffe.ObjectNode,
        func: griffe.Function,
        agent: griffe.Visitor | griffe.Inspector,
        **kwargs: Any,
    ) -> None:
        """Swap the docstring of *func* when its source text holds the placeholder."""
        if func.docstring is None or PLACEHOLDER not in func.docstring.value:
            return
        target: Any = importlib.import_module(func.module.path)
        for part in func.path[len(func.module.path) + 1 :].split("."):
            target = getattr(target, part)
        text = inspect.getdoc(target) or ""
        if PLACEHOLDER in text:
            raise RuntimeError(f"{func.path}: the imported docstring still holds {PLACEHOLDER}")
        func.docstring.value = text
