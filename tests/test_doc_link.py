"""The "?" link of the HTML repr points to the estimator's API reference entry."""

import email.message
import importlib.metadata
import inspect
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

import skdistill.students
from skdistill import DistilledClassifier, DistilledEstimator, DistilledRegressor, _doc_link
from skdistill.students import SoftDecisionTreeClassifier, SoftGAMRegressor

API_MD = Path(__file__).resolve().parents[1] / "docs" / "api.md"
DOCS = "https://docs.example.org/skdistill/"


def _estimator_classes():
    students = [getattr(skdistill.students, name) for name in skdistill.students.__all__]
    students = [obj for obj in students if inspect.isclass(obj) and issubclass(obj, BaseEstimator)]
    return [DistilledClassifier, DistilledRegressor, DistilledEstimator, *students]


@pytest.fixture
def documented(monkeypatch):
    monkeypatch.setattr(_doc_link, "documentation_url", lambda: DOCS)


def _links(html):
    # without scikit-learn >= 1.7's per-parameter "#:~:text=" links
    return {link.split("#:~:")[0] for link in re.findall(r'href="([^"]+)"', html)}


@pytest.mark.parametrize("cls", _estimator_classes(), ids=lambda cls: cls.__name__)
def test_every_estimator_links_to_its_anchor_in_api_md(cls, documented):
    anchor = _doc_link.api_anchor(cls)
    assert f'<a id="{anchor}"></a>' in API_MD.read_text(encoding="utf-8")
    teacher = DecisionTreeClassifier()
    estimator = cls(teacher, DecisionTreeClassifier()) if "Distilled" in cls.__name__ else cls()
    assert estimator._get_doc_link() == f"{DOCS}api.md#{anchor}"


def test_html_repr_of_unfitted_and_fitted_models_has_the_links(documented):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    model = DistilledClassifier(
        LogisticRegression(), SoftDecisionTreeClassifier(max_depth=2), random_state=0
    )
    expected = {
        f"{DOCS}api.md#skdistill-distilledclassifier",
        f"{DOCS}api.md#skdistill-students-softdecisiontreeclassifier",
    }
    assert expected <= _links(model._repr_html_())
    model.fit(X, y)
    html = model._repr_html_()
    assert expected <= _links(html)
    # scikit-learn's own sub-estimators keep scikit-learn's links
    assert any(
        "scikit-learn.org" in link and "LogisticRegression" in link for link in _links(html)
    )
    regressor = DistilledRegressor(DecisionTreeClassifier(), SoftGAMRegressor())
    assert f"{DOCS}api.md#skdistill-distilledregressor" in _links(regressor._repr_html_())


def test_no_link_without_a_documentation_url(monkeypatch):
    monkeypatch.setattr(_doc_link, "documentation_url", lambda: "")
    model = DistilledClassifier(LogisticRegression(), SoftDecisionTreeClassifier())
    assert model._get_doc_link() == ""
    assert "api.md" not in model._repr_html_()


def test_a_subclass_outside_skdistill_gets_no_link(documented):
    class MyDistilled(DistilledClassifier):
        pass

    MyDistilled.__module__ = "mypackage.models"
    assert MyDistilled(LogisticRegression(), DecisionTreeClassifier())._get_doc_link() == ""


def _metadata(*urls):
    message = email.message.Message()
    for url in urls:
        message["Project-URL"] = url
    return message


@pytest.mark.parametrize(
    "urls, expected",
    [
        (
            ["Source, https://code.example.org/x", "Documentation, https://d.example.org/"],
            "https://d.example.org/",
        ),
        (["documentation , https://d.example.org/docs"], "https://d.example.org/docs"),
        (["Source, https://code.example.org/x"], ""),
        ([], ""),
    ],
)
def test_documentation_url_from_the_package_metadata(urls, expected, monkeypatch):
    monkeypatch.setattr(importlib.metadata, "metadata", lambda name: _metadata(*urls))
    _doc_link.documentation_url.cache_clear()
    try:
        assert _doc_link.documentation_url() == expected
    finally:
        _doc_link.documentation_url.cache_clear()


def test_documentation_url_when_not_installed(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "metadata", missing)
    _doc_link.documentation_url.cache_clear()
    try:
        assert _doc_link.documentation_url() == ""
    finally:
        _doc_link.documentation_url.cache_clear()
