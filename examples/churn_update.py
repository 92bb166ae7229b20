"""Retraining a model without flipping the predictions users rely on.

A model in production was trained on the data available then; now there is
twice as much. Retraining on everything changes some of its predictions
(*churn*), and some of those changes turn a right answer into a wrong one
(*bad churn*). Three ways to update with less churn:

- **distillation toward the old model** (Jiang et al., ICLR 2022, "Churn
  reduction via distillation"): the old model, frozen, is the teacher; the new
  model learns ``alpha * labels + (1 - alpha) * old probabilities``;
- **parameter anchoring**: the new logistic model is penalised by
  ``prior_strength / 2 * ||theta - theta_old||^2`` instead of shrinking toward
  zero (``SoftLogisticRegression(**linear_prior(old), prior_strength=s)``);
- **interpolation**: ``interpolate_linear(new, old, lambda)``, a plain
  scikit-learn model with ``lambda * theta_new + (1 - lambda) * theta_old``.

``distill_path(..., previous=old)`` measures churn and accuracy on held-out
rows along ``alpha`` or ``prior_strength``; ``plot_churn_frontier`` draws the
frontiers; ``distillation_report(..., previous=old)`` reports the churn of one
update on test rows.

Data: adult (``$SKDISTILL_DATASETS/adult.tsv.gz``, default directory
``/work/shared/datasets``) when present, else
:func:`sklearn.datasets.make_classification`.

Environment: ``SKDISTILL_EXAMPLE_QUICK=1`` uses 6000 rows and fewer settings;
``SKDISTILL_EXAMPLE_OUTPUT`` is where the plot is saved (default: here).
"""

import os
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skdistill import DistilledClassifier, distill_path, distillation_report
from skdistill.metrics import bad_churn_score, churn_score
from skdistill.students import SoftLogisticRegression, interpolate_linear, linear_prior

QUICK = os.environ.get("SKDISTILL_EXAMPLE_QUICK") == "1"
DATASETS = Path(os.environ.get("SKDISTILL_DATASETS", "/work/shared/datasets"))
OUTPUT = Path(os.environ.get("SKDISTILL_EXAMPLE_OUTPUT", "."))
N_ROWS = 6000 if QUICK else 30000


def load_data():
    path = DATASETS / "adult.tsv.gz"
    if path.exists():
        import pandas as pd

        frame = pd.read_csv(path, sep="\t")
        X, y = frame.drop(columns="target").to_numpy(np.float64), frame["target"].to_numpy()
    else:
        X, y = make_classification(n_samples=N_ROWS, n_features=14, flip_y=0.1, random_state=0)
    order = np.random.RandomState(0).permutation(len(y))[:N_ROWS]
    return X[order], y[order]


def encoder(X):
    """One-hot for coded columns (few values), scaling for the others; fitted
    with the old model and kept, as in production."""
    n_values = np.array([len(np.unique(column)) for column in X.T])
    return ColumnTransformer(
        [
            (
                "coded",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                np.flatnonzero(n_values <= 50),
            ),
            ("numeric", StandardScaler(), np.flatnonzero(n_values > 50)),
        ]
    )


X, y = load_data()
n_test = len(y) // 5
X_test, y_test, X_train, y_train = X[:n_test], y[:n_test], X[n_test:], y[n_test:]
n_old = len(y_train) // 2
encode = encoder(X_train[:n_old]).fit(X_train[:n_old])
X_test, X_train = encode.transform(X_test), encode.transform(X_train)

old = SoftLogisticRegression(max_iter=1000).fit(X_train[:n_old], y_train[:n_old])
retrained = SoftLogisticRegression(max_iter=1000).fit(X_train, y_train)
old_pred = old.predict(X_test)
print(f"Old model (first {n_old} rows): test accuracy {np.mean(old_pred == y_test):.4f}")
print(
    f"Plain retrain ({len(y_train)} rows): test accuracy "
    f"{np.mean(retrained.predict(X_test) == y_test):.4f}, churn "
    f"{churn_score(old_pred, retrained.predict(X_test)):.4f}, bad churn "
    f"{bad_churn_score(y_test, old_pred, retrained.predict(X_test)):.4f}"
)

# The frontiers, measured on a held-out quarter of the new training rows.
update = DistilledClassifier(
    FrozenEstimator(old),
    SoftLogisticRegression(max_iter=1000),
    temperature=1.0,
    transfer=None,
    random_state=0,
)
alphas = [0.0, 0.5, 1.0] if QUICK else [0.0, 0.25, 0.5, 0.75, 1.0]
by_alpha = distill_path(
    update, X_train, y_train, param="alpha", values=alphas, previous=old, random_state=0
)
anchored = clone(update).set_params(
    alpha=1.0, student=SoftLogisticRegression(**linear_prior(old), max_iter=1000)
)
strengths = [1.0, 100.0, 1e4] if QUICK else [1.0, 10.0, 100.0, 1e3, 1e4]
by_strength = distill_path(
    anchored,
    X_train,
    y_train,
    param="student__prior_strength",
    values=strengths,
    previous=old,
    random_state=0,
)
print()
print(by_alpha)
print()
print(by_strength)

print("\n| update | test accuracy | churn | bad churn |")
print("|---|---|---|---|")
for weight in (0.25, 0.5, 0.75):
    mixed = interpolate_linear(retrained, old, weight)  # a plain LogisticRegression
    assert isinstance(mixed, LogisticRegression)
    pred = mixed.predict(X_test)
    print(
        f"| interpolation, lambda={weight} | {np.mean(pred == y_test):.4f} | "
        f"{churn_score(old_pred, pred):.4f} | {bad_churn_score(y_test, old_pred, pred):.4f} |"
    )

chosen = clone(update).set_params(alpha=0.5)
chosen.fit(X_train, y_train)
report = distillation_report(chosen, X_test, y_test, n_repeats=1, previous=old)
print(
    f"| distillation, alpha=0.5 | {report.student['accuracy']:.4f} | "
    f"{report.churn['churn']:.4f} | {report.churn['bad_churn']:.4f} |"
)

try:
    import matplotlib.pyplot as plt

    from skdistill.plotting import plot_churn_frontier
except ImportError:
    print("matplotlib is not installed: no plot")
else:
    ax = plot_churn_frontier({"distillation": by_alpha, "anchoring": by_strength})
    path = OUTPUT / "churn_frontier.png"
    ax.figure.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(ax.figure)
    print(f"\nSaved the churn-accuracy frontier to {path}")
