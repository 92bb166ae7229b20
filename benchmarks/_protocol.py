"""Helpers shared by the quality benchmarks (compression, born-again, large):
data sets, metrics, and fitting with the library's default tuning rule."""

import sys
from pathlib import Path

import numpy as np
from sklearn.base import clone

sys.path.insert(0, str(Path(__file__).parent))
# load_born_again stays importable from here for the scripts that import it
# from _protocol.
from _data import load_born_again, load_pmlb  # noqa: E402, F401


def limited_threads():
    """A context limiting BLAS/OpenMP to one thread. On this shared 2-core
    machine OpenMP teams that spin-wait for busy cores made a 4000-row
    HistGradientBoosting fit take 130 s instead of 1.5 s; one thread per
    process gives stable, comparable numbers."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def kdd06_problems(names=("letter.p1", "letter.p2", "magic")):
    """The binary problems of Bucilua et al. (2006), as (name, X, y)."""
    if any(n.startswith("letter") for n in names):
        X, letters = load_pmlb("letter")
        # PMLB encodes the letters 1..26 (A..Z); class counts match UCI's.
        if "letter.p1" in names:
            yield "letter.p1", X, (letters == 15).astype(int)
        if "letter.p2" in names:
            yield "letter.p2", X, (letters >= 14).astype(int)
    if "magic" in names:
        X, y = load_pmlb("magic")
        yield "magic", X, (np.asarray(y) == np.unique(y)[1]).astype(int)


def binary_metrics(proba, y_true, teacher_pred, classes=(0, 1)):
    """Accuracy, fidelity and RMSE of P(class 1) to the 0/1 labels."""
    pred = np.asarray(classes)[proba.argmax(axis=1)]
    return {
        "accuracy": float(np.mean(pred == y_true)),
        "fidelity": float(np.mean(pred == teacher_pred)),
        "RMSE": float(np.sqrt(np.mean((proba[:, 1] - y_true) ** 2))),
    }


DEFAULTS_LABEL = "defaults (auto)"
PLAIN_LABEL = "plain (T=1, alpha=0, no transfer)"


def fit_default_rule(model, X, y):
    """Fit ``model`` with the library's defaults: ``temperature``, ``alpha``
    and ``transfer`` set to ``"auto"`` (chosen on an inner split of X).
    Returns the fitted model and a short name of the chosen candidate."""
    from skdistill import _tune

    auto = {name: "auto" for name in _tune.TUNED_PARAMS if name in model.get_params(deep=False)}
    fitted = clone(model).set_params(**auto).fit(X, y)
    return fitted, _tune.describe(fitted.tuned_params_)


def untuned(model):
    """``model`` with the plain distillation settings for each parameter left
    "auto": temperature 1, alpha 0, no transfer set."""
    from skdistill._tune import plain_settings

    return clone(model).set_params(**plain_settings(model))


def independent_marginals(X, n_samples, random_state):
    """The RANDOM baseline of Bucilua et al.: every attribute drawn
    independently from its empirical marginal distribution."""
    rng = np.random.RandomState(random_state)
    rows = rng.randint(len(X), size=(n_samples, X.shape[1]))
    return X[rows, np.arange(X.shape[1])]
