"""Helpers shared by the steps of the flow: fitting with weights, seeding clones."""

import numpy as np
from sklearn import get_config
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import has_fit_parameter


def final_estimator(estimator):
    """The estimator that does the predicting: the last step of a Pipeline,
    the inner estimator of a FrozenEstimator, else ``estimator`` itself."""
    while True:
        if isinstance(estimator, FrozenEstimator):
            estimator = estimator.estimator
        elif isinstance(estimator, Pipeline):
            estimator = estimator.steps[-1][1]
        else:
            return estimator


def accepts_sample_weight(estimator):
    """True when ``estimator.fit`` can take ``sample_weight``."""
    if isinstance(estimator, FrozenEstimator):
        return True  # fit is a no-op; the weights are simply not needed
    if isinstance(estimator, Pipeline):
        last = estimator.steps[-1][1]
        return last not in (None, "passthrough") and accepts_sample_weight(last)
    return has_fit_parameter(estimator, "sample_weight")


def fit_estimator(estimator, X, y, sample_weight=None):
    """Fit ``estimator`` on (X, y), passing ``sample_weight`` the way it expects.

    A Pipeline without metadata routing takes ``<last step>__sample_weight``.
    """
    if sample_weight is None:
        return estimator.fit(X, y)
    if isinstance(estimator, Pipeline) and not get_config()["enable_metadata_routing"]:
        name = estimator.steps[-1][0]
        return estimator.fit(X, y, **{f"{name}__sample_weight": sample_weight})
    return estimator.fit(X, y, sample_weight=sample_weight)


def seed_unset_random_states(estimator, random_state):
    """Give every ``random_state`` parameter left at None a seed drawn from
    ``random_state`` (a ``np.random.RandomState``), so that the distilled
    estimator's own ``random_state`` makes the whole fit reproducible.

    Parameters the user set explicitly are kept. ``estimator`` is modified in
    place and must therefore be a clone.
    """
    if isinstance(estimator, FrozenEstimator):
        return estimator
    params = estimator.get_params(deep=True)
    to_set = {
        key: int(random_state.randint(np.iinfo(np.int32).max))
        for key in sorted(params)
        if (key == "random_state" or key.endswith("__random_state")) and params[key] is None
    }
    if to_set:
        estimator.set_params(**to_set)
    return estimator


def markdown_table(headers, cells, *, align_right=False):
    """A Markdown table of string ``cells`` (a list of rows) under ``headers``,
    columns padded to their widest entry; ``align_right`` right-aligns every
    column but the first (numbers)."""
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]

    def line(row, header=False):
        return (
            "| "
            + " | ".join(
                c.rjust(w) if align_right and i and not header else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths))
            )
            + " |"
        )

    return "\n".join(
        [line(headers, header=True), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        + [line(row) for row in cells]
    )
