"""Distil gradient boosting into a logistic regression, tuning the temperature.

The temperature ``T`` softens the teacher's class probabilities
(``softmax(logits / T)``): at ``T = 1`` the student copies the teacher's
probabilities, at larger ``T`` it sees more of how the teacher ranks the
wrong classes. The best ``T`` depends on the teacher and the student, so it
is a hyper-parameter like any other: :class:`~skdistill.DistilledClassifier`
is a scikit-learn estimator, and ``GridSearchCV`` tunes ``temperature`` and
the student's own parameters (``student__...``) together.

Here a histogram gradient-boosting teacher on the digits data (10 classes,
64 pixel features) is fitted on one part of the training rows and frozen
(``FrozenEstimator``), so the search refits only the student; the student is
distilled on the other part, which the teacher never saw (as when a teacher
trained elsewhere is distilled on new data). Candidates are ranked by
*fidelity* -- how often the student predicts the teacher's label on the
held-out fold, the ``"fidelity"`` scorer of :mod:`skdistill.metrics` -- with
accuracy reported next to it. A logistic regression trained on the labels of
the same rows is the baseline.

The student is ``StandardScaler`` + :class:`skdistill.students.SoftLogisticRegression`,
which learns the soft targets directly (``student_fit_ == "native"``); any
scikit-learn classifier works too (it is then trained by row replication).

Environment: ``SKDISTILL_EXAMPLE_QUICK=1`` uses a smaller grid and teacher.
"""

import os

import numpy as np
from sklearn.datasets import load_digits
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdistill import DistilledClassifier
from skdistill.metrics import fidelity_score, get_scorer
from skdistill.students import SoftLogisticRegression

QUICK = os.environ.get("SKDISTILL_EXAMPLE_QUICK") == "1"
TEMPERATURES = [1.0, 4.0] if QUICK else [1.0, 2.0, 4.0, 8.0]
CS = [0.1] if QUICK else [0.03, 0.1, 0.3]

X, y = load_digits(return_X_y=True)
if QUICK:
    X, y = X[:700], y[:700]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
# Teacher rows and distillation rows.
X_teach, X_train, y_teach, y_train = train_test_split(
    X_train, y_train, test_size=0.5, stratify=y_train, random_state=0
)

teacher = HistGradientBoostingClassifier(max_iter=30 if QUICK else 200, random_state=0)
teacher.fit(X_teach, y_teach)
teacher_pred = teacher.predict(X_test)
print(f"Teacher: gradient boosting, test accuracy {np.mean(teacher_pred == y_test):.3f}")

student = make_pipeline(StandardScaler(), SoftLogisticRegression(max_iter=300))
search = GridSearchCV(
    # Numbers instead of the "auto" defaults: the search itself chooses.
    DistilledClassifier(
        FrozenEstimator(teacher), student, alpha=0.0, transfer=None, random_state=0
    ),
    param_grid={"temperature": TEMPERATURES, "student__softlogisticregression__C": CS},
    scoring={"fidelity": get_scorer("fidelity"), "accuracy": "accuracy"},
    refit="fidelity",
    cv=3,
)
search.fit(X_train, y_train)

results = search.cv_results_
print("\n| temperature | C     | fidelity (CV) | accuracy (CV) |")
print("|-------------|-------|---------------|---------------|")
for params, fid, acc in zip(
    results["params"], results["mean_test_fidelity"], results["mean_test_accuracy"]
):
    print(
        f"| {params['temperature']:11g} | {params['student__softlogisticregression__C']:<5g} "
        f"| {fid:13.3f} | {acc:13.3f} |"
    )
print(f"\nBest: {search.best_params_}")

best = search.best_estimator_
on_labels = make_pipeline(
    StandardScaler(),
    LogisticRegression(C=search.best_params_["student__softlogisticregression__C"], max_iter=2000),
)
on_labels.fit(X_train, y_train)
print("\n| logistic regression | test accuracy | fidelity to the teacher |")
print("|---------------------|---------------|-------------------------|")
for label, model in [("trained on labels", on_labels), ("distilled (best T)", best)]:
    pred = model.predict(X_test)
    print(
        f"| {label:<19} | {np.mean(pred == y_test):13.3f} | "
        f"{fidelity_score(teacher_pred, pred):23.3f} |"
    )
print(f"student_fit_ = {best.student_fit_!r}")
