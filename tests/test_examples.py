"""Run every script of ``examples/`` in quick mode, as a user would.

Each runs in a subprocess with ``SKDISTILL_EXAMPLE_QUICK=1`` and
``MPLBACKEND=Agg`` and must exit 0 and print its key lines. OpenMP is limited
to one thread: on a shared, loaded machine scikit-learn's OpenMP estimators
(histogram gradient boosting) slow down by an order of magnitude when their
threads compete.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Lines each example must print (checked as substrings of stdout).
EXPECTED_OUTPUT = {
    "plot_distill_forest_to_tree.py": [
        "Distillation path over student__max_depth",
        "Saved the fidelity curve",
        "| distilled ",
        "# DecisionTreeClassifier student (depth 4",
    ],
    "gbm_to_logistic_gridsearch.py": [
        "| temperature | C ",
        "Best: {",
        "| distilled (best T)",
        "student_fit_ = 'native'",
    ],
    "regression_housing_gbm_to_tree.py": [
        "Teacher: gradient boosting, test R2",
        "tree, 32 leaves, distilled",
        "Exported student: DecisionTreeRegressor",
    ],
    "munge_small_data.py": [
        "| distilled, real + MUNGE rows",
        "| defaults (auto)",
        "fidelity to the forest",
    ],
    "churn_update.py": [
        "Plain retrain (",
        "Distillation path over alpha",
        "bad churn",
        "| interpolation, lambda=0.5 |",
        "| distillation, alpha=0.5 |",
        "Saved the churn-accuracy frontier",
    ],
    "search_students.py": [
        "Student search (budget: max_leaves=64",
        "skipped boosting: not interpretable",
        "Chosen student on the test rows: fidelity",
    ],
    "pipeline_teacher.py": [
        "Teacher: Pipeline(ColumnTransformer, RandomForest)",
        "class: approved",
        "Exported student: ColumnTransformer -> DecisionTreeClassifier",
    ],
}
# Modules written by other parts of the project that an example needs.
REQUIRES = {
    "plot_distill_forest_to_tree.py": "matplotlib",
}


def test_every_example_is_covered():
    scripts = sorted(path.name for path in EXAMPLES.glob("*.py"))
    assert len(scripts) >= 5
    assert scripts == sorted(EXPECTED_OUTPUT)
    for script in scripts:
        text = (EXAMPLES / script).read_text()
        assert text.startswith('"""'), f"{script} needs a top docstring"
        assert "SKDISTILL_EXAMPLE_QUICK" in text, f"{script} ignores quick mode"


@pytest.mark.parametrize("script", sorted(EXPECTED_OUTPUT))
def test_example_runs(script, tmp_path):
    needed = REQUIRES.get(script)
    if needed and importlib.util.find_spec(needed) is None:
        pytest.skip(f"{script} needs {needed}, which is not installed")
    env = {
        **os.environ,
        "SKDISTILL_EXAMPLE_QUICK": "1",
        "MPLBACKEND": "Agg",
        "SKDISTILL_EXAMPLE_OUTPUT": str(tmp_path),
        "OMP_NUM_THREADS": "1",
        "PYTHONWARNINGS": "ignore",
    }
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for line in EXPECTED_OUTPUT[script]:
        assert line in result.stdout, f"{line!r} missing from the output of {script}"
    if script == "plot_distill_forest_to_tree.py":
        png = tmp_path / "forest_to_tree_fidelity.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
