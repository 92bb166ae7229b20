"""Small parameter-validation helpers with messages that name the parameter.

scikit-learn's own declarative validation lives in a private module, so
skdistill keeps its own: each helper raises ``TypeError`` for a wrong type and
``ValueError`` for a wrong value, always naming the parameter, the expectation
and what was received.
"""

import numbers

import numpy as np


def check_real(value, name, *, low=None, high=None, low_inclusive=True, high_inclusive=True):
    """Return ``value`` as a float after checking its type and range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number, got {value!r} of type {type(value).__name__}"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        raise ValueError(f"{name} must be in the range {left}{lo}, {hi}{right}, got {value!r}")
    return value


def check_int(value, name, *, low=None, high=None, allow_none=False):
    """Return ``value`` as an int (or None when allowed) after checking it."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        expected = "an int or None" if allow_none else "an int"
        raise TypeError(f"{name} must be {expected}, got {value!r} of type {type(value).__name__}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        raise ValueError(f"{name} must be in the range [{lo}, {hi}], got {value!r}")
    return value


def check_option(value, name, options):
    """Check that ``value`` is one of the strings in ``options``."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}, got {value!r}")
    return value


def check_n_jobs(value):
    """``n_jobs`` follows joblib: None, or a non-zero int."""
    value = check_int(value, "n_jobs", allow_none=True)
    if value == 0:
        raise ValueError("n_jobs must be None or a non-zero int, got 0")
    return value


def check_sample_weight(
    sample_weight, n_samples, *, match="X", allow_scalar=False, positive_sum=False
):
    """``sample_weight`` as a float64 array of shape ``(n_samples,)``, or None.

    ``match`` names what the length must match in the message;
    ``allow_scalar`` turns a number into that weight for every row;
    ``positive_sum`` rejects all-zero weights (nothing to fit or average).
    """
    if sample_weight is None:
        return None
    if (
        allow_scalar
        and isinstance(sample_weight, numbers.Number)
        and not isinstance(sample_weight, bool)
    ):
        sample_weight = np.full(n_samples, sample_weight, dtype=np.float64)
    try:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"sample_weight must be an array of numbers, got {type(sample_weight).__name__}"
        ) from exc
    if sample_weight.shape != (n_samples,):
        raise ValueError(
            f"sample_weight must have shape ({n_samples},) to match {match}, got "
            f"{sample_weight.shape}"
        )
    if not np.all(np.isfinite(sample_weight)) or (sample_weight < 0).any():
        raise ValueError("sample_weight must be finite and non-negative")
    if positive_sum and sample_weight.sum() <= 0:
        raise ValueError(
            "sample_weight must have a positive sum (it must not be all zero), got "
            f"{float(sample_weight.sum())!r}"
        )
    return sample_weight


def check_distilled(distilled, name="distilled"):
    """Check that ``distilled`` looks like a distilled estimator (duck-typed,
    so that this module needs nothing from the estimators)."""
    if not (
        hasattr(distilled, "teacher")
        and hasattr(distilled, "student")
        and hasattr(distilled, "get_params")
    ):
        raise TypeError(
            f"{name} must be a DistilledClassifier, DistilledRegressor or "
            f"DistilledEstimator, got {type(distilled).__name__}"
        )


def import_pandas(caller):
    """``pandas``, or an ImportError naming ``caller`` and how to install it."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is a test dependency
        raise ImportError(f"{caller} needs pandas; install it with: pip install pandas") from exc
    return pd
