"""The best student for a budget: search across student families and sizes.

A gradient-boosting teacher on scikit-learn's California housing data
(regression) and on the breast-cancer data (classification), and the
question a user comes with: *which small model follows it most closely
within my budget?* :func:`skdistill.search_students` fits the teacher once,
computes its targets once, and races soft trees, additive GAMs, linear
models, trees with linear leaves and small boosted models, each over a
ladder of sizes within the budget, by successive halving on held-out
fidelity. It returns every candidate, the Pareto frontier of fidelity
against size and the chosen student distilled on all rows.

The script prints the race for a 64-leaf budget, then for a readable
("interpretable") student under 20 kB, measures the chosen students on test
rows no choice saw, and saves the frontier plot
(:class:`skdistill.plotting.StudentSearchDisplay`) when matplotlib is
installed.

Environment: ``SKDISTILL_EXAMPLE_QUICK=1`` uses fewer rows and a smaller
teacher; ``SKDISTILL_EXAMPLE_OUTPUT`` is where the PNG goes (default: the
working directory).
"""

import os
from pathlib import Path

import numpy as np
from sklearn.datasets import fetch_california_housing, load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.model_selection import train_test_split

from skdistill import search_students

QUICK = os.environ.get("SKDISTILL_EXAMPLE_QUICK") == "1"
OUTPUT = Path(os.environ.get("SKDISTILL_EXAMPLE_OUTPUT", "."))


def load_regression():
    """California housing when scikit-learn has it cached (no download
    here), else a synthetic additive problem of the same size."""
    try:
        X, y = fetch_california_housing(return_X_y=True, download_if_missing=False)
        name = "California housing"
    except OSError:
        rng = np.random.RandomState(0)
        X = rng.uniform(-1, 1, size=(20_000, 6))
        y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2 + X[:, 2] * X[:, 3] + 0.1 * rng.normal(size=20_000)
        name = "synthetic additive data"
    n = 2000 if QUICK else 8000
    return name, X[:n], y[:n]


def test_fidelity(model, X_test):
    teacher = model.teacher_
    if hasattr(teacher, "predict_proba"):
        return float(np.mean(model.predict(X_test) == teacher.predict(X_test)))
    pred, target = model.predict(X_test), teacher.predict(X_test)
    return float(1 - np.sum((pred - target) ** 2) / np.sum((target - target.mean()) ** 2))


def main():
    name, X, y = load_regression()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    teacher = HistGradientBoostingRegressor(max_iter=100 if QUICK else 300, random_state=0)
    search = search_students(
        teacher, X_train, y_train, budget={"max_leaves": 64}, random_state=0, verbose=1
    )
    print(f"\nRegression ({name}), budget max_leaves=64:")
    print(search)
    print(
        f"Chosen student on the test rows: R2 to the teacher "
        f"{test_fidelity(search.best_estimator, X_test):.3f}, R2 to y "
        f"{search.best_estimator.score(X_test, y_test):.3f}"
    )

    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    readable = search_students(
        HistGradientBoostingClassifier(random_state=0),
        X_train,
        y_train,
        budget={"max_bytes": 20_000, "interpretable": True},
        random_state=0,
    )
    print("\nClassification (breast cancer), budget max_bytes=20000, interpretable:")
    print(readable)
    print(
        f"Chosen student on the test rows: fidelity "
        f"{test_fidelity(readable.best_estimator, X_test):.3f}, accuracy "
        f"{readable.best_estimator.score(X_test, y_test):.3f}"
    )
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError:
        print("(install matplotlib to save the frontier plot)")
        return
    from skdistill.plotting import StudentSearchDisplay

    display = StudentSearchDisplay.from_search(search)
    path = OUTPUT / "search_students_frontier.png"
    display.figure_.savefig(path, dpi=100, bbox_inches="tight")
    print(f"Saved the frontier plot to {path}")


if __name__ == "__main__":
    main()
