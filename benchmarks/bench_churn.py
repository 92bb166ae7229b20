"""Model updates without churn: distillation toward the old model vs parameter
anchoring vs interpolation, on adult.

Protocol (after Jiang et al., 2022, "Churn reduction via distillation"): per
seed, adult is shuffled; 20% of the rows are held out for test; the old model
is fitted on the first half of the remaining rows, the new one on all of them
(the old rows plus as many new ones). The feature encoding (one-hot for the
columns with at most 50 codes, standard scaling for the others) is fitted with
the old model and kept, as it would be in production. For each update method
and setting: test accuracy, churn (share of test predictions that change from
the old model) and bad churn (right to wrong, over all test rows), averaged
over seeds.

Logistic model (``SoftLogisticRegression``, C=1):

- retrain: the new model on the labels;
- distillation: ``DistilledClassifier(FrozenEstimator(old), ...)``, targets
  ``alpha * labels + (1 - alpha) * old model's probabilities`` (alpha sweep);
- anchoring: the labels with the penalty ``s/2 ||theta - theta_old||^2``
  (``prior_strength`` sweep, ``linear_prior(old)``);
- interpolation: ``interpolate_linear(retrained, old, lambda)``.

Tree model (``SoftDecisionTreeClassifier(max_depth=8, min_samples_leaf=20)``):
retrain and distillation only (no parameter space to anchor in).

The summary gives, per method, the least churn among its settings whose
accuracy is within ``TOLERANCE`` of the retrained model's (the shape of Jiang
et al.'s comparison: churn at equal accuracy).

    python benchmarks/bench_churn.py [--quick] [--json PATH]
"""

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.frozen import FrozenEstimator
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, str(Path(__file__).parent))
from _harness import markdown_table, write_json  # noqa: E402
from _protocol import limited_threads, load_pmlb  # noqa: E402

from skdistill import DistilledClassifier  # noqa: E402
from skdistill.metrics import bad_churn_score, churn_score  # noqa: E402
from skdistill.students import (  # noqa: E402
    SoftDecisionTreeClassifier,
    SoftLogisticRegression,
    interpolate_linear,
    linear_prior,
)

# Accuracy loss (in accuracy, not points) a churn-reducing update may take
# against the plain retrain in the summary.
TOLERANCE = 0.002
ALPHAS = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9)
STRENGTHS = (1.0, 10.0, 100.0, 1e3, 1e4, 1e5)
LAMBDAS = (0.0, 0.25, 0.5, 0.75, 0.9)
# The old model's training rows: the first half of the training rows (the
# issue's protocol), and the first 1000 (an old model that more data improves).
SCENARIOS = {"half": None, "1000 rows": 1000}


def encoder(X):
    """One-hot for the coded columns (<= 50 values), scaling for the rest."""
    n_values = np.array([len(np.unique(column)) for column in X.T])
    coded = np.flatnonzero(n_values <= 50)
    numeric = np.flatnonzero(n_values > 50)
    return ColumnTransformer(
        [
            ("coded", OneHotEncoder(handle_unknown="ignore", sparse_output=False), coded),
            ("numeric", StandardScaler(), numeric),
        ]
    )


def split(X, y, seed, n_rows=None, n_old=None):
    """Old rows (the first half of the training rows, or the first
    ``n_old``), all training rows and test rows of one shuffle."""
    order = np.random.RandomState(seed).permutation(len(y))
    if n_rows is not None:
        order = order[:n_rows]
    n_test = len(order) // 5
    test, train = order[:n_test], order[n_test:]
    old = train[: len(train) // 2 if n_old is None else n_old]
    return old, train, test


def _measure(method, setting, model, old_pred, X_test, y_test):
    pred = model.predict(X_test)
    return {
        "method": method,
        "setting": setting,
        "accuracy": float(np.mean(pred == y_test)),
        "churn": churn_score(old_pred, pred),
        "bad_churn": bad_churn_score(y_test, old_pred, pred),
    }


def logistic_runs(X_old, y_old, X_all, y_all, X_test, y_test, quick):
    student = SoftLogisticRegression(C=1.0, max_iter=1000)
    old = clone(student).fit(X_old, y_old)
    old_pred = old.predict(X_test)
    retrained = clone(student).fit(X_all, y_all)
    runs = [
        _measure("old model", "", old, old_pred, X_test, y_test),
        _measure("retrain", "", retrained, old_pred, X_test, y_test),
    ]
    for alpha in ALPHAS[::2] if quick else ALPHAS:
        model = DistilledClassifier(
            FrozenEstimator(old), clone(student), temperature=1.0, alpha=alpha, transfer=None
        ).fit(X_all, y_all)
        runs.append(_measure("distillation", f"alpha={alpha:g}", model, old_pred, X_test, y_test))
    for strength in STRENGTHS[::2] if quick else STRENGTHS:
        model = clone(student).set_params(**linear_prior(old), prior_strength=strength)
        model.fit(X_all, y_all)
        runs.append(_measure("anchoring", f"s={strength:g}", model, old_pred, X_test, y_test))
    for weight in LAMBDAS[::2] if quick else LAMBDAS:
        model = interpolate_linear(retrained, old, weight)
        runs.append(
            _measure("interpolation", f"lambda={weight:g}", model, old_pred, X_test, y_test)
        )
    return runs


def tree_runs(X_old, y_old, X_all, y_all, X_test, y_test, quick):
    student = SoftDecisionTreeClassifier(max_depth=8, min_samples_leaf=20, random_state=0)
    old = clone(student).fit(X_old, y_old)
    old_pred = old.predict(X_test)
    runs = [
        _measure("old model", "", old, old_pred, X_test, y_test),
        _measure("retrain", "", clone(student).fit(X_all, y_all), old_pred, X_test, y_test),
    ]
    for alpha in ALPHAS[::2] if quick else ALPHAS:
        model = DistilledClassifier(
            FrozenEstimator(old), clone(student), temperature=1.0, alpha=alpha, transfer=None
        ).fit(X_all, y_all)
        runs.append(_measure("distillation", f"alpha={alpha:g}", model, old_pred, X_test, y_test))
    return runs


def run_seed(X, y, seed, quick):
    runs = []
    for scenario, n_old in SCENARIOS.items():
        old, train, test = split(X, y, seed, n_rows=8000 if quick else None, n_old=n_old)
        encode = encoder(X[old]).fit(X[old])
        X_old, X_all, X_test = (encode.transform(X[rows]) for rows in (old, train, test))
        args = (X_old, y[old], X_all, y[train], X_test, y[test], quick)
        case = {"old model on": scenario}
        runs += [{**case, "model": "logistic", **run} for run in logistic_runs(*args)]
        runs += [{**case, "model": "tree", **run} for run in tree_runs(*args)]
    return runs


def average(runs_per_seed):
    """One row per (model, method, setting): means (and accuracy sd) over seeds."""
    rows = []
    for i, first in enumerate(runs_per_seed[0]):
        same = [runs[i] for runs in runs_per_seed]
        accuracy = np.array([run["accuracy"] for run in same])
        rows.append(
            {
                "old model on": first["old model on"],
                "model": first["model"],
                "method": first["method"],
                "setting": first["setting"],
                "accuracy": float(accuracy.mean()),
                "accuracy sd": float(accuracy.std()),
                "churn": float(np.mean([run["churn"] for run in same])),
                "bad churn": float(np.mean([run["bad_churn"] for run in same])),
            }
        )
    return rows


def summary(rows):
    """Per model and method: the least churn at accuracy within TOLERANCE of
    the retrain, and the setting that reaches it."""
    out = []
    for case in dict.fromkeys(_case(row) for row in rows):
        own = [row for row in rows if _case(row) == case]
        retrain = next(row for row in own if row["method"] == "retrain")
        floor = retrain["accuracy"] - TOLERANCE
        for method in ("retrain", "distillation", "anchoring", "interpolation"):
            eligible = [row for row in own if row["method"] == method and row["accuracy"] >= floor]
            if not any(row["method"] == method for row in own):
                continue
            best = min(eligible, key=lambda row: row["churn"]) if eligible else None
            out.append(
                {
                    "old model on": case[0],
                    "model": case[1],
                    "method": method,
                    "best setting": best["setting"] if best else "none",
                    "accuracy": best["accuracy"] if best else None,
                    "churn": best["churn"] if best else None,
                    "bad churn": best["bad churn"] if best else None,
                    "churn / retrain churn": best["churn"] / retrain["churn"] if best else None,
                }
            )
    return out


def _case(row):
    return row.get("old model on", "half"), row["model"]


def dominated(rows, case, method, by):
    """How many settings of ``method`` some setting of ``by`` dominates
    (accuracy at least as high and churn at most as high, one strictly), in
    ``case`` = (old model on, model)."""
    own = [row for row in rows if _case(row) == case and row["method"] == method]
    other = [row for row in rows if _case(row) == case and row["method"] == by]
    count = sum(
        any(
            o["accuracy"] >= r["accuracy"]
            and o["churn"] <= r["churn"]
            and (o["accuracy"] > r["accuracy"] or o["churn"] < r["churn"])
            for o in other
        )
        for r in own
    )
    return count, len(own)


def render(payload):
    """The Markdown section of ``docs/benchmarks.md`` for a JSON result."""
    payload = {**payload, "summary": summary(payload["rows"])}
    payload["verdict"] = verdict(payload["rows"], payload["summary"])
    mode = "quick" if payload.get("quick") else "full"
    parts = [
        f"Model updates on adult ({mode} mode, {payload['n_seeds']} seed(s)): the old model "
        "is fitted on half of the training rows, the update on all of them; churn and "
        "bad churn (right to wrong) are shares of the held-out test rows whose prediction "
        "changes from the old model; means over seeds.",
        markdown_table(payload["rows"]),
        f"**Least churn at equal accuracy** (settings within {TOLERANCE * 100:g} accuracy "
        "points of the plain retrain):",
        markdown_table(payload["summary"]),
    ]
    if payload.get("verdict"):
        parts.append(payload["verdict"])
    return "\n\n".join(parts) + "\n"


def verdict(rows, summary_rows):
    """Sentences comparing distillation and anchoring (logistic model), per
    scenario."""
    sentences = []
    for scenario in dict.fromkeys(_case(row)[0] for row in rows):
        case = (scenario, "logistic")
        by = {row["method"]: row for row in summary_rows if _case(row) == case}
        distil, anchor = by.get("distillation"), by.get("anchoring")
        if not distil or not anchor:
            continue
        d_by_a = dominated(rows, case, "distillation", "anchoring")
        a_by_d = dominated(rows, case, "anchoring", "distillation")
        text = (
            f"Old model on {scenario} (logistic): anchoring dominates {d_by_a[0]} of the "
            f"{d_by_a[1]} distillation settings on the churn-accuracy plane and "
            f"distillation {a_by_d[0]} of the {a_by_d[1]} anchoring settings"
        )
        if distil["churn"] is not None and anchor["churn"] is not None:
            text += (
                f"; least churn at equal accuracy {distil['churn']:.4f} (distillation) vs "
                f"{anchor['churn']:.4f} (anchoring)"
            )
        holds = a_by_d[0] > d_by_a[0] and (
            anchor["churn"] is None
            or (distil["churn"] is not None and distil["churn"] < anchor["churn"])
        )
        sentences.append(
            text
            + (
                ". Jiang et al.'s ordering (distillation dominating anchoring) holds."
                if holds
                else ". Jiang et al.'s ordering (distillation dominating anchoring) does not hold."
            )
        )
    return " ".join(sentences) if sentences else "No logistic comparison."


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8000 rows, 1 seed, fewer settings")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    X, y = load_pmlb("adult")
    X = X.astype(np.float64)
    n_seeds = 1 if args.quick else args.seeds
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runs = [run_seed(X, y, seed, args.quick) for seed in range(n_seeds)]
    rows = average(runs)
    best = summary(rows)
    payload = {
        "quick": args.quick,
        "n_seeds": n_seeds,
        "tolerance": TOLERANCE,
        "rows": rows,
        "summary": best,
        "verdict": verdict(rows, best),
    }
    print(render(payload))
    if args.json:
        write_json(
            args.json,
            "churn",
            rows,
            quick=args.quick,
            n_seeds=n_seeds,
            tolerance=TOLERANCE,
            summary=best,
            verdict=payload["verdict"],
        )
    return payload


if __name__ == "__main__":
    with limited_threads():
        main()
