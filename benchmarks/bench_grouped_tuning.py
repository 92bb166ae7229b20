"""Group leakage in the "auto" tuner's validation folds (issue 12).

Grouped data: 80 groups of 15 rows (think patients), the rows of a group
close to its centre and sharing its label (85%; the rest flipped), so a
student can score well on a group it has seen. Training rows: groups 0-59;
test rows: the 20 groups never seen. Teacher: a random forest (out-of-bag
targets, so the tuner makes its own inner folds); student: a
``DecisionTreeClassifier(min_samples_leaf=2)``.

For each seed, the tuner's validation accuracy of its "labels only"
candidate (a tree trained on the labels of the other folds) is compared with
the test accuracy of the same tree trained on all training rows, once with
plain inner folds (``cv=3``, no groups) and once with ``groups`` routed
(``enable_metadata_routing=True``, ``cv=GroupKFold(3)``): the validation
score should estimate the accuracy on new groups, so their difference (the
optimism) should be near 0. A table of the per-seed optimism and medians.

    python benchmarks/bench_grouped_tuning.py [--seeds 6] [--json PATH]
"""

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GroupKFold
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, str(Path(__file__).parent))
from _harness import markdown_table, write_json  # noqa: E402

from skdistill import DistilledClassifier  # noqa: E402

N_GROUPS, GROUP_SIZE, TRAIN_GROUPS = 80, 15, 60


def grouped_data(seed):
    """``(X, y, groups)`` of one seed: rows near their group's centre."""
    rng = np.random.RandomState(seed)
    centres = rng.normal(size=(N_GROUPS, 6)) * 2
    group_label = rng.randint(0, 2, N_GROUPS)
    groups = np.repeat(np.arange(N_GROUPS), GROUP_SIZE)
    X = centres[groups] + rng.normal(size=(len(groups), 6))
    flip = rng.rand(len(groups)) >= 0.85
    y = np.where(flip, 1 - group_label[groups], group_label[groups])
    return X, y, groups


def optimism(seed, use_groups):
    """Validation accuracy of "labels only" minus its test accuracy on new groups."""
    X, y, groups = grouped_data(seed)
    train = groups < TRAIN_GROUPS
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=50, random_state=seed),
        DecisionTreeClassifier(min_samples_leaf=2),
        cv=GroupKFold(3) if use_groups else 3,
        random_state=seed,
    )
    with sklearn.config_context(enable_metadata_routing=True):
        model.fit(X[train], y[train], **({"groups": groups[train]} if use_groups else {}))
    labels_only = model.tune_results_[0]
    assert labels_only["name"] == "labels only"
    tree = DecisionTreeClassifier(min_samples_leaf=2, random_state=seed)
    test_accuracy = tree.fit(X[train], y[train]).score(X[~train], y[~train])
    return labels_only["score"] - test_accuracy


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=UserWarning)
    rows = []
    for use_groups in (False, True):
        values = [optimism(seed, use_groups) for seed in range(args.seeds)]
        rows.append(
            {
                "inner folds": "GroupKFold (groups routed)" if use_groups else "plain (no groups)",
                "median optimism": float(np.median(values)),
                "min": float(np.min(values)),
                "max": float(np.max(values)),
                "per seed": " ".join(f"{v:+.3f}" for v in values),
            }
        )
    print(markdown_table(rows))
    if args.json:
        write_json(args.json, "grouped_tuning", rows, seeds=args.seeds)
    return rows


if __name__ == "__main__":
    main()
