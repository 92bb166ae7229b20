"""Type aliases of the public signatures.

The annotations document the API and are checked with mypy in CI
(``mypy skdistill``); nothing here changes what runs. The aliases are real
objects at run time, so ``typing.get_type_hints`` resolves every public
signature.
"""

from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

__all__ = ["ArrayLike", "Estimator", "Float64Array", "MatrixLike", "NDArray", "RandomStateLike"]

if TYPE_CHECKING:
    from scipy.sparse import sparray, spmatrix

    #: X as the estimators take it: {array-like, sparse matrix, DataFrame}.
    #: numpy's ArrayLike covers lists, arrays and DataFrames (``__array__``);
    #: scipy's sparse containers are not array-like to numpy.
    MatrixLike: TypeAlias = ArrayLike | spmatrix | sparray
else:
    # scipy < 1.11 has no sparray (its sparse arrays subclass spmatrix).
    MatrixLike = ArrayLike | sparse.spmatrix | getattr(sparse, "sparray", sparse.spmatrix)

#: A scikit-learn estimator (teacher, student, or a fitted distilled model).
#: scikit-learn ships no type information, so this documents rather than checks.
Estimator: TypeAlias = Any

#: ``random_state`` as scikit-learn takes it.
RandomStateLike: TypeAlias = int | np.random.RandomState | None

Float64Array: TypeAlias = NDArray[np.float64]
