"""Transfer sets: generation speed, labelling speed and memory, and the gain
they bring to small students (Bucilua, Caruana & Niculescu-Mizil, KDD 2006).

Sections (all by default; pick with --sections):

- ``munge``: time to generate 1M rows from 100k x 20 real rows (rows/s, median
  of 3) and the peak memory traced during one generation (tracemalloc).
- ``label``: labelling 1M rows with a 200-tree random forest through
  ``skdistill._labeling.predict_in_batches``: 2 jobs vs 1 (goal >= 1.8x),
  timed alternately, medians of 3.
- ``memory``: peak RSS above the resident baseline of a fresh process that
  labels the same 1M rows with batch_size=50_000 vs in one call (goal:
  bounded by the batch, not by the rows).
- ``quality``: the KDD'06 protocol on ``letter`` (p1: 'O' vs rest; p2: A-M vs
  N-Z) and ``magic``: 4000 stratified training rows, every other row for the
  test. Teacher: a 500-tree random forest. Students: a depth-8
  SoftDecisionTreeClassifier and a (scaled) SoftLogisticRegression, trained
  on the labels, on soft targets of the training rows, and with MUNGE
  transfer sets of 10x, 50x, 100x the training rows. Accuracy, fidelity
  (agreement with the teacher) and RMSE of P(class 1) to the 0/1 labels, on
  the test rows. Nothing is tuned: MUNGE's p=0.5, s=1 and T=1 are fixed in
  advance, the test rows are never used for a choice.
- ``digits``: the ``skdistill demo`` setting (load_digits, 898/899 stratified
  split, random_state=0, 300-tree forest, T=2) with several transfer sets for
  a depth-6 tree and a scaled logistic regression.

    python benchmarks/bench_transfer.py [--quick] [--sections munge,label,...] [--json PATH]
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from functools import partial
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, str(Path(__file__).parent))
from _data import load_pmlb  # noqa: E402
from _harness import (  # noqa: E402
    interleaved_median_times,
    markdown_table,
    median_time,
    write_json,
)

from skdistill import DistilledClassifier  # noqa: E402
from skdistill._labeling import predict_in_batches  # noqa: E402
from skdistill._targets import teacher_outputs  # noqa: E402
from skdistill.transfer import GaussianNoise, Mixup, Munge, UniformBox  # noqa: E402

SECTIONS = ("munge", "label", "memory", "quality", "digits")


# --------------------------------------------------------------- generation
def bench_generation(n_real, n_features, n_out, repeats):
    X, _ = make_classification(n_samples=n_real, n_features=n_features, random_state=0)
    rows = []
    cases = [
        ("Munge (neighbour search + draws)", lambda: Munge(n_samples=n_out, random_state=0)),
        ("Munge (draws, neighbours cached)", None),
        ("GaussianNoise", lambda: GaussianNoise(n_samples=n_out, random_state=0)),
        ("Mixup", lambda: Mixup(n_samples=n_out, random_state=0)),
        ("UniformBox", lambda: UniformBox(n_samples=n_out, random_state=0)),
    ]
    cached = Munge(n_samples=n_out, random_state=0)
    cached.sample(X[:10])  # code paths warm; the cache is for other rows
    for name, make in cases:
        if make is None:
            cached.sample(X)  # fills the neighbour cache
            run = partial(cached.sample, X)
        else:

            def run(make=make):
                return make().sample(X)  # a fresh generator: no cache

        seconds, out = median_time(run, repeats)
        out_mb = out.nbytes / 1e6
        del out
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        rows.append(
            {
                "generator": name,
                "real rows": n_real,
                "features": n_features,
                "rows made": n_out,
                "seconds": seconds,
                "rows/s": n_out / seconds,
                "output MB": out_mb,
                "peak traced MB": peak,
            }
        )
    return rows


# --------------------------------------------------------------- labelling
def fitted_forest(n_train, n_features, n_estimators):
    X, y = make_classification(
        n_samples=n_train, n_features=n_features, n_informative=10, random_state=0
    )
    forest = RandomForestClassifier(n_estimators=n_estimators, random_state=0, n_jobs=-1)
    forest.fit(X, y)
    forest.set_params(n_jobs=None)  # labelling parallelism comes from predict_in_batches
    rows = Munge(random_state=0, size_factor=1).sample(X)
    return forest, X, rows


def label_rows(forest, X, batch_size, n_jobs):
    return predict_in_batches(
        partial(teacher_outputs, forest, classes=forest.classes_),
        X,
        batch_size=batch_size,
        n_jobs=n_jobs,
    )


def bench_labelling(forest, X_label, batch_size, repeats):
    label_rows(forest, X_label[:20_000], batch_size, 2)  # start the workers once
    whole, one, two = interleaved_median_times(
        [
            lambda: forest.predict_proba(X_label),
            lambda: label_rows(forest, X_label, batch_size, 1),
            lambda: label_rows(forest, X_label, batch_size, 2),
        ],
        repeats,
    )
    return [
        {
            "rows": len(X_label),
            "trees": forest.n_estimators,
            "batch_size": batch_size,
            "predict_proba, one call (s)": whole,
            "1 job (s)": one,
            "2 jobs (s)": two,
            "speed-up 2 vs 1": one / two,
            "rows/s (2 jobs)": len(X_label) / two,
            "goal": ">= 1.8x",
        }
    ]


def _status_mb(field):
    """VmRSS / VmHWM (peak) of this process in MB, from /proc/self/status."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1e3  # kB
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak_rss():
    """Reset VmHWM to the current RSS (Linux >= 4.0), so that the peak read
    later belongs to what runs after this call, not to the imports or loads."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def memory_child(teacher_path, rows_path, batch):
    """Run in a fresh process: label the rows, print RSS figures as JSON."""
    import joblib

    forest = joblib.load(teacher_path)
    X = np.load(rows_path)
    label_rows(forest, X[:10], None, 1)  # warm up code paths
    _reset_peak_rss()
    baseline = _status_mb("VmRSS")
    start = time.perf_counter()
    if batch != "none-control":
        label_rows(forest, X, None if batch == "one call" else int(batch), 1)
    seconds = time.perf_counter() - start
    peak = _status_mb("VmHWM")
    print(json.dumps({"baseline MB": baseline, "peak MB": peak, "seconds": seconds}))


def bench_memory(forest, X_label, batch_size):
    import joblib

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        teacher_path, rows_path = Path(tmp) / "teacher.joblib", Path(tmp) / "rows.npy"
        joblib.dump(forest, teacher_path)
        np.save(rows_path, X_label)
        for batch in ("none-control", "one call", str(batch_size)):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--memory-child",
                    str(teacher_path),
                    str(rows_path),
                    batch,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            rows.append(
                {
                    "labelling": {"none-control": "nothing (control)", "one call": "one call"}.get(
                        batch, f"batch_size={batch}"
                    ),
                    "rows": len(X_label) if batch != "none-control" else 0,
                    "input MB": X_label.nbytes / 1e6,
                    "baseline RSS MB": result["baseline MB"],
                    "peak RSS MB": result["peak MB"],
                    "peak above baseline MB": result["peak MB"] - result["baseline MB"],
                    "seconds": result["seconds"],
                }
            )
    return rows


# ------------------------------------------------------------------ quality
def students():
    """Students by name, and whether they are the native soft ones."""
    try:
        from skdistill.students import SoftDecisionTreeClassifier, SoftLogisticRegression

        return {
            "SoftDecisionTree(depth 8)": SoftDecisionTreeClassifier(max_depth=8, random_state=0),
            "SoftLogisticRegression": make_pipeline(
                StandardScaler(), SoftLogisticRegression(max_iter=1000)
            ),
        }
    except ImportError:
        return {
            "DecisionTree(depth 8) [fallback: replication]": DecisionTreeClassifier(
                max_depth=8, random_state=0
            ),
            "LogisticRegression [fallback: replication]": make_pipeline(
                StandardScaler(), LogisticRegression(max_iter=2000)
            ),
        }


def kdd06_problems():
    X, y = load_pmlb("letter")
    letters = np.asarray(y)
    # PMLB encodes the letters as 1..26 (A..Z; the class counts match UCI's:
    # A 789, O 753, Z 734).
    yield "letter.p1 (O vs rest)", X, (letters == 15).astype(int)
    yield "letter.p2 (A-M vs N-Z)", X, (letters >= 14).astype(int)
    X, y = load_pmlb("magic")
    yield "magic", X, (np.asarray(y) == np.unique(y)[1]).astype(int)


def _metrics(proba, y_true, teacher_pred):
    pred = (proba[:, 1] >= 0.5).astype(int)
    return {
        "accuracy": float(np.mean(pred == y_true)),
        "fidelity": float(np.mean(pred == teacher_pred)),
        "RMSE": float(np.sqrt(np.mean((proba[:, 1] - y_true) ** 2))),
    }


def bench_quality(factors, n_train, n_trees):
    rows = []
    for problem, X, y in kdd06_problems():
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, train_size=n_train, stratify=y, random_state=0
        )
        teacher = RandomForestClassifier(n_estimators=n_trees, random_state=0, n_jobs=-1)
        start = time.perf_counter()
        fitted_teacher = clone(teacher).fit(X_train, y_train)
        teacher_time = time.perf_counter() - start
        teacher_proba = fitted_teacher.predict_proba(X_test)
        teacher_pred = teacher_proba.argmax(axis=1)
        rows.append(
            {
                "problem": problem,
                "model": f"teacher: random forest ({n_trees})",
                "transfer rows": 0,
                **_metrics(teacher_proba, y_test, teacher_pred),
                "fit s": teacher_time,
            }
        )
        for name, student in students().items():
            start = time.perf_counter()
            hard = clone(student).fit(X_train, y_train)
            rows.append(
                {
                    "problem": problem,
                    "model": f"{name}, labels",
                    "transfer rows": 0,
                    **_metrics(hard.predict_proba(X_test), y_test, teacher_pred),
                    "fit s": time.perf_counter() - start,
                }
            )
            for factor in (0, *factors):
                model = DistilledClassifier(
                    teacher,
                    student,
                    random_state=0,
                    temperature=1.0,
                    alpha=0.0,
                    transfer=Munge(size_factor=factor) if factor else None,
                )
                start = time.perf_counter()
                model.fit(X_train, y_train)
                label = "soft targets" if not factor else f"soft + MUNGE {factor}x"
                rows.append(
                    {
                        "problem": problem,
                        "model": f"{name}, {label}",
                        "transfer rows": model.n_transfer_samples_,
                        **_metrics(model.predict_proba(X_test), y_test, teacher_pred),
                        "fit s": time.perf_counter() - start,
                    }
                )
                print(
                    f"  {problem} | {rows[-1]['model']}: acc {rows[-1]['accuracy']:.4f}",
                    file=sys.stderr,
                    flush=True,
                )
    return rows


def gap_recovered(rows):
    """Share of the RMSE gap between the label-trained student and the teacher
    that each distilled student closes (Bucilua et al.'s summary number)."""
    out = []
    for row in rows:
        if "MUNGE" not in row["model"] and "soft targets" not in row["model"]:
            continue
        name = row["model"].split(",")[0]
        teacher = next(
            r for r in rows if r["problem"] == row["problem"] and r["model"].startswith("teacher")
        )
        base = next(
            r for r in rows if r["problem"] == row["problem"] and r["model"] == f"{name}, labels"
        )
        gap = base["RMSE"] - teacher["RMSE"]
        out.append(
            {
                "problem": row["problem"],
                "model": row["model"],
                "RMSE gap closed": (base["RMSE"] - row["RMSE"]) / gap if gap else None,
            }
        )
    return out


# ------------------------------------------------------------------- digits
def bench_digits():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=0
    )
    teacher = RandomForestClassifier(n_estimators=300, random_state=0, n_jobs=1)
    teacher_pred = clone(teacher).fit(X_train, y_train).predict(X_test)
    demo_students = {
        "tree (depth 6)": DecisionTreeClassifier(max_depth=6, random_state=0),
        "logistic": make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=2000)),
    }
    settings = {
        "labels only": "labels",
        "soft targets, no transfer": {},
        "Munge(10)": {"transfer": Munge(size_factor=10)},
        "Munge(30)": {"transfer": Munge(size_factor=30)},
        "Munge(10, p=0.2)": {"transfer": Munge(size_factor=10, p=0.2)},
        "GaussianNoise(10, scale=0.3)": {"transfer": GaussianNoise(size_factor=10, scale=0.3)},
        "Mixup(10)": {"transfer": Mixup(size_factor=10)},
        "UniformBox(10)": {"transfer": UniformBox(size_factor=10)},
        "transfer_rounds=3 (Munge candidates)": {"transfer_rounds": 3},
        "Munge(10) + transfer_rounds=3": {"transfer": Munge(size_factor=10), "transfer_rounds": 3},
    }
    rows = []
    for student_name, student in demo_students.items():
        for setting, params in settings.items():
            start = time.perf_counter()
            if params == "labels":
                pred = clone(student).fit(X_train, y_train).predict(X_test)
                n_transfer = 0
            else:
                model = DistilledClassifier(
                    teacher,
                    student,
                    temperature=2.0,
                    alpha=0.0,
                    random_state=0,
                    **{"transfer": None, **params},
                ).fit(X_train, y_train)
                pred, n_transfer = model.predict(X_test), model.n_transfer_samples_
            rows.append(
                {
                    "student": student_name,
                    "setting": setting,
                    "transfer rows": n_transfer,
                    "accuracy": float(np.mean(pred == y_test)),
                    "fidelity": float(np.mean(pred == teacher_pred)),
                    "fit s": time.perf_counter() - start,
                }
            )
    return rows


# --------------------------------------------------------------------- main
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--json", metavar="PATH")
    parser.add_argument("--memory-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_child(*args.memory_child)
        return
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {unknown}; choose from {list(SECTIONS)}")
    quick = args.quick
    results = {}
    print(
        "Machine: 2 cores shared with other jobs; timings are medians, ratios are "
        "measured in the same run.\n"
    )

    if "munge" in sections:
        n_real, n_out = (10_000, 100_000) if quick else (100_000, 1_000_000)
        results["generation"] = bench_generation(n_real, 20, n_out, 3)
        print("## Generating transfer rows\n")
        print(markdown_table(results["generation"]) + "\n", flush=True)

    if "label" in sections or "memory" in sections:
        n_label = 100_000 if quick else 1_000_000
        n_trees = 50 if quick else 200
        forest, X, _ = fitted_forest(20_000, 20, n_trees)
        X_label = Munge(n_samples=n_label, random_state=1).sample(X)
        batch = 10_000 if quick else 50_000
        if "label" in sections:
            results["labelling"] = bench_labelling(forest, X_label, batch, 3)
            print("## Labelling with a random forest: 2 jobs vs 1\n")
            print(markdown_table(results["labelling"]) + "\n", flush=True)
        if "memory" in sections:
            results["memory"] = bench_memory(forest, X_label, batch)
            print("## Peak memory of labelling (fresh process each, 1 job)\n")
            print(markdown_table(results["memory"]) + "\n", flush=True)
        del X_label

    if "quality" in sections:
        factors = (10,) if quick else (10, 50, 100)
        results["quality"] = bench_quality(factors, 4000, 100 if quick else 500)
        print("## Distillation with MUNGE transfer sets (KDD'06 protocol, 4000 train rows)\n")
        print(markdown_table(results["quality"]) + "\n")
        results["gap"] = gap_recovered(results["quality"])
        print("Share of the RMSE gap (label-trained student -> teacher) closed:\n")
        print(markdown_table(results["gap"]) + "\n", flush=True)

    if "digits" in sections:
        results["digits"] = bench_digits()
        print("## load_digits (the demo setting): transfer sets, T=2\n")
        print(markdown_table(results["digits"]) + "\n", flush=True)

    if args.json:
        write_json(args.json, "bench_transfer", [], quick=quick, **results)


if __name__ == "__main__":
    main()
