"""The benchmarks' data sets: the local copy when present, else OpenML.

The scripts read the Penn ML Benchmark (PMLB) copies and the born-again
CSVs of the shared ``datasets`` folder (``../shared/datasets`` beside the
repository, or the folder named by ``SKDISTILL_DATASETS``). From a fresh
clone without that folder, the PMLB sets are fetched by OpenML id with
:func:`sklearn.datasets.fetch_openml` (cached in scikit-learn's data home,
so only the first run needs the network) and turned into the PMLB layout:
the same columns in the same order, categories coded as PMLB codes them
(sorted names, a missing value as the name ``"?"``), the same target codes.
The born-again sets are binned versions that OpenML does not hold: they
are read from the local folder only.

When a set is neither local nor fetchable, :class:`DataUnavailable` says
which one, where it was looked for and how to provide it.
"""

import os
import re
import urllib.error
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DATASETS = Path(
    os.environ.get(
        "SKDISTILL_DATASETS", Path(__file__).resolve().parents[2] / "shared" / "datasets"
    )
)

BORN_AGAIN_SOURCE = (
    "the binned data sets of Vidal & Schiffer, 'Born-Again Tree Ensembles' (ICML 2020), "
    "published with the paper's code"
)


class DataUnavailable(RuntimeError):
    """A benchmark data set is neither in the local folder nor fetchable."""


@dataclass(frozen=True)
class OpenMLSource:
    """Where a PMLB copy comes from on OpenML and what it must look like."""

    data_id: int
    n_rows: int
    columns: tuple  # the PMLB feature columns, in order
    target: object = None  # raw OpenML target value -> PMLB code; None keeps floats


def _letter_code(value):
    # PMLB codes the letters 1..26 (A..Z).
    return ord(str(value).strip().upper()) - ord("A") + 1


ADULT_COLUMNS = (
    "age",
    "workclass",
    "fnlwgt",
    "education",
    "education-num",
    "marital-status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "capital-gain",
    "capital-loss",
    "hours-per-week",
    "native-country",
)
LETTER_COLUMNS = (
    "x-box y-box width high onpix x-bar y-bar x2bar y2bar xybar x2ybr xy2br x-ege xegvy "
    "y-ege yegvx"
).split()
MAGIC_COLUMNS = tuple(
    "FLength FWidth FSize FConc FConc1 FAsym FM3Long FM3Trans FAlpha FDist".split()
)
HOUSES_COLUMNS = (
    "median_income housing_median_age total_rooms total_bedrooms population households "
    "latitude longitude"
).split()
CPU_ACT_COLUMNS = (
    "lread lwrite scall sread swrite fork exec rchar wchar pgout ppgout pgfree pgscan atch "
    "pgin ppgin pflt vflt runqsz freemem freeswap"
).split()

# The OpenML ids are the ones PMLB names its regression copies after
# (537_houses is OpenML 537); the classification sets are UCI's, as
# uploaded to OpenML. Shapes and target codes are those of the PMLB copies.
OPENML = {
    # PMLB's metadata names OpenML 1590 as the source and these codes:
    # 1 = "<=50K" (37 155 rows), 0 = ">50K" (11 687); categories by sorted name
    "adult": OpenMLSource(
        1590, 48842, ADULT_COLUMNS, lambda v: int(str(v).strip().rstrip(".") == "<=50K")
    ),
    "letter": OpenMLSource(6, 20000, tuple(LETTER_COLUMNS), _letter_code),
    # 0 = gamma "g" (12 332 rows), 1 = hadron "h" (6 688)
    "magic": OpenMLSource(1120, 19020, MAGIC_COLUMNS, lambda v: int(str(v).strip() == "h")),
    "spambase": OpenMLSource(44, 4601, tuple(str(j) for j in range(57)), lambda v: int(v)),
    "537_houses": OpenMLSource(537, 20640, tuple(HOUSES_COLUMNS)),
    "564_fried": OpenMLSource(564, 40768, tuple(f"X{j}" for j in range(1, 11))),
    "197_cpu_act": OpenMLSource(197, 8192, tuple(CPU_ACT_COLUMNS)),
}


def _key(name):
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def _pmlb_features(frame, source, name):
    """The fetched features in PMLB's columns and order: matched by name
    (case and punctuation aside, e.g. OpenML's "fLength:"), else by position
    when the names differ but the count is the same."""
    if frame.shape[1] != len(source.columns):
        raise ValueError(
            f"OpenML data set {source.data_id} for {name!r} has {frame.shape[1]} feature "
            f"columns, expected {len(source.columns)} ({', '.join(source.columns)})"
        )
    by_key = {_key(column): column for column in frame.columns}
    if all(_key(column) in by_key for column in source.columns):
        frame = frame[[by_key[_key(column)] for column in source.columns]]
    frame = frame.set_axis(list(source.columns), axis=1)
    return frame.apply(_pmlb_column)


def _pmlb_column(column):
    """Numbers as floats; categories as PMLB codes them: the index of the
    name among the sorted names, a missing value being the name "?"."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(column):
        return column.astype(np.float64)
    names = column.astype(object).where(column.notna(), "?").map(lambda v: str(v).strip())
    return pd.Series(np.unique(names.to_numpy(), return_inverse=True)[1], index=column.index)


def fetch_pmlb(name):
    """The PMLB frame of ``name`` (features, then ``target``) rebuilt from OpenML."""
    from sklearn.datasets import fetch_openml, get_data_home

    source = OPENML[name]
    try:
        bunch = fetch_openml(data_id=source.data_id, as_frame=True, parser="auto")
    except (OSError, urllib.error.URLError) as exc:
        raise DataUnavailable(
            f"benchmark data set {name!r} is not in {DATASETS} and could not be fetched "
            f"from OpenML (data_id={source.data_id}; offline? {type(exc).__name__}: {exc}). "
            "Set SKDISTILL_DATASETS to a folder holding the shared datasets, or run once "
            f"with network access: fetched sets are cached in {get_data_home()}"
        ) from exc
    frame = _pmlb_features(bunch.data, source, name)
    if len(frame) != source.n_rows:
        raise ValueError(
            f"OpenML data set {source.data_id} for {name!r} has {len(frame)} rows, "
            f"expected {source.n_rows}"
        )
    target = bunch.target
    if source.target is None:
        frame["target"] = target.astype(np.float64).to_numpy()
    else:
        frame["target"] = np.array([source.target(v) for v in target], dtype=np.int64)
    return frame


@cache
def pmlb_frame(name):
    """The PMLB copy of ``name`` as a DataFrame: local file, else OpenML."""
    import pandas as pd

    if name not in OPENML:
        raise ValueError(f"unknown PMLB data set {name!r}; known: {', '.join(OPENML)}")
    path = DATASETS / f"{name}.tsv.gz"
    if path.exists():
        return pd.read_csv(path, sep="\t")
    return fetch_pmlb(name)


def load_pmlb(name):
    """(X, y) of a Penn ML Benchmark copy (see :func:`pmlb_frame`)."""
    frame = pmlb_frame(name)  # cached: hand out copies
    return frame.drop(columns="target").to_numpy(copy=True), frame["target"].to_numpy(copy=True)


def load_born_again(name):
    """(X, y) of a born-again data set (last column ``Class``); local only."""
    import pandas as pd

    path = DATASETS / "born_again" / f"{name}.csv"
    if not path.exists():
        raise DataUnavailable(
            f"born-again data set {name!r} not found at {path}; these are {BORN_AGAIN_SOURCE}, "
            "not on OpenML in this form: put them in <datasets>/born_again/ and set "
            "SKDISTILL_DATASETS to <datasets>"
        )
    frame = pd.read_csv(path)
    return (frame.iloc[:, :-1].to_numpy(dtype=np.float64), frame.iloc[:, -1].to_numpy())
