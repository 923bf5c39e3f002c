"""MkDocs hook: run the tutorial code of docs/cohorts.md and publish its figure.

Registered in ``mkdocs.yml`` under ``hooks:``.  The figure is added to the
site as a generated file (nothing is written into ``docs/``), so it is
rebuilt from the current code on every ``mkdocs build``, offline.  The
notebook display of docs/notebooks.md is rendered the same way
(``notebook_display.py``).
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path
from typing import Any

FIGURE = "img/das28_categories.png"
#: The response rates per visit of the simulated trial (trial_plot.py).
TRIAL_FIGURE = "img/trial_response.png"


def render_figure(script_name: str = "cohort_plot.py") -> bytes:
    """PNG bytes of a tutorial plot (by default the DAS28 category plot)."""
    script = Path(__file__).with_name(script_name)
    spec = importlib.util.spec_from_file_location("cohort_plot", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fd, path = tempfile.mkstemp(suffix=".png")
    os.close(fd)
    try:
        module.main(path)
        return Path(path).read_bytes()
    finally:
        os.unlink(path)


def on_files(files: Any, config: Any) -> Any:
    """Add the figure to the site's files (mkdocs >= 1.6 ``File.generated``)."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, FIGURE, content=render_figure()))
    files.append(File.generated(config, TRIAL_FIGURE, content=render_figure("trial_plot.py")))
    return files


def _script(name: str) -> Any:
    script = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(script.stem, script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Put the notebook display (``_repr_html_``) into docs/notebooks.md at build time."""
    if page.file.src_uri != "notebooks.md":
        return markdown
    rendered: str = _script("notebook_display.py").render(markdown)
    return rendered
