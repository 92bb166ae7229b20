"""Large-data honesty check: with plenty of real rows, distillation must not hurt.

- ``adult`` (48 842 rows, binary): 70/30 stratified split (seeded). Teacher:
  HistGradientBoosting (300 iterations); students: a depth-6 soft tree, a
  scaled soft logistic regression, soft Gaussian naive Bayes and a small soft
  boosted model.
- California housing (``537_houses``, 20 640 rows, regression): 70/30 split.
  Teacher: HistGradientBoostingRegressor; students: a depth-6 regression
  tree, a linear-leaf tree and a scaled ridge regression.

Each student is trained on the labels, distilled with plain settings
(T=1, alpha=0, no transfer, out-of-fold teacher targets), and distilled
with the library's defaults (``"auto"``: the inner split of the training
rows chooses; the test rows are never used). Accuracy / R² on the
test rows and the change against the label-trained student in points.

    python benchmarks/bench_large.py [--quick] [--json PATH]
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

sys.path.insert(0, str(Path(__file__).parent))
from _data import load_pmlb  # noqa: E402
from _harness import markdown_table, write_json  # noqa: E402
from _protocol import (  # noqa: E402
    DEFAULTS_LABEL,
    PLAIN_LABEL,
    fit_default_rule,
    limited_threads,
    untuned,
)

from skdistill import DistilledClassifier, DistilledRegressor  # noqa: E402
from skdistill.students import (  # noqa: E402
    LinearTreeRegressor,
    SoftDecisionTreeClassifier,
    SoftGaussianNB,
    SoftGradientBoostingClassifier,
    SoftLogisticRegression,
)


def classification_students(quick):
    out = {
        "soft tree (depth 6)": SoftDecisionTreeClassifier(max_depth=6, random_state=0),
        "soft logistic": make_pipeline(StandardScaler(), SoftLogisticRegression(max_iter=500)),
    }
    if not quick:
        out["soft Gaussian NB"] = SoftGaussianNB()
        out["soft boosted (20 x depth 3)"] = SoftGradientBoostingClassifier(
            n_estimators=20, random_state=0
        )
    return out


def regression_students(quick):
    out = {"tree (depth 6)": DecisionTreeRegressor(max_depth=6, random_state=0)}
    if not quick:
        out["linear-leaf tree (depth 3)"] = LinearTreeRegressor(max_depth=3)
        out["ridge"] = make_pipeline(StandardScaler(), Ridge())
    return out


def _case(
    task,
    dataset,
    name,
    teacher,
    student,
    distilled_cls,
    X_train,
    y_train,
    X_test,
    y_test,
    score,
    verbose,
):
    rows = []

    def record(config, model, seconds):
        rows.append(
            {
                "dataset": dataset,
                "task": task,
                "student": name,
                "config": config,
                "test score": score(y_test, model.predict(X_test)),
                "fit s": seconds,
            }
        )
        if verbose:
            print(
                f"  {dataset} | {name} | {config}: {rows[-1]['test score']:.4f}",
                file=sys.stderr,
                flush=True,
            )

    start = time.perf_counter()
    record("labels", clone(student).fit(X_train, y_train), time.perf_counter() - start)
    model = untuned(distilled_cls(teacher, student, random_state=0))
    start = time.perf_counter()
    record(PLAIN_LABEL, clone(model).fit(X_train, y_train), time.perf_counter() - start)
    start = time.perf_counter()
    fitted, chosen = fit_default_rule(model, X_train, y_train)
    record(f"{DEFAULTS_LABEL} -> {chosen}", fitted, time.perf_counter() - start)
    base = rows[0]["test score"]
    for row in rows:
        row["Δ vs labels (pts)"] = 100 * (row["test score"] - base)
    return rows


def run(quick=False, n_rows=None, verbose=True):
    """``n_rows`` subsamples the data sets and shrinks the teachers (for
    the smoke test)."""
    rows = []
    rng = np.random.RandomState(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        X, y = load_pmlb("adult")
        if n_rows:
            keep = rng.choice(len(y), n_rows, replace=False)
            X, y = X[keep], y[keep]
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=0
        )
        n_iter = 20 if n_rows else 100 if quick else 300
        teacher = HistGradientBoostingClassifier(max_iter=n_iter, random_state=0)
        start = time.perf_counter()
        fitted = clone(teacher).fit(X_train, y_train)
        rows.append(
            {
                "dataset": "adult",
                "task": "accuracy",
                "student": "teacher (HGB)",
                "config": "labels",
                "test score": fitted.score(X_test, y_test),
                "fit s": time.perf_counter() - start,
            }
        )
        for name, student in classification_students(quick).items():
            rows += _case(
                "accuracy",
                "adult",
                name,
                teacher,
                student,
                DistilledClassifier,
                X_train,
                y_train,
                X_test,
                y_test,
                lambda a, b: float(np.mean(a == b)),
                verbose,
            )

        X, y = load_pmlb("537_houses")
        if n_rows:
            keep = rng.choice(len(y), n_rows, replace=False)
            X, y = X[keep], y[keep]
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
        teacher = HistGradientBoostingRegressor(max_iter=n_iter, random_state=0)
        start = time.perf_counter()
        fitted = clone(teacher).fit(X_train, y_train)
        rows.append(
            {
                "dataset": "537_houses",
                "task": "R2",
                "student": "teacher (HGB)",
                "config": "labels",
                "test score": r2_score(y_test, fitted.predict(X_test)),
                "fit s": time.perf_counter() - start,
            }
        )
        for name, student in regression_students(quick).items():
            rows += _case(
                "R2",
                "537_houses",
                name,
                teacher,
                student,
                DistilledRegressor,
                X_train,
                y_train,
                X_test,
                y_test,
                r2_score,
                verbose,
            )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer students, smaller teachers")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    print("## Large data: adult (70/30) and California housing (70/30)\n")
    print(markdown_table(rows) + "\n", flush=True)
    if args.json:
        write_json(args.json, "large", rows, quick=args.quick)
    return rows


if __name__ == "__main__":
    with limited_threads():
        main()
