"""Born-Again Tree Ensembles protocol (Vidal & Schiffer, ICML 2020).

Teacher: a random forest of 10 trees, ``max_depth=3``, ``max_features=p//2``,
10-fold stratified cross-validation on the six data sets of
``datasets/born_again/``. Student: a distilled ``SoftDecisionTreeClassifier``
learning the forest's probabilities on the training rows plus a MUNGE
transfer set (10x the rows, at most 50 000). Its size is the smallest
``max_leaf_nodes`` of a geometric grid whose fidelity to the forest reaches
0.97 on *selection rows* (the lower of: 25% of the training fold held out,
and a fresh MUNGE sample of it, labelled by the forest), the student being
fit on the other 75% for the choice, then refit on the whole fold with the
chosen size -- the test fold is never used for the choice. Reported on the
test fold: leaves, accuracy,
fidelity; against CART (``DecisionTreeClassifier``) with the same
``max_leaf_nodes`` trained on the true labels, and the paper's pruned
born-again tree (Table 3).

    python benchmarks/bench_born_again.py [--quick] [--json PATH]
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, str(Path(__file__).parent))
from _data import load_born_again  # noqa: E402
from _harness import markdown_table, write_json  # noqa: E402
from _protocol import limited_threads, untuned  # noqa: E402

from skdistill import DistilledClassifier  # noqa: E402
from skdistill.students import SoftDecisionTreeClassifier  # noqa: E402
from skdistill.transfer import Munge  # noqa: E402

# Vidal & Schiffer (2020), Table 3: pruned born-again tree leaves and
# accuracy, and the forest's accuracy.
PAPER = {
    "Breast-Cancer-Wisconsin": (35.9, 0.946, 0.953),
    "COMPAS-ProPublica": (31.2, 0.660, 0.660),
    "FICO": (15.8, 0.697, 0.697),
    "HTRU2": (13.2, 0.977, 0.977),
    "Pima-Diabetes": (79.0, 0.750, 0.746),
    "Seeds": (21.5, 0.790, 0.790),
}
LEAF_GRID = (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)
TARGET_FIDELITY = 0.97
MAX_TRANSFER_ROWS = 50_000


def forest(n_features, seed):
    return RandomForestClassifier(
        n_estimators=10, max_depth=3, max_features=max(1, n_features // 2), random_state=seed
    )


def distilled_tree(teacher, X_train, y_train, leaves, seed):
    n_transfer = int(min(10 * len(X_train), MAX_TRANSFER_ROWS))
    return untuned(
        DistilledClassifier(
            FrozenEstimator(teacher),
            SoftDecisionTreeClassifier(max_leaf_nodes=leaves, random_state=seed),
            transfer=Munge(n_samples=n_transfer),
            random_state=seed,
        )
    ).fit(X_train, y_train)


def smallest_faithful_student(teacher, X_train, y_train, seed, leaf_grid=LEAF_GRID):
    """The distilled tree of the smallest ``max_leaf_nodes`` whose fidelity
    to the forest reaches the target on the selection rows -- 25% of the
    training fold held out (real rows) and a fresh MUNGE sample of it; the
    lower of the two counts -- refit on the whole training fold. Returns
    the model, the chosen ``max_leaf_nodes`` and its selection fidelity."""
    X_fit, X_held, y_fit, _ = train_test_split(
        X_train, y_train, test_size=0.25, stratify=y_train, random_state=seed
    )
    X_munge = Munge(n_samples=max(2000, len(X_train)), random_state=seed + 1000).sample(X_train)
    for leaves in leaf_grid:
        model = distilled_tree(teacher, X_fit, y_fit, leaves, seed)
        fidelity = min(
            float(np.mean(model.predict(X) == teacher.predict(X))) for X in (X_held, X_munge)
        )
        if fidelity >= TARGET_FIDELITY:
            break
    return distilled_tree(teacher, X_train, y_train, leaves, seed), leaves, fidelity


def run_dataset(name, n_folds, verbose=True):
    X, y = load_born_again(name)
    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=0).split(X, y)
    per_fold = []
    for fold, (train, test) in enumerate(folds):
        start = time.perf_counter()
        teacher = forest(X.shape[1], fold).fit(X[train], y[train])
        teacher_test = teacher.predict(X[test])
        model, max_leaves, select_fid = smallest_faithful_student(
            teacher, X[train], y[train], fold
        )
        student_test = model.predict(X[test])
        cart = DecisionTreeClassifier(max_leaf_nodes=max_leaves, random_state=fold).fit(
            X[train], y[train]
        )
        cart_test = cart.predict(X[test])
        per_fold.append(
            {
                "forest acc": np.mean(teacher_test == y[test]),
                "leaves": model.student_.get_n_leaves(),
                "selection fidelity": select_fid,
                "test fidelity": np.mean(student_test == teacher_test),
                "acc": np.mean(student_test == y[test]),
                "CART leaves": cart.get_n_leaves(),
                "CART acc": np.mean(cart_test == y[test]),
                "CART fidelity": np.mean(cart_test == teacher_test),
                "seconds": time.perf_counter() - start,
            }
        )
    mean = {key: float(np.mean([f[key] for f in per_fold])) for key in per_fold[0]}
    paper_leaves, paper_acc, paper_forest = PAPER[name]
    row = {
        "dataset": name,
        "folds": n_folds,
        "forest acc": mean["forest acc"],
        "paper forest acc": paper_forest,
        "student leaves": mean["leaves"],
        "paper BA leaves": paper_leaves,
        "selection fid": mean["selection fidelity"],
        "test fid": mean["test fidelity"],
        "min fold test fid": float(min(f["test fidelity"] for f in per_fold)),
        "student acc": mean["acc"],
        "paper BA acc": paper_acc,
        "CART acc (same size)": mean["CART acc"],
        "CART fid": mean["CART fidelity"],
        "fid>=.97 & leaves<=paper": bool(
            mean["test fidelity"] >= TARGET_FIDELITY and mean["leaves"] <= paper_leaves
        ),
        "s/fold": mean["seconds"],
    }
    if verbose:
        print(
            f"  {name}: leaves {row['student leaves']:.1f}, test fid {row['test fid']:.4f}",
            file=sys.stderr,
            flush=True,
        )
    return row


def run(datasets=tuple(PAPER), n_folds=10, verbose=True):
    return [run_dataset(name, n_folds, verbose) for name in datasets]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="3 folds on the three smallest data sets"
    )
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    if args.quick:
        rows = run(("Breast-Cancer-Wisconsin", "Pima-Diabetes", "Seeds"), n_folds=3)
    else:
        rows = run()
    print("## Born-again protocol (RF 10 x depth 3, cross-validated; means over folds)\n")
    print(markdown_table(rows) + "\n", flush=True)
    if args.json:
        write_json(args.json, "born_again", rows, quick=args.quick)
    return rows


if __name__ == "__main__":
    with limited_threads():
        main()
