"""Cost of deploying a linear-tree student: its scikit-learn export and ONNX.

A linear tree has no scikit-learn class of its own; ``to_sklearn()`` builds a
Pipeline (leaf one-hot and the leaf models' scores, their pairwise products,
one linear model). This measures its ``predict_proba`` time, and that of the
ONNX graph run with onnxruntime, against the linear tree's own, on the same
rows (medians of interleaved repeats, one thread), with the largest
probability difference (float64 export, float32 ONNX).

    python benchmarks/bench_export.py [--quick] [--repeats 7] [--json results.json]
"""

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import make_classification

sys.path.insert(0, str(Path(__file__).parent))
from _harness import interleaved_median_times, markdown_table, write_json

from skdistill.students import LinearTreeClassifier

# skl2onnx also exposes the leaf one-hot as an output (skdistill's to_onnx
# drops it); ask for the two real ones.
OUTPUTS = ["label", "probabilities"]


def run_case(n_features, n_classes, n_rows, repeats):
    """One row: a depth-2 linear tree on ``n_features`` columns."""
    import onnxruntime
    import skl2onnx

    X, y = make_classification(
        n_samples=n_rows + 5000,
        n_features=n_features,
        n_informative=min(n_features, 8),
        n_redundant=0,
        n_classes=n_classes,
        random_state=0,
    )
    # float32-representable rows: ONNX computes in float32.
    X = X.astype(np.float32).astype(np.float64)
    model = LinearTreeClassifier(max_depth=2, random_state=0).fit(X[:5000], y[:5000])
    plain = model.to_sklearn()
    onx = skl2onnx.to_onnx(
        plain, X[:2].astype(np.float32), options={id(plain[-1]): {"zipmap": False}}
    )
    session = onnxruntime.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    X_test, X_test32 = X[5000:], X[5000:].astype(np.float32)
    native, export, onnx_run = interleaved_median_times(
        [
            lambda: model.predict_proba(X_test),
            lambda: plain.predict_proba(X_test),
            lambda: session.run(OUTPUTS, {"X": X_test32}),
        ],
        repeats=repeats,
    )
    expected = model.predict_proba(X_test)
    onnx_proba = session.run(OUTPUTS, {"X": X_test32})[1]
    return {
        "features": n_features,
        "classes": n_classes,
        "leaves": model.get_n_leaves(),
        "export columns": plain[-1].coef_.shape[1],
        "rows": n_rows,
        "native ms": native * 1e3,
        "export / native": export / native,
        "ONNX / native": onnx_run / native,
        "export max diff": float(np.abs(plain.predict_proba(X_test) - expected).max()),
        "ONNX max diff": float(np.abs(onnx_proba - expected).max()),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (CI smoke)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)
    n_rows = 2000 if args.quick else 20000
    from threadpoolctl import threadpool_limits

    rows = []
    with threadpool_limits(limits=1):
        for n_classes in (2, 3):
            for n_features in (10, 30, 100):
                rows.append(run_case(n_features, n_classes, n_rows, args.repeats))
                print(f"done: {n_features} features, K={n_classes}", file=sys.stderr)
    print(markdown_table(rows))
    if args.json:
        write_json(args.json, "export", rows, quick=args.quick, repeats=args.repeats)


if __name__ == "__main__":
    main()
