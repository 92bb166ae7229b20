"""The development workflow of CONTRIBUTING.md: one version, entry points that
run from the project root, and a clear error when the compiled kernels are
missing or older than their sources."""

import importlib
import importlib.metadata
import inspect
import os
import shutil
import subprocess
import sys
import typing
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import skdistill

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(skdistill.__file__).resolve().parent
BUILD_HINT = "pip install --no-build-isolation -e"


def test_version_is_the_installed_metadata_version():
    assert skdistill.__version__ == importlib.metadata.version("skdistill"), (
        "skdistill.__version__ differs from the installed metadata: reinstall "
        "(the version is read from skdistill/__init__.py at build time)"
    )


def test_pyproject_takes_the_version_from_the_package():
    tomllib = pytest.importorskip("tomllib")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"]
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "skdistill.__version__"
    }


def test_benchmarks_help_runs_from_the_project_root():
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "--quick" in out.stdout and "--only" in out.stdout


def _kernels(package):
    """``{pyx path: compiled module path}`` of the kernels in ``package``."""
    pairs = {}
    for pyx in (package / "_loss").glob("*.pyx"):
        built = [pyx.with_name(pyx.stem + s) for s in EXTENSION_SUFFIXES]
        built = [path for path in built if path.is_file()]
        if built:
            pairs[pyx] = built[0]
    return pairs


@pytest.fixture
def package_copy(tmp_path):
    """A copy of the imported package in ``tmp_path/src`` (file times kept)."""
    if not _kernels(PACKAGE):
        pytest.skip("the imported skdistill has no compiled kernels beside it")
    shutil.copytree(
        PACKAGE, tmp_path / "src" / "skdistill", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path / "src"


def _import(src, module):
    env = {**os.environ, "PYTHONPATH": str(src)}
    # Drop setuptools' editable-install finder: it would look up modules missing
    # from the copy in the developer's checkout.
    code = (
        "import sys; sys.meta_path[:] = [f for f in sys.meta_path if not "
        "getattr(f, '__module__', '').startswith('__editable__')]; "
        f"import {module}, skdistill; print(skdistill.__file__)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=src, env=env, capture_output=True, text=True, timeout=120
    )


def _set_source_age(src, seconds):
    """Make every ``.pyx`` ``seconds`` newer (> 0) or older than its kernel."""
    for pyx, built in _kernels(src / "skdistill").items():
        mtime = built.stat().st_mtime + seconds
        os.utime(pyx, (mtime, mtime))


# The kernels load with the native students (``import skdistill`` alone does
# not load them).
MODULES = ["skdistill", "skdistill.students"]


@pytest.mark.parametrize("module", MODULES)
def test_missing_kernels_name_the_build_command(package_copy, module):
    for built in _kernels(package_copy / "skdistill").values():
        built.unlink()
    out = _import(package_copy, module)
    assert out.returncode != 0
    assert "ImportError" in out.stderr and BUILD_HINT in out.stderr, out.stderr


@pytest.mark.parametrize("module", MODULES)
def test_stale_kernels_in_a_checkout_name_the_build_command(package_copy, module):
    (package_copy / "setup.py").write_text("")  # a source checkout
    _set_source_age(package_copy, +10)
    out = _import(package_copy, module)
    assert out.returncode != 0
    assert "older than" in out.stderr and BUILD_HINT in out.stderr, out.stderr


def test_current_kernels_in_a_checkout_import(package_copy):
    (package_copy / "setup.py").write_text("")
    _set_source_age(package_copy, -10)
    out = _import(package_copy, "skdistill.students")
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()).parent.parent == package_copy


def test_installed_package_ignores_file_times(package_copy):
    # No setup.py beside the package: a wheel unpacks files in any order.
    _set_source_age(package_copy, +10)
    out = _import(package_copy, "skdistill.students")
    assert out.returncode == 0, out.stderr


# ------------------------------------------------------------- type hints
def _public_functions():
    """``{qualified name: function}`` of the annotated public API: the
    estimators' constructors and predict family, the metrics, the report, the
    export, the size search and the generators' ``sample``."""
    from skdistill import export as export_module
    from skdistill import metrics, report, size_search
    from skdistill.transfer._base import BaseGenerator

    functions = {}
    for cls in (
        skdistill.DistilledClassifier,
        skdistill.DistilledRegressor,
        skdistill.DistilledEstimator,
    ):
        for name in (
            "__init__",
            "fit",
            "predict",
            "predict_proba",
            "predict_log_proba",
            "decision_function",
            "score",
        ):
            owner = next(base for base in cls.__mro__ if name in vars(base))
            if owner.__module__.startswith("skdistill"):  # not scikit-learn's score
                functions[f"{cls.__name__}.{name}"] = getattr(cls, name)
    for module in (metrics, report, export_module, size_search):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                functions[f"{module.__name__}.{name}"] = obj
    for cls in (report.DistillationReport, size_search.DistillationPath):
        for name in ("__init__", "to_dict", "to_frame"):
            functions[f"{cls.__name__}.{name}"] = getattr(cls, name)
    functions["StudentSelection.params"] = size_search.StudentSelection.params.fget
    functions["BaseGenerator.sample"] = BaseGenerator.sample
    return functions


def _missing_annotations(function):
    signature = inspect.signature(function)
    params = list(signature.parameters.values())
    if params and params[0].name == "self":
        params = params[1:]
    missing = [p.name for p in params if p.annotation is inspect.Parameter.empty]
    if signature.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def test_public_api_is_annotated():
    functions = _public_functions()
    # Every kind of entry point is present (a rename would silently shrink the list).
    for name in (
        "DistilledClassifier.fit",
        "DistilledClassifier.predict_proba",
        "DistilledEstimator.score",
        "skdistill.metrics.kl_divergence",
        "skdistill.metrics.make_fidelity_scorer",
        "skdistill.report.distillation_report",
        "skdistill.export.to_onnx",
        "skdistill.size_search.select_student",
        "BaseGenerator.sample",
    ):
        assert name in functions
    missing = {name: m for name, f in functions.items() if (m := _missing_annotations(f))}
    assert not missing, f"public functions without annotations: {missing}"


def test_fit_is_annotated_to_return_the_estimator_class():
    # A TypeVar bound to the base class: mypy sees DistilledClassifier().fit(...)
    # as a DistilledClassifier, not as the private base class.
    hints = typing.get_type_hints(skdistill.DistilledClassifier.fit)
    assert isinstance(hints["return"], typing.TypeVar)
    assert hints["return"] is hints["self"]


@pytest.mark.parametrize(
    "name",
    [
        name
        for name in _public_functions()
        if name.startswith(("Distilled", "skdistill.metrics", "skdistill.size_search.select"))
    ],
)
def test_annotations_resolve_at_run_time(name):
    # Annotations are strings (from __future__ import annotations); the names
    # in them must exist at run time too, for tools that evaluate them.
    # (Types from optional dependencies, pandas and onnx, are left out.)
    hints = typing.get_type_hints(_public_functions()[name])
    assert "return" in hints


def test_mypy_strict_modules_exist():
    # The modules listed for disallow_untyped_defs must exist: after a rename
    # mypy would silently stop requiring annotations there.
    tomllib = pytest.importorskip("tomllib")
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert mypy["packages"] == ["skdistill"]
    (strict,) = [o for o in mypy["overrides"] if o.get("disallow_untyped_defs")]
    assert "skdistill._distill" in strict["module"] and "skdistill.metrics" in strict["module"]
    for module in strict["module"]:
        importlib.import_module(module)
    assert "mypy skdistill" in (ROOT / ".ci" / "run").read_text()
