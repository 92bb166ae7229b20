"""Documentation tests: the API reference generator, and the project's doctest
runner (every ``Examples`` block of every module, and the user guide's code).
"""

import doctest
import importlib
import importlib.util
import inspect
import pkgutil
import re
from pathlib import Path

import numpy as np
import pytest

import skdistill

DOCS = Path(__file__).resolve().parents[1] / "docs"
# __main__ runs the command line on import.
NOT_IMPORTED = {"skdistill.__main__"}
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def all_modules():
    names = ["skdistill"] + [
        info.name for info in pkgutil.walk_packages(skdistill.__path__, "skdistill.")
    ]
    return [name for name in names if name not in NOT_IMPORTED]


def public_modules():
    return [
        name
        for name in all_modules()
        if not any(part.startswith("_") for part in name.split(".")[1:])
        and name != "skdistill.cli"
    ]


def load_build_api():
    spec = importlib.util.spec_from_file_location("build_api", DOCS / "build_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------ API reference
@pytest.fixture(scope="module")
def api_text(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs") / "api.md"
    assert load_build_api().main(["--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def module_sections(text):
    """``{module name: its section text}`` of the generated reference."""
    parts = re.split(r"^## `([\w.]+)`$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


def test_api_reference_has_every_public_name(api_text):
    sections = module_sections(api_text)
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        assert module_name in sections, f"{module_name} missing from api.md"
        names = getattr(module, "__all__", None)
        if names is None:
            names = [
                n
                for n, obj in vars(module).items()
                if not n.startswith("_") and getattr(obj, "__module__", None) == module_name
            ]
        for name in names:
            if name.startswith("__"):
                continue
            assert f"### `{name}`" in sections[module_name], (
                f"{module_name}.{name} missing from api.md"
            )


def test_api_reference_renders_numpydoc(api_text):
    section = module_sections(api_text)["skdistill"]
    entry = section.split("### `DistilledClassifier`")[1].split("### `")[0]
    assert "class skdistill.DistilledClassifier(teacher, student, *, temperature='auto'" in entry
    assert (
        "**Parameters**" in entry
        and '- **temperature** : *"auto" or float >= 1e-3, default="auto"*' in entry
    )
    assert "**Attributes**" in entry and "- **classes_**" in entry
    assert "```pycon\n>>> from sklearn.datasets import load_breast_cancer" in entry
    assert (
        "- `fit(X, y, sample_weight=None, X_unlabeled=None, **fit_params)` — Fit the teacher"
        in entry
    )
    # reST roles become code spans.
    assert ":class:" not in api_text and ":func:" not in api_text


def test_api_reference_signatures_drop_annotations(api_text):
    # The numpydoc Parameters give the types; the annotations (strings naming
    # private aliases such as MatrixLike) would make every signature unreadable.
    signatures = re.findall(r"^(?:class )?skdistill\.[\w.]+\(.*$", api_text, flags=re.M)
    signatures += re.findall(r"^- `\w+\(.*?\)`", api_text, flags=re.M)
    assert len(signatures) > 50
    annotated = [line for line in signatures if "->" in line or re.search(r"\w: ", line)]
    assert not annotated, annotated[:3]


def test_api_reference_links_resolve(api_text):
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', api_text))
    links = set(re.findall(r"\]\(#([^)]+)\)", api_text))
    assert links and links <= anchors, sorted(links - anchors)


def test_api_check_mode(tmp_path):
    build_api = load_build_api()
    out = tmp_path / "api.md"
    assert build_api.main(["--out", str(out), "--check"]) == 1  # missing
    assert build_api.main(["--out", str(out)]) == 0
    assert build_api.main(["--out", str(out), "--check"]) == 0
    out.write_text(out.read_text() + "edited\n")
    assert build_api.main(["--out", str(out), "--check"]) == 1


def test_committed_api_reference_is_current():
    # docs/api.md is generated; a docstring change must come with a rebuild.
    assert load_build_api().main(["--check"]) == 0, "run: python docs/build_api.py"


def test_numpydoc_rendering_units():
    build_api = load_build_api()
    doc = """Summary line with :class:`~sklearn.tree.DecisionTreeClassifier`.

    Parameters
    ----------
    x : int, default=1
        The x.
        On two lines.
    y
        No type.

    Returns
    -------
    out : float

    Raises
    ------
    ValueError
        When bad.

    Examples
    --------
    >>> 1 + 1
    2
    """
    text = "\n".join(build_api.render_docstring(doc))
    assert "Summary line with `sklearn.tree.DecisionTreeClassifier`." in text
    assert "- **x** : *int, default=1* — The x. On two lines." in text
    assert "- **y** — No type." in text
    assert "- **out** : *float*" in text
    assert "- *ValueError* — When bad." in text
    assert "```pycon\n>>> 1 + 1\n2\n```" in text


# ------------------------------------------------------------------ doctests
def module_doctests(module_name):
    module = importlib.import_module(module_name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, module_name)
    return [test for test in tests if test.examples]


def modules_with_doctests():
    return [name for name in all_modules() if module_doctests(name)]


def test_doctest_collection_finds_the_package_examples():
    found = modules_with_doctests()
    assert {"skdistill._distill", "skdistill.export"} <= set(found)


@pytest.mark.parametrize("module_name", modules_with_doctests())
def test_doctests(module_name):
    """Every Examples block in the package runs and prints what it shows."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    tests = module_doctests(module_name)
    runner = doctest.DocTestRunner(optionflags=DOCTEST_FLAGS)
    report = []
    with np.printoptions(legacy=False):
        for test in sorted(tests, key=lambda t: t.name):
            runner.run(test, out=report.append)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, "".join(report)


def test_every_public_estimator_has_runnable_examples():
    missing = []
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.isclass(obj) and hasattr(obj, "fit") and ">>>" not in (obj.__doc__ or ""):
                missing.append(f"{module_name}.{name}")
    assert not missing, f"public estimators without an Examples block: {missing}"


# ---------------------------------------------------------------- the guide
def guide_doctest():
    text = (DOCS / "guide.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    return "\n".join(blocks), len(blocks)


def test_guide_examples_run():
    """The guide's ``pycon`` blocks run in order, in one namespace, like a
    notebook."""
    source, n_blocks = guide_doctest()
    assert n_blocks >= 5
    test = doctest.DocTestParser().get_doctest(source, {}, "guide.md", "guide.md", 0)
    runner = doctest.DocTestRunner(optionflags=DOCTEST_FLAGS)
    report = []
    runner.run(test, out=report.append)
    assert runner.summarize(verbose=False).failed == 0, "".join(report)


def test_guide_covers_concepts():
    text = (DOCS / "guide.md").read_text(encoding="utf-8").lower()
    for concept in (
        "teacher",
        "temperature",
        "alpha",
        "out-of-fold",
        "transfer set",
        "fidelity",
        "frozenestimator",
        "student_fit",
        "export_student",
        "onnx",
        "skdistill distill",
        "replication",
        "logit_regression",
    ):
        assert concept in text, concept


def github_slug(heading):
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


def test_guide_anchors_resolve():
    guide = (DOCS / "guide.md").read_text(encoding="utf-8")
    slugs = {github_slug(h) for h in re.findall(r"^#+ (.+)$", guide, flags=re.MULTILINE)}
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    anchors = re.findall(r"\]\(#([^)]+)\)", guide)
    anchors += re.findall(r"\]\(guide\.md#([^)]+)\)", index)
    assert len(anchors) >= 20
    assert set(anchors) <= slugs, sorted(set(anchors) - slugs)


def test_index_links_exist():
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if "://" not in t]
    assert {"guide.md", "api.md"} <= set(local)
    root = DOCS
    for target in local:
        assert (root / target).resolve().exists(), target
