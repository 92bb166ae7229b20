"""Leaf refill against a bigger MUNGE set with the same teacher-labelled rows.

Model Compression protocol (Bucilua et al. 2006): letter.p1, letter.p2 and
magic, 4000 training rows, 1000 validation rows (unused here), the rest for
test; the HGB + random forest teacher of ``bench_compression.py`` (its quick
variant: one HGB setting, 100 trees) fitted once and frozen; a depth-8 soft
tree student at T=1 (in-sample targets). Per problem:

- labels: the tree on the labels;
- MUNGE 10x: plain distillation with a MUNGE set of 10 rows per real row;
- leaf refill: ``LeafRefill(min_rows)`` rounds (at most 5) that add MUNGE
  candidates falling into leaves with fewer than ``min_rows`` training rows,
  each round kept only if held-out fidelity improves; alone, and after a
  MUNGE 10x set;
- MUNGE, same transfer rows: after each refill, one MUNGE set as large as
  its transfer set (the simple alternative at equal teacher-labelled
  transfer rows; the refill also labels ``n_validation`` held-out rows to
  decide when to stop).

Columns: test accuracy and fidelity, RMSE of P(class 1) to the labels, and
the RMSE gap ratio against the label-trained tree.

    python benchmarks/bench_leaf_refill.py [--quick] [--json PATH]
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

from sklearn.base import clone
from sklearn.frozen import FrozenEstimator

sys.path.insert(0, str(Path(__file__).parent))
from _harness import markdown_table, write_json  # noqa: E402
from _protocol import binary_metrics, kdd06_problems, limited_threads  # noqa: E402
from bench_compression import split, teacher_for  # noqa: E402

from skdistill import DistilledClassifier  # noqa: E402
from skdistill.students import SoftDecisionTreeClassifier  # noqa: E402
from skdistill.transfer import LeafRefill, Munge  # noqa: E402


def run_problem(problem, X, y, min_rows, verbose=True):
    X_train, y_train, X_valid, y_valid, X_test, y_test = split(X, y, 4000, 1000)
    teacher, _ = teacher_for(X_train, y_train, X_valid, y_valid, quick=True)
    teacher = clone(teacher).fit(X_train, y_train)
    teacher_test = teacher.predict(X_test)
    student = SoftDecisionTreeClassifier(max_depth=8, random_state=0)
    base = DistilledClassifier(
        FrozenEstimator(teacher), student, temperature=1.0, alpha=0.0, random_state=0
    )
    rows = [
        {
            "problem": problem,
            "config": "teacher",
            "transfer rows": None,
            **binary_metrics(teacher.predict_proba(X_test), y_test, teacher_test),
            "fit s": None,
        }
    ]

    def record(config, model, seconds):
        rows.append(
            {
                "problem": problem,
                "config": config,
                "transfer rows": getattr(model, "n_transfer_samples_", 0),
                **binary_metrics(model.predict_proba(X_test), y_test, teacher_test),
                "fit s": seconds,
            }
        )
        if verbose:
            print(
                f"  {problem} | {config}: fidelity {rows[-1]['fidelity']:.4f}",
                file=sys.stderr,
                flush=True,
            )

    configs = [
        ("labels", clone(student)),
        ("MUNGE 10x", clone(base).set_params(transfer=Munge(size_factor=10))),
    ]
    for config, model in configs:
        start = time.perf_counter()
        model.fit(X_train, y_train)
        record(config, model, time.perf_counter() - start)
    # Leaf refill alone (the tree is data-starved: ~16 rows per leaf) and
    # after MUNGE 10x, each against MUNGE with as many transfer rows.
    for start_with, transfer in (("", []), ("MUNGE 10x + ", [Munge(size_factor=10)])):
        model = clone(base).set_params(
            transfer=transfer + [LeafRefill(min_rows=min_rows)], transfer_rounds=5
        )
        start = time.perf_counter()
        model.fit(X_train, y_train)
        record(
            f"{start_with}leaf refill (min_rows={min_rows})", model, time.perf_counter() - start
        )
        if model.n_transfer_samples_ == 0:
            continue  # no round was kept: nothing to compare at equal rows
        same = clone(base).set_params(transfer=Munge(n_samples=model.n_transfer_samples_))
        start = time.perf_counter()
        same.fit(X_train, y_train)
        record("  MUNGE, same transfer rows", same, time.perf_counter() - start)
    return _with_ratios(rows)


def _with_ratios(rows):
    teacher, labels = rows[0], rows[1]
    gap = labels["RMSE"] - teacher["RMSE"]
    for row in rows[1:]:
        row["RMSE gap ratio"] = (labels["RMSE"] - row["RMSE"]) / gap if gap > 0 else None
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="magic only")
    parser.add_argument("--min-rows", type=int, default=50)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    problems = ("magic",) if args.quick else ("letter.p1", "letter.p2", "magic")
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for problem, X, y in kdd06_problems(problems):
            rows += run_problem(problem, X, y, args.min_rows)
    print(markdown_table(rows))
    if args.json:
        write_json(args.json, "leaf_refill", rows, quick=args.quick)
    return rows


if __name__ == "__main__":
    with limited_threads():
        main()
