"""The ``skdistill demo`` job: distil a random forest on a bundled data set."""

import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from ._distill import DistilledClassifier


def demo_students():
    """The students the demo distils into, by display name."""
    return {
        "tree (depth 6)": DecisionTreeClassifier(max_depth=6, random_state=0),
        "logistic": make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=2000)),
    }


def run_demo(random_state=0, temperature=2.0, out=print):
    """Fit a random forest on ``load_digits``, distil it into each demo student
    and print teacher vs distilled vs label-trained students.

    Returns the table rows as a list of dicts.
    """
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=random_state
    )
    out(f"Data: load_digits, {len(X_train)} training and {len(X_test)} test rows, "
        f"{X.shape[1]} features, {len(np.unique(y))} classes")
    teacher = RandomForestClassifier(n_estimators=300, random_state=random_state, n_jobs=1)
    start = time.perf_counter()
    teacher.fit(X_train, y_train)
    teacher_time = time.perf_counter() - start
    teacher_pred = teacher.predict(X_test)
    rows = [_row("teacher: random forest (300 trees)", teacher_pred, teacher_pred,
                 y_test, teacher_time)]

    for name, student in demo_students().items():
        start = time.perf_counter()
        baseline = student.fit(X_train, y_train)
        baseline_time = time.perf_counter() - start
        rows.append(_row(f"{name}, trained on labels", baseline.predict(X_test),
                         teacher_pred, y_test, baseline_time))
        distilled = DistilledClassifier(
            teacher, student, temperature=temperature, random_state=random_state
        )
        start = time.perf_counter()
        distilled.fit(X_train, y_train)
        distilled_time = time.perf_counter() - start
        rows.append(_row(
            f"{name}, distilled ({distilled.student_fit_}, T={temperature:g})",
            distilled.predict(X_test), teacher_pred, y_test, distilled_time,
        ))
    out(format_table(rows))
    out("fidelity = share of test rows where the model predicts the teacher's label; "
        "distilled fit time includes fitting the teacher.")
    return rows


def _row(model, pred, teacher_pred, y_true, fit_time):
    return {
        "model": model,
        "accuracy": float(np.mean(pred == y_true)),
        "fidelity": float(np.mean(pred == teacher_pred)),
        "fit time (s)": fit_time,
    }


def format_table(rows):
    """A Markdown table of a list of dicts with the same keys."""
    headers = list(rows[0])
    cells = [[_fmt(row[h]) for h in headers] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(cell, widths)) + " |"
              for cell in cells]
    return "\n".join(lines)


def _fmt(value):
    return f"{value:.3f}" if isinstance(value, float) else str(value)
