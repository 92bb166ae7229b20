"""Transfer sets: rows the teacher labels so that the student sees more than
the training rows.

The teacher's knowledge reaches the student only where the student is shown
points. Bucilua, Caruana & Niculescu-Mizil ("Model Compression", KDD 2006)
labelled many synthetic MUNGE rows with an ensemble and let a small model
recover most of the gap to it. Each generator here has a
``sample(X, n_samples=None, random_state=None)`` method and is passed to the
distilled estimators as ``transfer=``; :class:`AdversarialSampler` drives
the ``transfer_rounds`` that add the rows the student gets most wrong, and
:class:`LeafRefill` the rounds that refill a tree student's sparse leaves.
"""

from ._adversarial import AdversarialSampler
from ._base import AUTO_MAX_LEVELS
from ._generators import GaussianNoise, Mixup, Munge, UniformBox
from ._leaf_refill import LeafRefill

__all__ = [
    "AdversarialSampler",
    "GaussianNoise",
    "LeafRefill",
    "Mixup",
    "Munge",
    "UniformBox",
]

_ = AUTO_MAX_LEVELS  # documented constant, importable from here
