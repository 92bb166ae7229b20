"""Student search at a budget: search_students against single families and the soft tree.

Data: the Model Compression problems (letter.p1, letter.p2, magic; 4000
training rows, the HGB+RF teacher of ``bench_compression.py``) and the
born-again data sets (RF 10 x depth 3 teacher of ``bench_born_again.py``;
one stratified 75/25 split instead of 10 folds). Budget: ``max_leaves=64``.
Every student learns the teacher's soft targets at T=1, alpha=0, no
transfer set (the search's fixed settings); all numbers are on test rows
that no choice saw.

- searched: ``search_students(teacher, X_train, y_train, budget)`` (its
  own held-out split of the training rows chooses), refit on all training
  rows;
- best single family: the same search restricted to each family in turn
  (``families=[name]``), and the family with the best *test* fidelity
  kept (an oracle over families: a high bar);
- soft tree alone: a ``SoftDecisionTreeClassifier`` distilled with the
  depth (1..6, at most 64 leaves) chosen by held-out fidelity on the same
  split (``distill_path``), refit on all training rows.

Time: the whole search (teacher fit included) over one distilled fit
(teacher fit + student fit, in-sample targets) of the candidate with the
longest fit in the race ("largest"), and the search without its teacher
fit over that candidate's student fit alone.

    python benchmarks/bench_search.py [--quick] [--cv K] [--json PATH]

``--cv K`` measures the search on K folds instead of one held-out quarter
(written as benchmark ``search_cvK``).
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).parent))
from _harness import markdown_table, write_json  # noqa: E402
from _protocol import kdd06_problems, limited_threads, load_born_again  # noqa: E402
from bench_compression import split, teacher_for  # noqa: E402

from skdistill import DistilledClassifier, distill_path, search_students  # noqa: E402
from skdistill._search_families import FAMILIES, build_student  # noqa: E402
from skdistill.students import SoftDecisionTreeClassifier  # noqa: E402

BUDGET = {"max_leaves": 64}
MAX_DEPTH = 6  # 2**6 = 64 leaves
GOAL_POINTS = 0.5
GOAL_TIME_RATIO = 5.0
BORN_AGAIN = (
    "Breast-Cancer-Wisconsin",
    "COMPAS-ProPublica",
    "FICO",
    "HTRU2",
    "Pima-Diabetes",
    "Seeds",
)
SEED = 0
# Folds of the search's held-out measure (None: one held-out quarter); --cv sets it.
SEARCH = {"cv": None}


def test_fidelity(model, teacher, X_test, y_test):
    pred = model.predict(X_test)
    return 100 * float(np.mean(pred == teacher.predict(X_test))), 100 * float(
        np.mean(pred == y_test)
    )


def plain(teacher, student):
    return DistilledClassifier(
        teacher,
        student,
        temperature=1.0,
        alpha=0.0,
        transfer=None,
        teacher_targets="in_sample",
        random_state=SEED,
    )


def soft_tree_alone(frozen, X_train, y_train):
    """The depth (1..MAX_DEPTH) of the most faithful soft tree on a held-out
    quarter of the training rows, refit on all of them."""
    path = distill_path(
        plain(frozen, SoftDecisionTreeClassifier(random_state=SEED)),
        X_train,
        y_train,
        values=list(range(1, MAX_DEPTH + 1)),
        n_repeats=1,
        random_state=SEED,
    )
    depth = path.values[int(np.argmax(path.fidelity))]
    model = plain(frozen, SoftDecisionTreeClassifier(max_depth=depth, random_state=SEED))
    return model.fit(X_train, y_train), depth


def single_families(frozen, X_train, y_train, X_test, y_test):
    """family -> (name, test fidelity) of each family searched alone."""
    found = {}
    for family in FAMILIES:
        try:
            alone = search_students(
                frozen,
                X_train,
                y_train,
                budget=BUDGET,
                families=[family],
                random_state=SEED,
                **SEARCH,
            )
        except ValueError:  # the family cannot meet the budget
            continue
        found[family] = (
            alone.best["name"],
            test_fidelity(alone.best_estimator, frozen, X_test, y_test)[0],
        )
    return found


def time_ratios(search, teacher, X_train, y_train):
    """Search time over one distilled fit of the race's slowest candidate
    (teacher included), and without the teacher on both sides."""
    slowest = max(
        (r for r in search.candidates if r["status"] == "finished"),
        key=lambda r: r["fit_seconds"],
    )
    student = build_student(slowest["family"], slowest["params"], True, SEED)
    start = time.perf_counter()
    fitted = plain(clone(teacher), student).fit(X_train, y_train)
    distilled = time.perf_counter() - start
    return (
        slowest["name"],
        distilled,
        search.search_time / distilled,
        (search.search_time - search.teacher_fit_time) / fitted.student_fit_time_,
    )


def run_case(name, teacher, X_train, y_train, X_test, y_test, verbose=True):
    search = search_students(teacher, X_train, y_train, budget=BUDGET, random_state=SEED, **SEARCH)
    frozen = search.best_estimator.teacher_
    fid, acc = test_fidelity(search.best_estimator, frozen, X_test, y_test)
    families = single_families(frozen, X_train, y_train, X_test, y_test)
    single = max(families.values(), key=lambda named: named[1])
    tree, depth = soft_tree_alone(frozen, X_train, y_train)
    tree_fid, _ = test_fidelity(tree, frozen, X_test, y_test)
    largest, distilled, ratio, student_ratio = time_ratios(search, teacher, X_train, y_train)
    row = {
        "data set": name,
        "n train": len(y_train),
        "teacher acc": 100 * float(np.mean(frozen.predict(X_test) == y_test)),
        "searched": search.best["name"],
        "searched fid": fid,
        "searched acc": acc,
        "best single family": single[0],
        "single fid": single[1],
        "soft tree depth": depth,
        "tree fid": tree_fid,
        "Δ vs single": fid - single[1],
        "Δ vs tree": fid - tree_fid,
        "search s": search.search_time,
        "slowest candidate": largest,
        "its distilled fit s": distilled,
        "time ratio": ratio,
        "ratio w/o teacher": student_ratio,
    }
    row.update({f"{family} alone fid": fid for family, (_, fid) in families.items()})
    if verbose:
        print(
            f"{name}: searched {row['searched']} {fid:.2f} | single {single[0]} "
            f"{single[1]:.2f} | tree d{depth} {tree_fid:.2f} | ratio {ratio:.2f}",
            flush=True,
        )
    return row


def compression_cases(quick):
    names = ("magic",) if quick else ("letter.p1", "letter.p2", "magic")
    n_train = 1000 if quick else 4000
    for name, X, y in kdd06_problems(names):
        X_train, y_train, X_valid, y_valid, X_test, y_test = split(X, y, n_train, 1000)
        teacher, _ = teacher_for(X_train, y_train, X_valid, y_valid, quick=True)
        yield name, teacher, X_train, y_train, X_test[:5000], y_test[:5000]


def born_again_cases(quick):
    for name in ("Breast-Cancer-Wisconsin", "Pima-Diabetes") if quick else BORN_AGAIN:
        X, y = load_born_again(name)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.25, stratify=y, random_state=SEED
        )
        teacher = RandomForestClassifier(
            n_estimators=10, max_depth=3, max_features=max(1, X.shape[1] // 2), random_state=SEED
        )
        yield name, teacher, X_train, y_train, X_test, y_test


def family_means(rows):
    """Mean test fidelity over the cases: the search, each family always
    used (searched alone at the budget), and the depth-tuned soft tree."""
    labels = {"searched fid": "searched", "tree fid": "soft tree, depth-tuned"}
    labels.update({f"{f} alone fid": f"{f} family always" for f in FAMILIES})
    means = [
        {"policy": label, "mean test fidelity": float(np.mean([r[column] for r in rows]))}
        for column, label in labels.items()
        if all(column in r for r in rows)
    ]
    return sorted(means, key=lambda m: -m["mean test fidelity"])


def goals(rows):
    n = len(rows)
    means = {m["policy"]: m["mean test fidelity"] for m in family_means(rows)}
    best_fixed = max(v for k, v in means.items() if k.endswith(" family always"))
    n_single = sum(r["Δ vs single"] >= 0 for r in rows)
    n_tree = sum(r["Δ vs tree"] >= GOAL_POINTS for r in rows)
    n_time = sum(r["time ratio"] <= GOAL_TIME_RATIO for r in rows)
    return [
        {
            "goal": "searched >= best single family (test fidelity)",
            "met on": f"{n_single}/{n}",
            "met": "yes" if n_single == n else "no",
        },
        {
            "goal": "searched >= the best family always used (mean test fidelity)",
            "met on": f"{means['searched']:.2f} vs {best_fixed:.2f}",
            "met": "yes" if means["searched"] >= best_fixed else "no",
        },
        {
            "goal": f"searched >= soft tree alone + {GOAL_POINTS} points on half the cases",
            "met on": f"{n_tree}/{n}",
            "met": "yes" if 2 * n_tree >= n else "no",
        },
        {
            "goal": f"search time <= {GOAL_TIME_RATIO:g}x one distilled fit",
            "met on": f"{n_time}/{n}",
            "met": "yes" if n_time == n else "no",
        },
    ]


def run(quick, verbose=True):
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for cases in (compression_cases(quick), born_again_cases(quick)):
            for case in cases:
                rows.append(run_case(*case, verbose=verbose))
    return rows


def render(payload):
    """The Markdown section of ``docs/benchmarks.md`` for a JSON result."""
    mode = ("quick" if payload.get("quick") else "full") + " mode"
    if payload.get("cv"):
        mode += f", the search on {payload['cv']} folds"
    return (
        "\n\n".join(
            [
                f"Student search at max_leaves=64 ({mode}): the searched student, "
                "the best family searched alone (chosen by test fidelity: an oracle) and "
                "the depth-tuned soft tree alone, fidelity and accuracy in points (%) on "
                "test rows. Time ratio: the search (teacher fit included) over one "
                "distilled fit of its slowest candidate (teacher included).",
                markdown_table(payload["rows"]),
                "Mean test fidelity over the cases of each policy (a family always used is "
                "that family searched alone at the budget):",
                markdown_table(family_means(payload["rows"])),
                markdown_table(goals(payload["rows"])),
            ]
        )
        + "\n"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="magic (1000 rows) and two small sets"
    )
    parser.add_argument("--json", metavar="PATH")
    parser.add_argument(
        "--cv", type=int, default=None, help="folds of the search (default: one split)"
    )
    args = parser.parse_args(argv)
    SEARCH["cv"] = args.cv
    rows = run(args.quick)
    payload = {
        "cv": args.cv,
        "rows": rows,
        "means": family_means(rows),
        "goals": goals(rows),
        "quick": args.quick,
    }
    print(render(payload), flush=True)
    if args.json:
        write_json(
            args.json,
            "search" if args.cv is None else f"search_cv{args.cv}",
            rows,
            means=payload["means"],
            goals=payload["goals"],
            quick=args.quick,
            cv=args.cv,
        )
    return rows


if __name__ == "__main__":
    with limited_threads():
        main()
