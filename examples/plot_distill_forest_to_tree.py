"""Distil a random forest into a depth-4 decision tree, with a fidelity curve.

A random forest of a few hundred trees is accurate but opaque and slow; a
single tree of depth 4 (at most 16 leaves) can be read on one page. Trained
on the true labels, the small tree is a coarse model of the data. Trained on
the forest's out-of-bag class probabilities instead (``DistilledClassifier``),
it becomes a model of the *forest*: it agrees with the forest more often
(higher fidelity) and usually loses less accuracy.

The script

1. fits the forest and reports its test accuracy;
2. computes the fidelity curve -- held-out agreement with the forest of
   distilled trees of depth 1..8 -- with :func:`skdistill.distill_path`, picks
   the smallest tree reaching 90% fidelity with :func:`skdistill.select_student`
   and saves the plot of :func:`skdistill.plotting.plot_fidelity_curve` as
   ``forest_to_tree_fidelity.png``;
3. compares a depth-4 tree trained on labels with a depth-4 distilled tree on
   the test rows, and prints the distilled tree's rules.

Data: the MAGIC gamma telescope data set (19,020 rows, 10 features) when it
is found in ``$SKDISTILL_DATASETS`` (default ``/work/shared/datasets``), else a
synthetic problem from :func:`sklearn.datasets.make_classification`.

Environment: ``SKDISTILL_EXAMPLE_QUICK=1`` uses a small sample and few trees
(seconds); ``SKDISTILL_EXAMPLE_OUTPUT`` is the directory for the PNG (default:
the current directory).
"""

import os
from pathlib import Path

import matplotlib

if os.environ.get("MPLBACKEND") is None:
    matplotlib.use("Agg")  # a script: write the PNG, do not open a window

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier, distill_path, select_student
from skdistill.export import export_rules
from skdistill.plotting import plot_fidelity_curve

QUICK = os.environ.get("SKDISTILL_EXAMPLE_QUICK") == "1"
OUTPUT = Path(os.environ.get("SKDISTILL_EXAMPLE_OUTPUT", "."))
DATASETS = Path(os.environ.get("SKDISTILL_DATASETS", "/work/shared/datasets"))
N_ROWS = 2_000 if QUICK else 12_000
N_TREES = 40 if QUICK else 300
DEPTHS = [1, 2, 3, 4, 6] if QUICK else [1, 2, 3, 4, 5, 6, 8]


def load_data():
    path = DATASETS / "magic.tsv.gz"
    if path.exists():
        import pandas as pd

        frame = pd.read_csv(path, sep="\t")
        frame = frame.sample(n=min(N_ROWS, len(frame)), random_state=0)
        X = frame.drop(columns="target")
        return X, frame["target"].to_numpy(), "MAGIC gamma telescope"
    X, y = make_classification(
        n_samples=N_ROWS,
        n_features=12,
        n_informative=6,
        n_redundant=2,
        flip_y=0.05,
        class_sep=0.8,
        random_state=0,
    )
    return X, y, "make_classification"


X, y, name = load_data()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
print(f"Data: {name}, {len(y_train)} training and {len(y_test)} test rows")

forest = RandomForestClassifier(n_estimators=N_TREES, min_samples_leaf=2, n_jobs=2, random_state=0)
teacher_pred = forest.fit(X_train, y_train).predict(X_test)
print(
    f"Teacher: random forest of {N_TREES} trees, test accuracy "
    f"{np.mean(teacher_pred == y_test):.3f}"
)

# 1. Fidelity curve. The student targets are the forest's out-of-bag
# probabilities (teacher_targets="auto" picks "oob" for a bagged forest):
# honest beliefs rather than the forest's memory of its training rows.
template = DistilledClassifier(
    RandomForestClassifier(n_estimators=N_TREES, min_samples_leaf=2, n_jobs=2),
    DecisionTreeClassifier(),
    temperature=1.0,
    alpha=0.0,
    transfer=None,
    random_state=0,
)
path = distill_path(
    template,
    X_train,
    y_train,
    param="student__max_depth",
    values=DEPTHS,
    random_state=0,
    n_repeats=1,
)
print(path)
choice = select_student(path, target_fidelity=0.90)
print(
    f"Smallest tree with held-out fidelity >= 0.90: max_depth={choice.value} "
    f"({choice.size:.0f} leaves, fidelity {choice.fidelity:.3f})"
    + ("" if choice.met else "  [target not met: the largest tree is shown]")
)
ax = plot_fidelity_curve(path, chosen=choice, target_fidelity=0.90)
ax.set_title("Distilling a random forest into a decision tree")
OUTPUT.mkdir(parents=True, exist_ok=True)
png = OUTPUT / "forest_to_tree_fidelity.png"
ax.figure.savefig(png, dpi=100, bbox_inches="tight")
print(f"Saved the fidelity curve to {png}")

# 2. Depth 4: trained on labels vs distilled from the forest, on test rows.
on_labels = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X_train, y_train)
distilled = template.set_params(student__max_depth=4).fit(X_train, y_train)
print("\n| depth-4 tree      | test accuracy | fidelity to the forest |")
print("|-------------------|---------------|------------------------|")
for label, model in [("trained on labels", on_labels), ("distilled", distilled)]:
    # Fidelity against the forest fitted above, for both trees (the distilled
    # model fitted its own forest, with a seed drawn from random_state).
    pred = model.predict(X_test)
    print(
        f"| {label:<17} | {np.mean(pred == y_test):13.3f} | "
        f"{np.mean(pred == teacher_pred):22.3f} |"
    )

print("\nRules of the distilled tree:")
print(export_rules(distilled, decimals=2))
