"""Fit time of the native soft students against their scikit-learn counterparts.

On hard labels each student grows the same model as its scikit-learn
counterpart (SoftGradientBoostingClassifier = GradientBoostingClassifier,
SoftDecisionTreeClassifier = DecisionTreeClassifier(criterion="gini"),
SoftGaussianNB = GaussianNB), so the fit-time ratio (ours / sklearn) is the
price of the soft-target machinery; the accuracy columns and the largest
probability difference check that the models are indeed the same. Times are
medians of interleaved repeats (a, b, a, b, ...) measured in one run.

    python benchmarks/bench_students.py [--quick] [--repeats 3] [--json results.json]
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.fixes import parse_version

sys.path.insert(0, str(Path(__file__).parent))
from _harness import interleaved_median_times, markdown_table, write_json

from skdistill.students import (
    SoftDecisionTreeClassifier,
    SoftGaussianNB,
    SoftGradientBoostingClassifier,
)


def sklearn_gbc(**params):
    # scikit-learn < 1.9 defaults to friedman_mse; 1.9 deprecates the parameter.
    if parse_version(sklearn.__version__) < parse_version("1.9"):
        params["criterion"] = "squared_error"
    return GradientBoostingClassifier(**params)


def cases(quick):
    n_estimators = 10 if quick else 50
    gbm = {"n_estimators": n_estimators, "max_depth": 3, "random_state": 0}
    return [
        (
            f"boosting ({n_estimators} rounds, depth 3)",
            # early stopping off: the comparison is with the same 50-round model
            lambda: SoftGradientBoostingClassifier(early_stopping=False, **gbm),
            lambda: sklearn_gbc(**gbm),
        ),
        (
            "tree (depth 8)",
            lambda: SoftDecisionTreeClassifier(max_depth=8, random_state=0),
            lambda: DecisionTreeClassifier(max_depth=8, random_state=0),
        ),
        (
            "tree (full depth)",
            lambda: SoftDecisionTreeClassifier(random_state=0),
            lambda: DecisionTreeClassifier(random_state=0),
        ),
        ("gaussian NB", SoftGaussianNB, GaussianNB),
    ]


def run(n_samples, n_features, class_counts, repeats, quick):
    rows = []
    for n_classes in class_counts:
        X, y = make_classification(
            n_samples=n_samples + n_samples // 4,
            n_features=n_features,
            n_informative=10,
            n_classes=n_classes,
            n_clusters_per_class=2,
            random_state=0,
        )
        X_train, y_train = X[:n_samples], y[:n_samples]
        X_test, y_test = X[n_samples:], y[n_samples:]
        for name, make_ours, make_theirs in cases(quick):
            (ours_time, theirs_time), (ours, theirs) = _timed_fits(
                (make_ours, make_theirs), X_train, y_train, repeats
            )
            rows.append(
                {
                    "model": name,
                    "n_classes": n_classes,
                    "n_train": n_samples,
                    "ours_fit_s": ours_time,
                    "sklearn_fit_s": theirs_time,
                    "ratio": ours_time / theirs_time,
                    "ours_acc": float(np.mean(ours.predict(X_test) == y_test)),
                    "sklearn_acc": float(np.mean(theirs.predict(X_test) == y_test)),
                    "max_proba_diff": float(
                        np.abs(ours.predict_proba(X_test) - theirs.predict_proba(X_test)).max()
                    ),
                }
            )
            print(f"done: {name}, K={n_classes}", file=sys.stderr, flush=True)
    return rows


def _timed_fits(makers, X, y, repeats):
    """Interleaved median fit times of fresh models, and the last fitted ones."""
    fitted = [None] * len(makers)

    def fitter(i):
        def fit():
            fitted[i] = makers[i]().fit(X, y)

        return fit

    times = interleaved_median_times([fitter(i) for i in range(len(makers))], repeats=repeats)
    return times, fitted


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (CI smoke)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)
    n_samples = 2000 if args.quick else 20000
    rows = run(n_samples, 20, (2, 5), args.repeats, args.quick)
    print(markdown_table(rows))
    if args.json:
        write_json(args.json, "students", rows, quick=args.quick, repeats=args.repeats)


if __name__ == "__main__":
    main()
