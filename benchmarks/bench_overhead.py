"""Overhead of DistilledClassifier.fit over the same steps written by hand.

By hand: teacher.fit, teacher.predict_proba (or decision_function) on the
training rows, soft targets, and the student fit with the same strategy. The
goal is a ratio (skdistill / by hand) of at most 1.1.

    python benchmarks/bench_overhead.py [--quick] [--json results.json]
"""

import argparse
import sys

import numpy as np
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from _harness import interleaved_median_times, markdown_table, write_json  # noqa: E402

from skdistill import DistilledClassifier  # noqa: E402

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
    ("forest(100) -> tree, replication", RandomForestClassifier(n_estimators=100, random_state=0),
     DecisionTreeClassifier(max_depth=6, random_state=0), by_hand_replication),
    ("HGB(100) -> ridge, logit regression", HistGradientBoostingClassifier(random_state=0),
     Ridge(), by_hand_logit_regression),
    ("forest(100) -> logistic, replication",
     RandomForestClassifier(n_estimators=100, random_state=0),
     LogisticRegression(max_iter=1000), by_hand_replication),
]


def run(n_samples, repeats):
    X, y = make_classification(n_samples=n_samples, n_features=20, n_informative=10,
                               random_state=0)
    rows = []
    for name, teacher, student, by_hand in CASES:
        model = DistilledClassifier(teacher, student, temperature=TEMPERATURE,
                                    alpha=0.0, transfer=None,
                                    teacher_targets="in_sample")
        hand_time, skd_time = interleaved_median_times(
            [lambda: by_hand(teacher, student, X, y), lambda: clone(model).fit(X, y)],
            repeats,
        )
        fitted = clone(model).fit(X, y)
        rows.append({"case": name, "n_samples": n_samples, "strategy": fitted.student_fit_,
                     "by hand (s)": hand_time, "skdistill (s)": skd_time,
                     "ratio": skd_time / hand_time})
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
    print("goal: ratio <= 1.1 (median of repeats, same run)")
    if args.json:
        write_json(args.json, "overhead", rows)
    return rows


if __name__ == "__main__":
    main()
