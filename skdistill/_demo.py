"""The ``skdistill demo`` job: distil a random forest on a bundled data set.

Everything runs on scikit-learn's ``load_digits`` (no download): a random
forest teacher, students trained on the labels, the same students distilled
(soft targets plus a MUNGE transfer set), and with the defaults (the
``"auto"`` settings, chosen on inner validation folds, never on the test
rows); then the
report of one distilled student, the size search for the smallest tree
that reaches a fidelity target (drawn as a PNG when matplotlib is
installed) and the student search across families within 64 leaves.
"""

import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ._distill import DistilledClassifier
from ._measure import fidelity, model_outputs, performance
from ._tune import describe
from ._utils import markdown_table
from .report import distillation_report
from .search import search_students
from .size_search import distill_path, select_student
from .students import SoftDecisionTreeClassifier, SoftLogisticRegression
from .transfer import Munge

TARGET_FIDELITY = 0.9


def demo_students():
    """The students the demo distils into, by display name."""
    return {
        "soft tree (depth 8)": SoftDecisionTreeClassifier(max_depth=8, random_state=0),
        "logistic": make_pipeline(StandardScaler(), SoftLogisticRegression(C=0.05)),
    }


def run_demo(random_state=0, temperature=2.0, out=print, plot_path="skdistill_demo.png"):
    """Run the demo and print its tables; return the comparison rows.

    Parameters
    ----------
    random_state : int
        Seeds the split, the teacher, the students and the transfer set.
    temperature : float
        Temperature of the plain distilled students (the defaults pick their own).
    out : callable
        Where lines are printed.
    plot_path : str, Path or None
        Where the fidelity curve is saved (needs matplotlib); None skips it.
    """
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=random_state
    )
    out(
        f"Data: load_digits, {len(X_train)} training and {len(X_test)} test rows, "
        f"{X.shape[1]} features, {len(np.unique(y))} classes"
    )
    teacher = RandomForestClassifier(n_estimators=300, random_state=random_state)
    start = time.perf_counter()
    fitted_teacher = clone(teacher).fit(X_train, y_train)
    fit_time = time.perf_counter() - start
    teacher_outputs = model_outputs(fitted_teacher, X_test, classification=True)
    rows = [
        _row(
            "teacher: random forest (300 trees)",
            fitted_teacher,
            teacher_outputs,
            X_test,
            y_test,
            fit_time,
        )
    ]

    distilled_models = {}
    for name, student in demo_students().items():
        start = time.perf_counter()
        baseline = clone(student).fit(X_train, y_train)
        rows.append(
            _row(
                f"{name}, trained on labels",
                baseline,
                teacher_outputs,
                X_test,
                y_test,
                time.perf_counter() - start,
            )
        )
        variants = {
            f"distilled (T={temperature:g}, MUNGE 10x)": DistilledClassifier(
                teacher,
                student,
                temperature=temperature,
                alpha=0.0,
                transfer=Munge(size_factor=10),
                random_state=random_state,
            ),
            "distilled, defaults ('auto')": DistilledClassifier(
                teacher, student, random_state=random_state
            ),
        }
        for label, model in variants.items():
            start = time.perf_counter()
            model.fit(X_train, y_train)
            rows.append(
                _row(
                    f"{name}, {label}",
                    model,
                    teacher_outputs,
                    X_test,
                    y_test,
                    time.perf_counter() - start,
                )
            )
            distilled_models[(name, label)] = model
    out(format_table(rows))
    out(
        "fidelity = share of test rows where the model predicts the teacher's label; "
        "distilled fit times include fitting the teacher."
    )
    for name in demo_students():
        tuned = distilled_models[(name, "distilled, defaults ('auto')")]
        out(
            f"The defaults chose '{describe(tuned.tuned_params_)}' for the {name} on inner "
            "validation folds of the training rows."
        )

    first_model = distilled_models[next(iter(distilled_models))]
    out("")
    out(str(distillation_report(first_model, X_test, y_test, n_repeats=3)))
    out("")
    _size_search(teacher, X_train, y_train, random_state, plot_path, out)
    out("")
    _student_search(fitted_teacher, X_train, y_train, X_test, y_test, random_state, out)
    return rows


def _student_search(fitted_teacher, X_train, y_train, X_test, y_test, random_state, out):
    """The most faithful student within 64 leaves, across families (the
    fitted teacher is reused, frozen; the GAM and boosting families are left
    out to keep the demo fast)."""
    search = search_students(
        FrozenEstimator(fitted_teacher),
        X_train,
        y_train,
        budget={"max_leaves": 64},
        families=["tree", "linear", "linear_tree"],
        random_state=random_state,
    )
    out(str(search))
    outputs = model_outputs(search.best_estimator, X_test, classification=True)
    agreement = fidelity(model_outputs(fitted_teacher, X_test, True), outputs)["fidelity"]
    out(
        f"The chosen {search.best['name']} student, distilled on all training rows: "
        f"test fidelity {agreement:.3f}, accuracy {performance(y_test, outputs)['accuracy']:.3f}."
    )


def _size_search(teacher, X_train, y_train, random_state, plot_path, out):
    """The smallest soft tree whose held-out fidelity reaches the target."""
    template = DistilledClassifier(
        teacher,
        SoftDecisionTreeClassifier(random_state=random_state),
        temperature=2.0,
        alpha=0.0,
        teacher_targets="in_sample",
        transfer=Munge(size_factor=5),
        random_state=random_state,
    )
    path = distill_path(
        template,
        X_train,
        y_train,
        param="student__max_depth",
        values=[2, 4, 6, 8, 10, 12],
        random_state=random_state,
    )
    out(f"Size search (held-out quarter of the training rows), target fidelity {TARGET_FIDELITY}:")
    out(str(path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "none reaches": said below
        choice = select_student(path, target_fidelity=TARGET_FIDELITY)
    verdict = "reaches" if choice.met else "is the closest to"
    out(f"max_depth={choice.value} {verdict} the target (fidelity {choice.fidelity:.3f}).")
    if plot_path is None:
        return
    try:
        import matplotlib

        matplotlib.use("Agg")
        from .plotting import plot_fidelity_curve
    except ImportError:
        out(
            "(install matplotlib, e.g. pip install 'skdistill[plot]', to save the "
            "fidelity curve as a PNG)"
        )
        return
    ax = plot_fidelity_curve(path, chosen=choice, target_fidelity=TARGET_FIDELITY)
    ax.figure.savefig(plot_path, dpi=100, bbox_inches="tight")
    out(f"Fidelity curve saved to {Path(plot_path).resolve()}")


def _row(name, model, teacher_outputs, X_test, y_test, fit_time):
    """One table row, measured as :func:`skdistill.distillation_report` does."""
    outputs = model_outputs(model, X_test, classification=True)
    return {
        "model": name,
        "accuracy": performance(y_test, outputs)["accuracy"],
        "fidelity": fidelity(teacher_outputs, outputs)["fidelity"],
        "fit time (s)": fit_time,
    }


def format_table(rows):
    """A Markdown table of a list of dicts with the same keys."""
    headers = list(rows[0])
    return markdown_table(headers, [[_fmt(row[h]) for h in headers] for row in rows])


def _fmt(value):
    return f"{value:.3f}" if isinstance(value, float) else str(value)
