"""Links from the HTML repr of skdistill's estimators to their API reference.

scikit-learn's ``BaseEstimator`` draws a "?" link in a notebook's HTML repr
from three class attributes: ``_doc_link_module`` (only classes defined in
that package get a link), ``_doc_link_template`` and
``_doc_link_url_param_generator`` (which fills the template). The API
reference is ``docs/api.md``, whose anchors are the public dotted name with
dots as dashes (``skdistill-distilledclassifier``,
``skdistill-students-softlogisticregression``; see ``docs/build_api.py``).

skdistill has no published documentation site yet, so the base address is
the package's ``Documentation`` project URL (``[project.urls]`` in
pyproject.toml), taken as the folder that holds ``api.md``; without one the
repr shows no link rather than a dead one.
"""

from __future__ import annotations

import functools
import importlib.metadata
import itertools

PACKAGE = "skdistill"


@functools.lru_cache(maxsize=1)
def documentation_url() -> str:
    """The ``Documentation`` project URL of the installed distribution, or ""."""
    try:
        entries = importlib.metadata.metadata(PACKAGE).get_all("Project-URL") or []
    except importlib.metadata.PackageNotFoundError:
        return ""
    for entry in entries:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation" and url.strip():
            return url.strip()
    return ""


def api_anchor(cls: type) -> str:
    """The anchor of ``cls`` in docs/api.md: its public module (the module
    path up to the first private part, where the class is exported) and
    name, dots as dashes, lower case."""
    public = itertools.takewhile(lambda part: not part.startswith("_"), cls.__module__.split("."))
    return ".".join([*public, cls.__name__]).replace(".", "-").lower()


def doc_link(cls: type) -> str:
    """The API reference address of ``cls``, or "" without a documentation URL."""
    base = documentation_url()
    if not base:
        return ""
    return f"{base.rstrip('/')}/api.md#{api_anchor(cls)}"


class DocLinkMixin:
    """The HTML repr's "?" link of a skdistill estimator points to its entry
    in the API reference (put before ``BaseEstimator`` in the bases)."""

    _doc_link_module = PACKAGE
    _doc_link_template = "{url}"

    def _doc_link_url_param_generator(self) -> dict[str, str]:
        return {"url": doc_link(type(self))}
