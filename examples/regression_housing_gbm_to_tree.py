"""Distil a gradient-boosting regressor of house prices into a small tree.

For regression the student learns the teacher's predictions instead of the
noisy targets (:class:`~skdistill.DistilledRegressor`; ``alpha`` mixes the
true values back in). The teacher's function is smoother than the data, so
a small tree fitted to it usually generalises better than the same tree
fitted to the labels, and it is a faithful summary of the teacher.

The teacher's predictions on its own training rows are optimistic, so the
student learns out-of-fold predictions (``teacher_targets="oof"``, the
default for a teacher that is not a bagging ensemble): each row is labelled
by a teacher that did not see it, then a final teacher is fitted on all rows.

Data: the California housing data (20,640 districts, 8 features, median
house value) from ``$SKDISTILL_DATASETS/537_houses.tsv.gz`` (default
directory ``/work/shared/datasets``) when present, else Friedman's #1
regression problem (:func:`sklearn.datasets.make_friedman1`). No network
access is needed.

Environment: ``SKDISTILL_EXAMPLE_QUICK=1`` uses 3,000 rows and a smaller
teacher.
"""

import os
from pathlib import Path

import numpy as np
from sklearn.datasets import make_friedman1
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

from skdistill import DistilledRegressor
from skdistill.export import export_student
from skdistill.metrics import fidelity_r2

QUICK = os.environ.get("SKDISTILL_EXAMPLE_QUICK") == "1"
DATASETS = Path(os.environ.get("SKDISTILL_DATASETS", "/work/shared/datasets"))
N_ROWS = 3_000 if QUICK else None


def load_data():
    path = DATASETS / "537_houses.tsv.gz"
    if path.exists():
        import pandas as pd

        frame = pd.read_csv(path, sep="\t")
        if N_ROWS is not None:
            frame = frame.sample(n=N_ROWS, random_state=0)
        return frame.drop(columns="target"), frame["target"].to_numpy(), "California housing"
    X, y = make_friedman1(n_samples=N_ROWS or 20_000, noise=1.0, random_state=0)
    return X, y, "make_friedman1"


X, y, name = load_data()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
print(f"Data: {name}, {len(y_train)} training and {len(y_test)} test rows")

teacher = HistGradientBoostingRegressor(
    max_iter=100 if QUICK else 300, learning_rate=0.1, random_state=0
)
teacher_pred = teacher.fit(X_train, y_train).predict(X_test)
print(f"Teacher: gradient boosting, test R2 {r2_score(y_test, teacher_pred):.3f}")

print("\n| student                       | test R2 | fidelity R2 (vs teacher) |")
print("|-------------------------------|---------|--------------------------|")
for leaves in (8, 32):
    tree = DecisionTreeRegressor(max_leaf_nodes=leaves, random_state=0)
    on_labels = tree.fit(X_train, y_train).predict(X_test)
    distilled = DistilledRegressor(teacher, tree, cv=3 if QUICK else 5, random_state=0).fit(
        X_train, y_train
    )
    pred = distilled.predict(X_test)
    for label, values in [
        (f"tree, {leaves} leaves, on labels", on_labels),
        (f"tree, {leaves} leaves, distilled", pred),
    ]:
        print(
            f"| {label:<29} | {r2_score(y_test, values):7.3f} | "
            f"{fidelity_r2(teacher_pred, values):24.3f} |"
        )

print(
    f"\nTargets: {distilled.target_summary_['source']} "
    f"(teacher out-of-fold R2 {distilled.target_summary_['teacher_r2']:.3f})"
)
# The student alone, for production: a plain DecisionTreeRegressor.
student = export_student(distilled)
assert np.array_equal(student.predict(X_test), pred)
print(
    f"Exported student: {type(student).__name__} with {student.get_n_leaves()} leaves, "
    f"depth {student.get_depth()}"
)
