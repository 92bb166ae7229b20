"""The table "What they achieve" of docs/students.md: every native student on
one problem, trained on a teacher's soft targets and on the labels.

A 200-tree random forest on MAGIC (19 020 rows, 10 features; 70 % train,
30 % test, stratified, seed 0); its out-of-bag probabilities are the soft
targets. Fidelity is agreement with the teacher's class on the test rows, KL
the mean KL(teacher || student) there; in brackets the same student trained
on the labels. Times are from one run (predict: median of 5), orders of
magnitude only on a shared machine.

    python benchmarks/bench_student_table.py [--quick] [--json PATH]
"""

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).parent))
from _data import load_pmlb
from _harness import markdown_table, write_json
from _protocol import limited_threads

from skdistill.metrics import fidelity_score
from skdistill.students import (
    LinearTreeClassifier,
    SoftDecisionTreeClassifier,
    SoftGAMClassifier,
    SoftGaussianNB,
    SoftGradientBoostingClassifier,
    SoftLogisticRegression,
)


def students():
    """``(name, maker)`` of each student in the table."""
    return [
        (
            "SoftLogisticRegression (scaled)",
            lambda: make_pipeline(StandardScaler(), SoftLogisticRegression()),
        ),
        ("SoftGaussianNB", SoftGaussianNB),
        (
            "SoftDecisionTreeClassifier(max_depth=4)",
            lambda: SoftDecisionTreeClassifier(max_depth=4, random_state=0),
        ),
        (
            "SoftDecisionTreeClassifier(max_depth=8)",
            lambda: SoftDecisionTreeClassifier(max_depth=8, random_state=0),
        ),
        ("LinearTreeClassifier(max_depth=2)", lambda: LinearTreeClassifier(max_depth=2)),
        (
            "SoftGradientBoostingClassifier(50 rounds, depth 3)",
            lambda: SoftGradientBoostingClassifier(
                n_estimators=50, early_stopping=False, random_state=0
            ),
        ),
        ("SoftGAMClassifier (main effects)", lambda: SoftGAMClassifier(random_state=0)),
        (
            "SoftGAMClassifier(interactions=10)",
            lambda: SoftGAMClassifier(interactions=10, random_state=0),
        ),
    ]


def mean_kl(p, q):
    p, q = np.clip(p, 1e-12, 1.0), np.clip(q, 1e-12, 1.0)
    return float(np.mean(np.sum(p * np.log(p / q), axis=1)))


def measure(make, X_train, targets, X_test, y_test, teacher_pred, teacher_proba):
    """Fidelity, KL, accuracy, fit seconds, predict µs/row and pickled KB."""
    start = time.perf_counter()
    model = make().fit(X_train, targets)
    fit_seconds = time.perf_counter() - start
    proba = model.predict_proba(X_test)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        model.predict_proba(X_test)
        times.append(time.perf_counter() - start)
    pred = proba.argmax(axis=1)
    return {
        "fidelity": fidelity_score(teacher_pred, pred),
        "kl": mean_kl(teacher_proba, proba),
        "accuracy": float(np.mean(pred == y_test)),
        "fit s": fit_seconds,
        "predict us/row": float(np.median(times)) / len(X_test) * 1e6,
        "pickled KB": len(pickle.dumps(model)) / 1024,
    }


def run(quick):
    X, y = load_pmlb("magic")
    if quick:  # the file is sorted by class: a stratified sample, not the first rows
        X, _, y, _ = train_test_split(X, y, train_size=4000, random_state=0, stratify=y)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=0, stratify=y
    )
    teacher = RandomForestClassifier(
        n_estimators=50 if quick else 200, oob_score=True, random_state=0, n_jobs=1
    ).fit(X_train, y_train)
    soft = teacher.oob_decision_function_
    teacher_proba = teacher.predict_proba(X_test)
    teacher_pred = teacher_proba.argmax(axis=1)
    rows = []
    for name, make in students():
        on_soft = measure(make, X_train, soft, X_test, y_test, teacher_pred, teacher_proba)
        on_hard = measure(make, X_train, y_train, X_test, y_test, teacher_pred, teacher_proba)
        rows.append(_row(name, on_soft, on_hard))
    teacher_accuracy = float(np.mean(teacher_pred == y_test))
    return rows, teacher_accuracy


def _row(name, soft, hard):
    return {
        "student": name,
        "fidelity soft (hard)": f"{soft['fidelity']:.3f} ({hard['fidelity']:.3f})",
        "KL soft (hard)": f"{soft['kl']:.3f} ({hard['kl']:.3f})",
        "test accuracy": round(soft["accuracy"], 3),
        "fit s": round(soft["fit s"], 2),
        "predict µs/row": round(soft["predict us/row"], 1),
        "pickled KB": round(soft["pickled KB"]),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4000 rows, 50 trees")
    parser.add_argument("--json", help="write the rows to this JSON file")
    args = parser.parse_args(argv)
    with limited_threads():
        rows, teacher_accuracy = run(args.quick)
    print(f"teacher test accuracy {teacher_accuracy:.3f}")
    print(markdown_table(rows))
    if args.json:
        write_json(
            args.json, "student_table", rows, teacher_accuracy=teacher_accuracy, quick=args.quick
        )
    return rows


if __name__ == "__main__":
    main()
