"""Model Compression protocol (Bucilua, Caruana & Niculescu-Mizil, KDD 2006).

Problems: ``letter.p1`` ('O' vs rest), ``letter.p2`` (A-M vs N-Z), ``magic``.
Split (seeded): 4000 training rows, 1000 validation rows, the rest for test,
all stratified. Teacher: the average of the probabilities of a
HistGradientBoosting model (learning rate and leaves chosen on the
validation rows) and a random forest, fit on the 4000 training rows; as in
the paper it labels the training rows and every synthetic row (in-sample).

Students: a depth-8 soft tree, a (scaled) soft logistic regression, a small
soft boosted model and an MLP (64 hidden units) -- the MLP learns the
teacher's logits through the regressor strategy; on labels it is the
``MLPClassifier`` of the same size. Each is trained

- on the labels,
- on the teacher's soft targets of the training rows (T=1 and T=2),
- plus MUNGE transfer sets of 10x / 50x / 100x the training rows
  (p=0.5, s=1 as in the paper, T=1; 10x also at T=2),
- plus the paper's RANDOM baseline (10x rows with every attribute drawn
  independently from its marginal),
- with the library's defaults (``temperature``, ``alpha``, ``transfer``
  left "auto": chosen on an inner split of the 4000 training rows only).

"val-selected" picks, per problem and student, the configuration with the
best accuracy on the 1000 validation rows; the test rows are never used for
a choice. ``ratio`` = share of the gap between the label-trained student and
the teacher that a configuration closes, in test RMSE (the paper's Table 2
number) and in test accuracy.

    python benchmarks/bench_compression.py [--quick] [--json PATH]
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
    RandomForestClassifier,
    VotingClassifier,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).parent))
from _harness import markdown_table, write_json  # noqa: E402
from _protocol import (  # noqa: E402
    DEFAULTS_LABEL,
    binary_metrics,
    fit_default_rule,
    independent_marginals,
    kdd06_problems,
    limited_threads,
    untuned,
)

from skdistill import DistilledClassifier  # noqa: E402
from skdistill.students import (  # noqa: E402
    SoftDecisionTreeClassifier,
    SoftGradientBoostingClassifier,
    SoftLogisticRegression,
)
from skdistill.transfer import Munge  # noqa: E402


def students(quick):
    """name -> (student for distillation, the same model on labels, MUNGE factors)."""
    out = {
        "soft tree (depth 8)": (
            SoftDecisionTreeClassifier(max_depth=8, random_state=0),
            None,
            (10,) if quick else (10, 50, 100),
        ),
        "soft logistic": (
            make_pipeline(StandardScaler(), SoftLogisticRegression(max_iter=500)),
            None,
            (10,) if quick else (10, 50, 100),
        ),
    }
    if not quick:
        # Boosting fits cost ~1 s per tree per 40k rows here: 10x only.
        out["soft boosted (30 x depth 3)"] = (
            SoftGradientBoostingClassifier(n_estimators=30, random_state=0),
            None,
            (10,),
        )
        mlp = dict(hidden_layer_sizes=(64,), early_stopping=True, max_iter=300, random_state=0)
        out["MLP (64)"] = (
            make_pipeline(StandardScaler(), MLPRegressor(**mlp)),
            make_pipeline(StandardScaler(), MLPClassifier(**mlp)),
            (10, 50),
        )
    return out


def split(X, y, n_train, n_valid, seed=0):
    X_train, X_rest, y_train, y_rest = train_test_split(
        X, y, train_size=n_train, stratify=y, random_state=seed
    )
    X_valid, X_test, y_valid, y_test = train_test_split(
        X_rest, y_rest, train_size=n_valid, stratify=y_rest, random_state=seed
    )
    return X_train, y_train, X_valid, y_valid, X_test, y_test


def teacher_for(X_train, y_train, X_valid, y_valid, quick):
    """The ensemble: HGB with learning rate and leaves chosen on the
    validation rows, averaged with a random forest."""
    grid = (
        [{"learning_rate": 0.1, "max_leaf_nodes": 31}]
        if quick
        else [
            {"learning_rate": lr, "max_leaf_nodes": leaves}
            for lr in (0.05, 0.1)
            for leaves in (15, 63)
        ]
    )
    n_iter = 300 if len(y_train) >= 1000 else 50  # small: the smoke test
    best = max(
        grid,
        key=lambda p: (
            HistGradientBoostingClassifier(max_iter=n_iter, random_state=0, **p)
            .fit(X_train, y_train)
            .score(X_valid, y_valid)
        ),
    )
    n_trees = 100 if quick else 500
    return VotingClassifier(
        [
            ("hgb", HistGradientBoostingClassifier(max_iter=n_iter, random_state=0, **best)),
            (
                "rf",
                RandomForestClassifier(
                    n_estimators=n_trees if n_iter == 300 else 30, random_state=0, n_jobs=1
                ),
            ),
        ],
        voting="soft",
    ), best


def configurations(factors, X_train):
    """(name, DistilledClassifier params) of the grid, labels excluded."""
    n = len(X_train)
    configs = [("soft, T=1", {}), ("soft, T=2", {"temperature": 2.0})]
    for factor in factors:
        configs.append((f"+MUNGE {factor}x, T=1", {"transfer": Munge(size_factor=factor)}))
        if factor == 10:
            configs.append(
                ("+MUNGE 10x, T=2", {"transfer": Munge(size_factor=10), "temperature": 2.0})
            )
    configs.append(("+RANDOM 10x, T=1", {"transfer": independent_marginals(X_train, 10 * n, 0)}))
    return configs


def run_problem(problem, X, y, quick, n_train=4000, n_valid=1000, verbose=True):
    X_train, y_train, X_valid, y_valid, X_test, y_test = split(X, y, n_train, n_valid)
    teacher, hgb_params = teacher_for(X_train, y_train, X_valid, y_valid, quick)
    start = time.perf_counter()
    fitted_teacher = clone(teacher).fit(X_train, y_train)
    teacher_time = time.perf_counter() - start
    teacher_test = fitted_teacher.predict(X_test)
    teacher_valid = fitted_teacher.predict(X_valid)
    rows = [
        {
            "problem": problem,
            "student": "teacher (HGB+RF)",
            "config": str(hgb_params),
            "val acc": float(np.mean(teacher_valid == y_valid)),
            **binary_metrics(fitted_teacher.predict_proba(X_test), y_test, teacher_test),
            "fit s": teacher_time,
        }
    ]
    frozen = FrozenEstimator(fitted_teacher)
    for name, (student, on_labels, factors) in students(quick).items():

        def record(config, model, seconds):
            rows.append(
                {
                    "problem": problem,
                    "student": name,
                    "config": config,
                    "val acc": float(np.mean(model.predict(X_valid) == y_valid)),
                    **binary_metrics(model.predict_proba(X_test), y_test, teacher_test),
                    "fit s": seconds,
                }
            )
            if verbose:
                print(
                    f"  {problem} | {name} | {config}: test acc {rows[-1]['accuracy']:.4f}",
                    file=sys.stderr,
                    flush=True,
                )

        start = time.perf_counter()
        model = clone(on_labels if on_labels is not None else student).fit(X_train, y_train)
        record("labels", model, time.perf_counter() - start)
        base = untuned(DistilledClassifier(frozen, student, random_state=0))
        for config, params in configurations(factors, X_train):
            start = time.perf_counter()
            model = clone(base).set_params(**params).fit(X_train, y_train)
            record(config, model, time.perf_counter() - start)
        # The default rule sees the training rows only and refits the
        # teacher on its inner split (in-sample targets, as above).
        start = time.perf_counter()
        model, chosen = fit_default_rule(
            DistilledClassifier(
                clone(teacher), student, teacher_targets="in_sample", random_state=0
            ),
            X_train,
            y_train,
        )
        record(f"{DEFAULTS_LABEL} -> {chosen}", model, time.perf_counter() - start)
    return add_ratios(rows)


def add_ratios(rows):
    """Gap ratios (RMSE and accuracy) against the label-trained student."""
    teacher = rows[0]
    for row in rows[1:]:
        base = next(r for r in rows if r["student"] == row["student"] and r["config"] == "labels")
        rmse_gap = base["RMSE"] - teacher["RMSE"]
        acc_gap = teacher["accuracy"] - base["accuracy"]
        row["RMSE ratio"] = (base["RMSE"] - row["RMSE"]) / rmse_gap if rmse_gap > 0 else None
        row["acc ratio"] = (row["accuracy"] - base["accuracy"]) / acc_gap if acc_gap > 0 else None
        row["Δacc vs labels (pts)"] = 100 * (row["accuracy"] - base["accuracy"])
    return rows


def summary(rows):
    """Per problem and student: labels, the validation-selected configuration,
    the defaults ("auto") and the teacher, on the test rows."""
    out = []
    for problem in dict.fromkeys(r["problem"] for r in rows):
        prows = [r for r in rows if r["problem"] == problem]
        teacher = prows[0]
        for student in dict.fromkeys(r["student"] for r in prows[1:]):
            srows = [r for r in prows if r["student"] == student]
            labels = next(r for r in srows if r["config"] == "labels")
            grid = [r for r in srows if not r["config"].startswith(DEFAULTS_LABEL)]
            chosen = max(grid, key=lambda r: r["val acc"])  # first of ties: cheaper
            auto = next(r for r in srows if r["config"].startswith(DEFAULTS_LABEL))
            out.append(
                {
                    "problem": problem,
                    "student": student,
                    "labels acc": labels["accuracy"],
                    "val-selected": chosen["config"],
                    "val-selected acc": chosen["accuracy"],
                    "val-selected RMSE ratio": chosen["RMSE ratio"],
                    "defaults chose": auto["config"][len(DEFAULTS_LABEL + " -> ") :],
                    "defaults acc": auto["accuracy"],
                    "defaults Δ (pts)": auto["Δacc vs labels (pts)"],
                    "teacher acc": teacher["accuracy"],
                }
            )
    return out


def run(
    quick=False,
    problems=("letter.p1", "letter.p2", "magic"),
    n_train=4000,
    n_valid=1000,
    verbose=True,
):
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for problem, X, y in kdd06_problems(problems):
            rows += run_problem(problem, X, y, quick, n_train, n_valid, verbose)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="letter.p1 and magic, tree and logistic students, MUNGE 10x",
    )
    parser.add_argument(
        "--problems",
        help="comma-separated subset of "
        "letter.p1,letter.p2,magic (default: all; --quick: letter.p1,magic)",
    )
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    problems = ("letter.p1", "magic") if args.quick else ("letter.p1", "letter.p2", "magic")
    if args.problems:
        problems = tuple(p.strip() for p in args.problems.split(","))
    rows = run(args.quick, problems)
    print("## Model Compression protocol (4000 train / 1000 validation / rest test)\n")
    print(markdown_table(rows) + "\n")
    print("## Summary: choices made on validation rows, numbers on test rows\n")
    print(markdown_table(summary(rows)) + "\n", flush=True)
    if args.json:
        write_json(args.json, "compression", rows, summary=summary(rows), quick=args.quick)
    return rows


if __name__ == "__main__":
    with limited_threads():
        main()
