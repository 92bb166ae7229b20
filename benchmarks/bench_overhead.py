"""Overhead of DistilledClassifier.fit over the same steps written by hand,
and of the "auto" defaults over a plain distilled fit.

By hand: teacher.fit, teacher.predict_proba (or decision_function) on the
training rows, soft targets, and the student fit with the same strategy. The
goal is a ratio (skdistill / by hand) of at most 1.1.

Defaults vs plain: ``DistilledClassifier(teacher, student)`` against the same
with ``temperature=1, alpha=0, transfer=None``, both with the default target
source (out-of-bag for the forest, out-of-fold for boosting and the
pipeline), per teacher family: teacher fits counted and the time ratio. The
goal is a ratio of at most 2 and no teacher fit beyond the target source's.

    python benchmarks/bench_overhead.py [--quick] [--json results.json]
"""

import argparse
import sys

import numpy as np
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from _harness import interleaved_median_times, markdown_table, write_json  # noqa: E402

from skdistill import DistilledClassifier  # noqa: E402
from skdistill._tune import describe  # noqa: E402

TEMPERATURE = 2.0


def by_hand_replication(teacher, student, X, y):
    """Forest -> tree through weighted row replication, written with sklearn only."""
    teacher = clone(teacher).fit(X, y)
    proba = teacher.predict_proba(X) ** (1 / TEMPERATURE)
    proba /= proba.sum(axis=1, keepdims=True)
    keep = proba >= 1e-3
    rows, cols = np.nonzero(keep)
    weights = proba[rows, cols]
    return clone(student).fit(X[rows], teacher.classes_[cols], sample_weight=weights)


def by_hand_logit_regression(teacher, student, X, y):
    """Boosting -> ridge on the tempered margins, written with sklearn only."""
    teacher = clone(teacher).fit(X, y)
    margin = teacher.decision_function(X) / TEMPERATURE
    return clone(student).fit(X, margin)


CASES = [
    (
        "forest(100) -> tree, replication",
        RandomForestClassifier(n_estimators=100, random_state=0),
        DecisionTreeClassifier(max_depth=6, random_state=0),
        by_hand_replication,
    ),
    (
        "HGB(100) -> ridge, logit regression",
        HistGradientBoostingClassifier(random_state=0),
        Ridge(),
        by_hand_logit_regression,
    ),
    (
        "forest(100) -> logistic, replication",
        RandomForestClassifier(n_estimators=100, random_state=0),
        LogisticRegression(max_iter=1000),
        by_hand_replication,
    ),
]


def run(n_samples, repeats):
    X, y = make_classification(
        n_samples=n_samples, n_features=20, n_informative=10, random_state=0
    )
    rows = []
    for name, teacher, student, by_hand in CASES:
        model = DistilledClassifier(
            teacher,
            student,
            temperature=TEMPERATURE,
            alpha=0.0,
            transfer=None,
            teacher_targets="in_sample",
        )
        hand_time, skd_time = interleaved_median_times(
            [lambda: by_hand(teacher, student, X, y), lambda: clone(model).fit(X, y)],
            repeats,
        )
        fitted = clone(model).fit(X, y)
        rows.append(
            {
                "case": name,
                "n_samples": n_samples,
                "strategy": fitted.student_fit_,
                "by hand (s)": hand_time,
                "skdistill (s)": skd_time,
                "ratio": skd_time / hand_time,
            }
        )
    return rows


TEACHER_FITS = []


def counting(estimator):
    """``estimator`` as an instance of a subclass whose ``fit`` is counted
    (clones keep the subclass, so every fit the library makes is seen)."""
    cls = type(estimator)

    def fit(self, *args, **kwargs):
        TEACHER_FITS.append(cls.__name__)
        return cls.fit(self, *args, **kwargs)

    counted = type(f"Counting{cls.__name__}", (cls,), {"fit": fit})
    return counted(**estimator.get_params(deep=False))


def defaults_cases(quick):
    n_trees = 50 if quick else 200
    return [
        (
            "bagging: forest -> soft tree",
            counting(RandomForestClassifier(n_estimators=n_trees, random_state=0)),
        ),
        (
            "boosting: HGB -> soft tree",
            counting(HistGradientBoostingClassifier(max_iter=100, random_state=0)),
        ),
        (
            "pipeline: scaler + MLP -> soft tree",
            make_pipeline(
                StandardScaler(),
                counting(MLPClassifier(hidden_layer_sizes=(64,), max_iter=200, random_state=0)),
            ),
        ),
    ]


def run_defaults(n_samples, repeats, quick):
    """Defaults against plain distillation, same target source."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    from skdistill.students import SoftDecisionTreeClassifier

    X, y = make_classification(
        n_samples=n_samples, n_features=20, n_informative=10, random_state=0
    )
    rows = []
    for name, teacher in defaults_cases(quick):
        student = SoftDecisionTreeClassifier(max_depth=6)
        defaults = DistilledClassifier(teacher, student, random_state=0)
        plain = clone(defaults).set_params(temperature=1.0, alpha=0.0, transfer=None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            counts = []
            for model in (plain, defaults):
                TEACHER_FITS.clear()
                fitted = clone(model).fit(X, y)
                counts.append(len(TEACHER_FITS))
            plain_time, defaults_time = interleaved_median_times(
                [lambda: clone(plain).fit(X, y), lambda: clone(defaults).fit(X, y)], repeats
            )
        rows.append(
            {
                "case": name,
                "n_samples": n_samples,
                "source": fitted.target_summary_["source"],
                "teacher fits (plain)": counts[0],
                "teacher fits (defaults)": counts[1],
                "defaults chose": describe(fitted.tuned_params_),
                "plain (s)": plain_time,
                "defaults (s)": defaults_time,
                "ratio": defaults_time / plain_time,
                "tune (s)": fitted.tune_time_,
            }
        )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (CI smoke)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)
    n_samples = 5_000 if args.quick else 50_000
    rows = run(n_samples, 3 if args.quick else args.repeats)
    print(markdown_table(rows))
    print("goal: ratio <= 1.1 (median of repeats, same run)\n")
    defaults = run_defaults(
        2_000 if args.quick else 5_000, 3 if args.quick else args.repeats, args.quick
    )
    print(markdown_table(defaults))
    print("goal: defaults / plain <= 2, teacher fits equal (median of repeats, same run)")
    if args.json:
        write_json(args.json, "overhead", rows, defaults=defaults, quick=args.quick)
    return rows


if __name__ == "__main__":
    main()
