"""Sub-forest students: k of a 500-tree random forest's own trees, refitted.

Data: magic, letter.p1, adult (binary) and California housing
(``537_houses``, regression); a seeded 70/30 split, the training part
capped at ``--max-train`` rows (15 000 in full mode, so that the 500-tree
teachers fit in a few minutes on one thread) and the test part at 10 000
rows. Teacher: ``RandomForest*(500)`` with scikit-learn's defaults. Every
student learns the teacher's in-sample outputs on the training rows
(probabilities, or predictions); every score is on the test rows.

Students for k = 5, 10, 20 trees:

- ``sub-forest refit``: ``SubForest*(k)`` with the defaults (greedy
  selection, then the joint leaf refit, ``teacher_weight=0``,
  ``leaf_penalty`` 0 for classifiers, 1 for the regressor); selection on
  5 000 rows (``max_samples``);
- ``sub-forest refit + MUNGE 5x`` (k=10 only): the same student inside a
  ``DistilledClassifier``/``DistilledRegressor`` with the frozen teacher and
  a MUNGE transfer set of 5 rows per training row, which the teacher labels
  (more rows per leaf for the refit);
- ``(d) greedy, no refit``: the same trees with the teacher's leaf values
  (``teacher_weight=1``);
- ``(a) first k trees``: the teacher's first k trees;
- ``(b) k-tree forest on labels``: a new ``RandomForest*(k)`` on y (another
  seed than the teacher, whose first k trees are (a));
- ``(c) depth-8 soft tree``: one distilled tree (``SoftDecisionTreeClassifier``
  on the probabilities; ``DecisionTreeRegressor`` on the predictions), k-free.

Columns: fidelity (agreement with the teacher's predicted class; R² to the
teacher's predictions for housing), score (accuracy; R² for housing), Δ
score against the teacher in points, pickled size of the plain scikit-learn
model, and predict latency (median of 5, ms per 1 000 rows, one thread).

    python benchmarks/bench_subforest.py [--quick] [--json PATH]
"""

import argparse
import pickle
import sys
import time
import warnings
from copy import deepcopy
from pathlib import Path

import numpy as np
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

sys.path.insert(0, str(Path(__file__).parent))
from _harness import load_pmlb, markdown_table, median_time, write_json  # noqa: E402
from _protocol import kdd06_problems, limited_threads  # noqa: E402

from skdistill import DistilledClassifier, DistilledRegressor  # noqa: E402
from skdistill.export import export_student  # noqa: E402
from skdistill.students import (  # noqa: E402
    SoftDecisionTreeClassifier,
    SubForestClassifier,
    SubForestRegressor,
)
from skdistill.transfer import Munge  # noqa: E402

GOAL_K = 10
GOAL_POINTS = 0.5
GOAL_FIDELITY = 0.98
SELECTION_ROWS = 5000


def problems(names):
    """``(name, X, y, classification)`` of the benchmark's data sets."""
    kdd = [n for n in names if n in ("magic", "letter.p1")]
    for name, X, y in kdd06_problems(tuple(kdd)):
        yield name, X, y, True
    if "adult" in names:
        X, y = load_pmlb("adult")
        yield "adult", X, y, True
    if "537_houses" in names:
        X, y = load_pmlb("537_houses")
        yield "537_houses", X, y, False


def split(X, y, classification, max_train, max_test=10_000):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=0, stratify=y if classification else None
    )
    return X_train[:max_train], y_train[:max_train], X_test[:max_test], y_test[:max_test]


def first_trees(teacher, k):
    """The teacher's first k trees as a forest."""
    forest = deepcopy(teacher)
    forest.estimators_ = forest.estimators_[:k]
    forest.n_estimators = k
    return forest


def with_transfer(SubForest, teacher, k, X_train, y_train, classification):
    """The sub-forest student distilled with a MUNGE 5x transfer set, exported."""
    Distilled = DistilledClassifier if classification else DistilledRegressor
    student = SubForest(k, max_samples=SELECTION_ROWS, random_state=0)
    params = {"temperature": 1.0} if classification else {}
    model = Distilled(
        FrozenEstimator(teacher),
        student,
        alpha=0.0,
        transfer=Munge(size_factor=5),
        random_state=0,
        **params,
    ).fit(X_train, y_train)
    return export_student(model)


def measure(model, X_test, y_test, teacher_out, classification):
    """Fidelity, score, pickled size and latency of a plain sklearn model."""
    seconds, out = median_time(lambda: model.predict(X_test), repeats=5)
    if classification:
        fidelity = float(np.mean(out == teacher_out))
        score = float(np.mean(out == y_test))
    else:
        fidelity = float(r2_score(teacher_out, out))
        score = float(r2_score(y_test, out))
    return {
        "fidelity": fidelity,
        "score": score,
        "size KB": len(pickle.dumps(model)) / 1024,
        "ms / 1k rows": 1000 * seconds / len(X_test) * 1000,
    }


def run_problem(name, X, y, classification, *, n_teacher, ks, max_train, verbose=True):
    X_train, y_train, X_test, y_test = split(X, y, classification, max_train)
    Forest = RandomForestClassifier if classification else RandomForestRegressor
    SubForest = SubForestClassifier if classification else SubForestRegressor
    start = time.perf_counter()
    teacher = Forest(n_estimators=n_teacher, random_state=0).fit(X_train, y_train)
    teacher_seconds = time.perf_counter() - start
    targets = teacher.predict_proba(X_train) if classification else teacher.predict(X_train)
    teacher_out = teacher.predict(X_test)
    rows = []

    def record(student, k, model, fit_seconds):
        row = {"data": name, "student": student, "trees": k}
        row.update(measure(model, X_test, y_test, teacher_out, classification))
        row["fit s"] = fit_seconds
        rows.append(row)
        if verbose:
            print(f"  {name} | {student} k={k}: {row['fidelity']:.4f}", file=sys.stderr)

    record("teacher", n_teacher, teacher, teacher_seconds)
    start = time.perf_counter()
    if classification:
        tree = SoftDecisionTreeClassifier(max_depth=8, random_state=0).fit(X_train, targets)
        tree = tree.to_sklearn()
        tree.classes_ = teacher.classes_
    else:
        tree = DecisionTreeRegressor(max_depth=8, random_state=0).fit(X_train, targets)
    record("(c) depth-8 soft tree", None, tree, time.perf_counter() - start)
    for k in ks:
        for student, params in (
            ("sub-forest refit", {}),
            ("(d) greedy, no refit", {"teacher_weight": 1.0}),
        ):
            start = time.perf_counter()
            sub = SubForest(k, max_samples=SELECTION_ROWS, random_state=0, **params)
            sub.fit(X_train, targets, teacher=teacher)
            model = sub.to_sklearn()
            if classification:
                model.classes_ = teacher.classes_
            record(student, k, model, time.perf_counter() - start)
        if k == GOAL_K:
            start = time.perf_counter()
            model = with_transfer(SubForest, teacher, k, X_train, y_train, classification)
            record("sub-forest refit + MUNGE 5x", k, model, time.perf_counter() - start)
        record("(a) first k trees", k, first_trees(teacher, k), None)
        start = time.perf_counter()
        labels = Forest(n_estimators=k, random_state=1).fit(X_train, y_train)
        record("(b) k-tree forest on labels", k, labels, time.perf_counter() - start)
    base = rows[0]["score"]
    for row in rows:
        row["Δ score (pts)"] = 100 * (row["score"] - base)
    return rows


def goal(rows):
    """Per data set: does the k=10 refit student meet the goal?"""
    verdicts = []
    for row in rows:
        if row["student"].startswith("sub-forest refit") and row["trees"] == GOAL_K:
            met = row["Δ score (pts)"] >= -GOAL_POINTS and row["fidelity"] >= GOAL_FIDELITY
            verdicts.append(
                {
                    "data": row["data"],
                    "student": row["student"],
                    "Δ score (pts)": row["Δ score (pts)"],
                    "fidelity": row["fidelity"],
                    "goal met": "yes" if met else "no",
                }
            )
    return verdicts


def render(payload):
    """The Markdown section of ``docs/benchmarks.md`` for a JSON result."""
    verdicts = payload["goal"]
    met = {}
    for v in verdicts:
        met.setdefault(v["student"], []).append(v["goal met"] == "yes")
    summary = "; ".join(
        f"{student}: met on {sum(flags)} of {len(flags)}" for student, flags in met.items()
    )
    mode = "quick" if payload.get("quick") else "full"
    parts = [
        f"Sub-forest students ({mode} mode): k of a RandomForest({payload['n_teacher']}) "
        "teacher's trees, against the teacher's first k trees, a k-tree forest on "
        "the labels, a distilled depth-8 tree and greedy selection without refit. "
        "Scores on held-out test rows (training rows capped at "
        f"{payload.get('max_train', 'all')}); fidelity is agreement with the teacher "
        "(R² to its predictions for 537_houses); Δ in accuracy (R²) points; size is "
        "the pickled scikit-learn model. Latencies come from one thread on a 2-core "
        "machine shared with other jobs: read them to within a factor of 2.",
        markdown_table(payload["rows"]),
        f"**Goal** (k={GOAL_K}: within {GOAL_POINTS} points of the teacher and fidelity "
        f">= {GOAL_FIDELITY}, on at least 3 of the 4 data sets): {summary}.",
        markdown_table(verdicts),
    ]
    return "\n\n".join(parts) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="magic, 100 trees, k=5,10")
    parser.add_argument("--max-train", type=int, default=None)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    if args.quick:
        names, n_teacher, ks = ("magic",), 100, (5, 10)
        max_train = args.max_train or 4000
    else:
        names, n_teacher, ks = ("magic", "letter.p1", "adult", "537_houses"), 500, (5, 10, 20)
        max_train = args.max_train or 15_000
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, X, y, classification in problems(names):
            rows += run_problem(
                name, X, y, classification, n_teacher=n_teacher, ks=ks, max_train=max_train
            )
    verdicts = goal(rows)
    payload = {"quick": args.quick, "n_teacher": n_teacher, "rows": rows, "goal": verdicts}
    print(render(payload))
    if args.json:
        write_json(
            args.json,
            "subforest",
            rows,
            quick=args.quick,
            n_teacher=n_teacher,
            goal=verdicts,
            max_train=max_train,
        )
    return payload


if __name__ == "__main__":
    with limited_threads():
        main()
