"""Speed and size: the distilled student against its teacher, plus the kernel
and labelling benchmarks of the other scripts.

- ``latency``: a 500-tree random forest distilled into a depth-6 soft tree
  on ``magic`` (13 314 training rows). Predict latency for one row and for
  a batch of 10 000 rows (medians of interleaved repeats, teacher and
  student timed in turn, both single-threaded), pickled size and node
  count. Goal: >= 100x faster and smaller.
- ``kernels``: the rows of ``bench_kernels.py`` (soft-target kernels and
  SoftLogisticRegression against their references).
- ``labelling``: ``bench_transfer.py``'s labelling row (2 jobs vs 1).

    python benchmarks/bench_speed.py [--quick] [--sections latency,kernels,labelling]
                                     [--json PATH]
"""

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).parent))
from _data import load_pmlb  # noqa: E402
from _harness import interleaved_median_times, markdown_table, write_json  # noqa: E402
from _protocol import limited_threads  # noqa: E402

from skdistill import DistilledClassifier  # noqa: E402
from skdistill.students import SoftDecisionTreeClassifier  # noqa: E402

SECTIONS = ("latency", "kernels", "labelling")


def _n_nodes(model):
    if hasattr(model, "estimators_"):
        return int(sum(tree.tree_.node_count for tree in model.estimators_))
    return int(model.tree_.node_count)


def bench_latency(n_trees=500, repeats=5, n_rows=None):
    X, y = load_pmlb("magic")
    if n_rows:  # a random subsample (the file is sorted by class)
        keep = np.random.RandomState(0).choice(len(y), n_rows, replace=False)
        X, y = X[keep], y[keep]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    with limited_threads():
        model = DistilledClassifier(
            RandomForestClassifier(n_estimators=n_trees, random_state=0, n_jobs=1),
            SoftDecisionTreeClassifier(max_depth=6, random_state=0),
            random_state=0,
            temperature=1.0,
            alpha=0.0,
            transfer=None,
        )
        model.fit(X_train, y_train)
        teacher, student = model.teacher_, model.student_
        batch = np.resize(X_test, (10_000, X_test.shape[1]))
        one = X_test[:1]
        rows = []
        for name, data, reps in (
            ("1 row", one, max(repeats, 20)),
            ("10 000 rows", batch, repeats),
        ):
            t_teacher, t_student, t_distilled = interleaved_median_times(
                [
                    lambda d=data: teacher.predict_proba(d),
                    lambda d=data: student.predict_proba(d),
                    lambda d=data: model.predict_proba(d),
                ],
                reps,
            )
            rows.append(
                {
                    "what": f"predict_proba, {name}",
                    "teacher": t_teacher,
                    "student": t_student,
                    "DistilledClassifier": t_distilled,
                    "ratio (teacher/student)": t_teacher / t_student,
                    "ratio (teacher/Distilled)": t_teacher / t_distilled,
                    "goal": ">= 100x",
                }
            )
        t_size, s_size = len(pickle.dumps(teacher)), len(pickle.dumps(student))
        rows.append(
            {
                "what": "pickled bytes",
                "teacher": float(t_size),
                "student": float(s_size),
                "DistilledClassifier": float(len(pickle.dumps(model))),
                "ratio (teacher/student)": t_size / s_size,
                "ratio (teacher/Distilled)": None,
                "goal": ">= 100x",
            }
        )
        t_nodes, s_nodes = _n_nodes(teacher), _n_nodes(student)
        rows.append(
            {
                "what": "tree nodes",
                "teacher": float(t_nodes),
                "student": float(s_nodes),
                "DistilledClassifier": None,
                "ratio (teacher/student)": t_nodes / s_nodes,
                "ratio (teacher/Distilled)": None,
                "goal": ">= 100x",
            }
        )
        acc = {
            "teacher": float(np.mean(teacher.predict(X_test) == y_test)),
            "student": float(np.mean(model.predict(X_test) == y_test)),
            "fidelity": float(np.mean(model.predict(X_test) == teacher.predict(X_test))),
        }
    return rows, acc


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {unknown}; choose from {list(SECTIONS)}")
    results = {}
    if "latency" in sections:
        rows, acc = bench_latency(n_trees=500, repeats=3 if args.quick else 7)
        results["latency"], results["accuracy"] = rows, acc
        print("## RF(500) -> depth-6 soft tree on magic: latency and size\n")
        print(markdown_table(rows))
        print(
            f"\ntest accuracy: teacher {acc['teacher']:.4f}, student {acc['student']:.4f}, "
            f"fidelity {acc['fidelity']:.4f}\n",
            flush=True,
        )
    if "kernels" in sections:
        import bench_kernels

        print("## Kernels (bench_kernels.py" + (" --quick" if args.quick else "") + ")\n")
        results["kernels"] = bench_kernels.main(["--quick"] if args.quick else [])
        print(flush=True)
    if "labelling" in sections:
        import bench_transfer

        forest, X_real, _ = bench_transfer.fitted_forest(20_000, 20, 50 if args.quick else 200)
        from skdistill.transfer import Munge

        n_label = 100_000 if args.quick else 1_000_000
        X_label = Munge(n_samples=n_label, random_state=1).sample(X_real)
        results["labelling"] = bench_transfer.bench_labelling(
            forest, X_label, 10_000 if args.quick else 50_000, 3
        )
        print("## Labelling transfer rows: 2 jobs vs 1 (bench_transfer.py)\n")
        print(markdown_table(results["labelling"]) + "\n", flush=True)
    if args.json:
        write_json(args.json, "speed", [], quick=args.quick, **results)
    return results


if __name__ == "__main__":
    main()
