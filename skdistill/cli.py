"""The ``skdistill`` command line.

Commands: ``distill`` (a fitted teacher file + a table -> a student file),
``report`` (teacher vs student on a table) and ``demo``. Exit codes: 0 ok,
1 the job failed on the given files, 2 the command as typed cannot run
(unknown option or student, missing file or column, a file that needs
``--trust``, an output path that cannot be written or is one of the input
files). Outputs are written only once everything is computed, through a
temporary file moved into place, so a failure never leaves a half-written or
lost file. User errors print one clear message, never a traceback; set
``SKDISTILL_TRACEBACK=1`` to see the traceback of an unexpected failure.
"""

import argparse
import json
import math
import os
import re
import sys

EXAMPLES = """examples:
  skdistill demo                 distil a random forest on scikit-learn's digits
  skdistill demo --temperature 3
  skdistill distill --teacher forest.skops --data train.csv --target label \\
      --student tree:max_depth=4 --temperature 2 --out student.skops --trust
  skdistill report --teacher forest.skops --student student.skops \\
      --data test.csv --target label --trust

exit codes: 0 ok, 1 the job failed on the given files, 2 usage error
(unknown option or student, missing file or column, file needs --trust).
"""

DISTILL_EXAMPLES = """students (--student NAME[:key=value,...]; values are parsed as int,
float, true/false, none, else string):
{students}

examples:
  skdistill distill --teacher forest.skops --data train.csv --target label \\
      --student tree:max_depth=4 --out student.skops --trust
  skdistill distill --teacher gbm.joblib --trust --data train.parquet --target y \\
      --student logistic:C=0.1 --temperature 3 --alpha 0.1 \\
      --out student.skops --export --report report.json
  skdistill distill --teacher pipeline.skops --data adult.csv --target income \\
      --student tree:max_depth=5 --reuse-preprocessing --out student.skops

The teacher must be fitted. .skops files are checked with skops before
loading: types skops does not trust by default (such as the arrays of fitted
trees) are listed and refused unless you pass --trust. .joblib/.pkl files run
code when loaded and need --trust. The data must have the teacher's feature
columns plus --target (drop others with --ignore-columns). The teacher is
used as is (sklearn.frozen.FrozenEstimator); its outputs on the data are the
student's targets.
"""

REPORT_EXAMPLES = """examples:
  skdistill report --teacher forest.skops --student student.skops \\
      --data test.csv --target label --trust
  skdistill report --student student.skops --data test.csv --target label \\
      --json report.json    (the teacher inside a distilled model file)
"""


# --------------------------------------------------------------------------
# Spec parsing: "name:key=value,key=value"
# --------------------------------------------------------------------------
def parse_value(text):
    """A spec value as Python: int, float, bool, None, else the string."""
    lowered = text.strip().lower()
    if lowered in ("none", "null"):
        return None
    if lowered in ("true", "false"):
        return lowered == "true"
    if re.fullmatch(r"[+-]?\d+", text.strip()):
        return int(text)
    try:
        value = float(text)
    except ValueError:
        return text.strip().strip("'\"")
    if math.isnan(value):
        return text.strip()
    return value


def split_spec(spec, option):
    """``(name, params, positional)`` of ``name[:key=value,...]``; at most one
    value may come without a key (``munge:10``)."""
    from ._io import UsageError

    name, _, rest = spec.partition(":")
    name = name.strip().lower()
    if not name:
        raise UsageError(f"{option} needs a name, got {spec!r}")
    params, positional = {}, None
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, equals, value = item.partition("=")
        if not equals:
            if positional is not None or params:
                raise UsageError(
                    f"{option} {spec!r}: {item!r} is not key=value (only a single "
                    "leading value may come without a key)"
                )
            positional = parse_value(item)
            continue
        key = key.strip()
        if not key.isidentifier() and "__" not in key:
            raise UsageError(f"{option} {spec!r}: {key!r} is not a parameter name")
        if key in params:
            raise UsageError(f"{option} {spec!r}: parameter {key!r} is given twice")
        params[key] = parse_value(value)
    return name, params, positional


def student_registry():
    """Student name -> (description, {"classification": class or None,
    "regression": class or None})."""
    from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
    from sklearn.linear_model import LinearRegression, Ridge
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    from .students import (
        SoftDecisionTreeClassifier,
        SoftGaussianNB,
        SoftGradientBoostingClassifier,
        SoftLogisticRegression,
        SubForestClassifier,
        SubForestRegressor,
    )

    return {
        "tree": (
            "decision tree (DecisionTreeClassifier / DecisionTreeRegressor)",
            {"classification": DecisionTreeClassifier, "regression": DecisionTreeRegressor},
        ),
        "logistic": (
            "logistic regression (skdistill SoftLogisticRegression)",
            {"classification": SoftLogisticRegression},
        ),
        "soft_tree": (
            ("tree grown on the teacher's probabilities (skdistill SoftDecisionTreeClassifier)"),
            {"classification": SoftDecisionTreeClassifier},
        ),
        "gbm": (
            "gradient boosting (GradientBoostingClassifier / Regressor)",
            {
                "classification": GradientBoostingClassifier,
                "regression": GradientBoostingRegressor,
            },
        ),
        "soft_gbm": (
            ("gradient boosting on soft cross-entropy (skdistill SoftGradientBoostingClassifier)"),
            {"classification": SoftGradientBoostingClassifier},
        ),
        "nb": (
            "Gaussian naive Bayes (skdistill SoftGaussianNB)",
            {"classification": SoftGaussianNB},
        ),
        "subforest": (
            "k of a forest teacher's own trees, leaves refitted (skdistill SubForest*)",
            {"classification": SubForestClassifier, "regression": SubForestRegressor},
        ),
        "ridge": (
            "Ridge regression (on the teacher's logits for classifiers)",
            {"classification": Ridge, "regression": Ridge},
        ),
        "linear": (
            "least squares (on the teacher's logits for classifiers)",
            {"classification": LinearRegression, "regression": LinearRegression},
        ),
    }


def _students_help():
    lines = []
    for name, (description, _) in student_registry().items():
        lines.append(f"  {name:<10} {description}")
    return "\n".join(lines)


def check_student_name(spec):
    """Parse ``--student`` early: ``(name, params)``, or UsageError."""
    from ._io import UsageError

    name, params, positional = split_spec(spec, "--student")
    registry = student_registry()
    if name not in registry:
        raise UsageError(
            f"unknown student {name!r} in --student {spec!r}; valid names: {', '.join(registry)}"
        )
    if positional is not None:
        raise UsageError(
            f"--student {spec!r}: write parameters as key=value, e.g. tree:max_depth=4"
        )
    return name, params


def build_student(spec, task):
    """The unfitted student estimator for ``--student spec`` and ``task``
    ("classification" or "regression")."""
    from ._io import UsageError

    name, params = check_student_name(spec)
    registry = student_registry()
    cls = registry[name][1].get(task)
    if cls is None:
        available = [n for n, (_, by_task) in registry.items() if task in by_task]
        raise UsageError(
            f"student {name!r} is not a {task} student; "
            f"for a {task} teacher use one of {', '.join(available)}"
        )
    return _with_known_params(cls(), params, f"student {name!r} ({cls.__name__})")


def _with_known_params(estimator, params, what):
    """``estimator.set_params(**params)``, or a UsageError naming ``what``
    and its valid parameters when a name is unknown."""
    from ._io import UsageError

    valid = estimator.get_params(deep=True)
    unknown = sorted(set(params) - set(valid))
    if unknown:
        raise UsageError(
            f"unknown parameter(s) {', '.join(unknown)} for {what}; "
            f"valid parameters: {', '.join(sorted(valid))}"
        )
    return estimator.set_params(**params)


def _auto_or_float(text):
    """argparse type of --temperature / --alpha: "auto" or a number."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or auto, got {text!r}") from None


def parse_transfer_spec(spec):
    """The transfer-set generator for ``--transfer NAME[:value or key=value,...]``.

    ``munge:10`` is ``Munge(size_factor=10)``: a single value without a key
    sets ``size_factor``. Names are the generator classes of
    :mod:`skdistill.transfer`, lower-cased.

    Raises
    ------
    UsageError
        When the name or parameters are unknown.
    """
    from . import transfer as module
    from ._io import UsageError

    name, params, positional = split_spec(spec, "--transfer")
    generators = {
        public.lower(): getattr(module, public)
        for public in getattr(module, "__all__", [])
        if isinstance(getattr(module, public, None), type)
        and hasattr(getattr(module, public), "get_params")
    }
    if name not in generators:
        raise UsageError(
            f"unknown transfer set {name!r} in --transfer {spec!r}; valid names: "
            f"{', '.join(sorted(generators)) or '(none)'}"
        )
    generator = generators[name]()
    valid = generator.get_params()
    if positional is not None:
        if "size_factor" not in valid:
            raise UsageError(
                f"--transfer {spec!r}: {type(generator).__name__} has no size_factor; "
                "write its parameters as key=value"
            )
        params = {"size_factor": positional, **params}
    return _with_known_params(generator, params, f"transfer set {name!r}")


# --------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------
def build_parser():
    parser = argparse.ArgumentParser(
        prog="skdistill",
        description="Distil a heavy scikit-learn model into a small, fast student.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="distil a random forest on a bundled data set and print a table",
    )
    demo.add_argument(
        "--temperature",
        type=float,
        default=2.0,
        help="softmax temperature of the teacher targets (default 2)",
    )
    demo.add_argument("--random-state", type=int, default=0)
    demo.add_argument(
        "--plot",
        default="skdistill_demo.png",
        metavar="PNG",
        help="where to save the fidelity curve (default skdistill_demo.png; needs matplotlib)",
    )
    demo.add_argument("--no-plot", action="store_true", help="do not save the curve")

    distill = commands.add_parser(
        "distill",
        help="distil a fitted teacher file into a student file",
        description="Distil a fitted teacher (a .skops or trusted .joblib/.pkl file) "
        "into a student trained on the teacher's outputs on a table.",
        epilog=DISTILL_EXAMPLES.format(students=_students_help()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_distill_arguments(distill)

    report = commands.add_parser(
        "report",
        help="compare a teacher and a student on a table",
        description="Print teacher vs student metrics (performance, fidelity, "
        "latency, size) on a table, usually held-out rows.",
        epilog=REPORT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_input_arguments(report, teacher_required=False)
    report.add_argument(
        "--student",
        required=True,
        metavar="PATH",
        help="student model file: a distilled model or an exported "
        "student (.skops, or trusted .joblib/.pkl)",
    )
    report.add_argument("--json", metavar="PATH", help="also write the metrics as JSON")
    return parser


def _add_distill_arguments(distill):
    _add_input_arguments(distill, teacher_required=True)
    distill.add_argument(
        "--student",
        required=True,
        metavar="SPEC",
        help="student as NAME[:key=value,...], e.g. tree:max_depth=4; or auto: "
        "the most faithful student within --budget (skdistill.search_students)",
    )
    distill.add_argument(
        "--budget",
        metavar="SPEC",
        default=None,
        help="with --student auto: limits as key=value,..., e.g. max_leaves=64 or "
        "max_bytes=20000,interpretable=true (keys: max_leaves, max_bytes, "
        "max_parameters, max_predict_ms_per_1k, max_features, interpretable)",
    )
    distill.add_argument(
        "--temperature",
        type=_auto_or_float,
        default="auto",
        help="softmax temperature of the teacher targets, or auto "
        "(default: auto, chosen on validation folds)",
    )
    distill.add_argument(
        "--alpha",
        type=_auto_or_float,
        default="auto",
        help="weight of the true labels in the targets, in [0, 1], "
        "or auto (default: auto, chosen on validation folds)",
    )
    distill.add_argument(
        "--student-fit",
        default="auto",
        choices=["auto", "native", "logit_regression", "proba_regression", "replication", "hard"],
        help="how the student learns soft targets (default auto)",
    )
    distill.add_argument(
        "--transfer",
        metavar="SPEC",
        default="auto",
        help="transfer set added to the data, e.g. munge:10; none; "
        "or auto (default: auto, a MUNGE set or none, chosen on "
        "validation folds)",
    )
    distill.add_argument(
        "--reuse-preprocessing",
        action="store_true",
        help="for a Pipeline teacher: put its fitted preprocessing "
        "steps (frozen) in front of the student, so that the "
        "student sees the same encoded features",
    )
    distill.add_argument(
        "--random-state", type=int, default=0, help="seed of the student (default 0)"
    )
    distill.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="where to write the student (.skops, or .joblib/.pkl)",
    )
    distill.add_argument(
        "--export",
        action="store_true",
        help="write the plain scikit-learn student "
        "(skdistill.export.export_student) instead of the "
        "DistilledEstimator; it loads without skdistill",
    )
    distill.add_argument(
        "--report", metavar="PATH", help="write a JSON report (metrics on the training data)"
    )


def _add_input_arguments(parser, *, teacher_required):
    parser.add_argument(
        "--teacher",
        required=teacher_required,
        metavar="PATH",
        help="fitted teacher model (.skops, or .joblib/.pkl with --trust)"
        + ("" if teacher_required else "; default: the teacher inside a distilled --student"),
    )
    parser.add_argument(
        "--data",
        required=True,
        metavar="PATH",
        help="table with the features and the target (.csv, .tsv, .parquet; .gz etc. allowed)",
    )
    parser.add_argument(
        "--target", required=True, metavar="COLUMN", help="name of the target column"
    )
    parser.add_argument(
        "--ignore-columns",
        default="",
        metavar="COL,COL",
        help="comma-separated columns to leave out (e.g. ids)",
    )
    parser.add_argument(
        "--trust",
        action="store_true",
        help="load model files even if they contain types skops does "
        "not trust, or are pickles (which run code when loaded)",
    )
    parser.add_argument("--quiet", action="store_true", help="print less")


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------
def main(argv=None):
    """Run the command line; return the exit code (0 ok, 1 failure, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    command = {"demo": run_demo_command, "distill": run_distill, "report": run_report}.get(
        args.command
    )
    if command is None:  # pragma: no cover
        parser.error(f"unknown command {args.command!r}")
    return _run_guarded(command, args)


def run_demo_command(args):
    """``skdistill demo``: check the options, then run the demo."""
    from ._io import UsageError, check_output_path

    if not (args.temperature > 0 and math.isfinite(args.temperature)):
        raise UsageError(f"--temperature must be > 0 and finite, got {args.temperature}")
    if not 0 <= args.random_state <= 2**32 - 1:
        # NumPy's seeds: check_random_state would fail after the data is loaded.
        raise UsageError(
            f"--random-state must be an integer in [0, 2**32 - 1], got {args.random_state}"
        )
    plot_path = None if args.no_plot else args.plot
    if plot_path is not None:
        check_output_path(plot_path, "--plot file")
    from ._demo import run_demo

    run_demo(random_state=args.random_state, temperature=args.temperature, plot_path=plot_path)
    return 0


def _run_guarded(command, args):
    from ._io import InputError, UsageError

    try:
        return command(args)
    except UsageError as exc:
        print(f"skdistill {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"skdistill {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a user sees a message, not a traceback
        if os.environ.get("SKDISTILL_TRACEBACK"):
            raise
        print(
            f"skdistill {args.command}: error: {type(exc).__name__}: {exc}\n"
            "(set SKDISTILL_TRACEBACK=1 to see the traceback)",
            file=sys.stderr,
        )
        return 1


def _say(args, message):
    if not args.quiet:
        print(message)


def _ignored(args):
    return [c.strip() for c in args.ignore_columns.split(",") if c.strip()]


def _load_fitted(path, trust, what):
    from sklearn.base import is_classifier, is_regressor
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    from ._io import InputError, load_model

    model = load_model(path, trust=trust, what=what)
    if not hasattr(model, "predict") or not (is_classifier(model) or is_regressor(model)):
        raise InputError(
            f"the {what} {path!r} holds a {type(model).__name__}, not a scikit-learn "
            "classifier or regressor"
        )
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise InputError(
            f"the {what} {path!r} holds an unfitted {type(model).__name__}; "
            "fit it before saving it"
        ) from None
    return model


def run_distill(args):
    """``skdistill distill``: load, distil, save; return the exit code."""
    from sklearn.base import is_classifier

    from . import _io

    transfer = _checked_distill_args(args)
    teacher = _load_fitted(args.teacher, args.trust, "teacher file")
    task = "classification" if is_classifier(teacher) else "regression"
    if args.student != "auto":
        student = build_student(args.student, task)
        if args.reuse_preprocessing:
            student = _with_teacher_preprocessing(teacher, student)
    frame = _io.read_table(args.data)
    X, y = _io.split_target(frame, args.target, _ignored(args))
    X = _io.align_features(teacher, X, "teacher")
    _say(args, f"teacher: {type(teacher).__name__} ({task}) from {args.teacher}")
    _say(args, f"data: {X.shape[0]} rows x {X.shape[1]} features from {args.data}")
    if args.student == "auto":
        model = _searched(args, teacher, transfer, X, y)
        student = model.student
    else:
        model = _distilled(args, teacher, student, transfer, X, y)
    metrics = _training_metrics(model, teacher, X, y, task)
    _say_fit(args, model, student, metrics)
    _write_distill_outputs(args, model, student, X, y, task, metrics)
    return 0


def _checked_distill_args(args):
    """Everything checkable from the command line itself, before any work;
    returns the ``transfer`` parameter."""
    from . import _io

    if args.temperature != "auto" and not (
        args.temperature > 0 and math.isfinite(args.temperature)
    ):
        raise _io.UsageError(f"--temperature must be > 0 or auto, got {args.temperature}")
    if args.alpha != "auto" and not 0 <= args.alpha <= 1:
        raise _io.UsageError(f"--alpha must be in [0, 1] or auto, got {args.alpha}")
    if args.student == "auto":
        args.budget_limits = parse_budget_spec(args.budget)
        if args.reuse_preprocessing:
            raise _io.UsageError("--reuse-preprocessing cannot be combined with --student auto")
    else:
        if args.budget is not None:
            raise _io.UsageError("--budget needs --student auto")
        check_student_name(args.student)
    spec = args.transfer.strip().lower()
    transfer = {"none": None, "auto": "auto"}.get(spec)
    if spec not in ("none", "auto"):
        transfer = parse_transfer_spec(args.transfer)
    inputs = [("--data", args.data), ("--teacher", args.teacher)]
    _io.check_model_path(args.out, "--out file", inputs)
    if args.report:
        _check_json_path(args.report, "--report", inputs + [("--out", args.out)])
    return transfer


def _distilled(args, teacher, student, transfer, X, y):
    """The fitted DistilledEstimator around the frozen teacher."""
    from sklearn.frozen import FrozenEstimator

    from . import _io
    from ._distill import DistilledEstimator

    params = {
        "temperature": args.temperature,
        "alpha": args.alpha,
        "transfer": transfer,
        "student_fit": args.student_fit,
        "random_state": args.random_state,
    }
    model = DistilledEstimator(FrozenEstimator(teacher), student, **params)
    try:
        model._check_params()
    except (ValueError, TypeError) as exc:  # an option out of range: a usage error
        raise _io.UsageError(str(exc)) from exc
    try:
        return model.fit(X, y)
    except (ValueError, TypeError) as exc:
        raise _io.InputError(f"distillation failed: {exc}{_non_numeric_hint(X, student)}") from exc


def parse_budget_spec(spec):
    """``--budget key=value,...`` as a dict (None when not given)."""
    if spec is None:
        return None
    _, params, positional = split_spec(f"budget:{spec}", "--budget")
    if positional is not None or not params:
        from ._io import UsageError

        raise UsageError(f"--budget {spec!r}: write limits as key=value, e.g. max_leaves=64")
    return params


def _searched(args, teacher, transfer, X, y):
    """``--student auto``: the search's chosen student, distilled on all rows
    with the frozen teacher; "auto" settings become the search's fixed ones
    (T=1, alpha=0, no transfer set)."""
    from sklearn.frozen import FrozenEstimator

    from . import _io
    from .search import search_students

    settings = {
        "temperature": 1.0 if args.temperature == "auto" else args.temperature,
        "alpha": 0.0 if args.alpha == "auto" else args.alpha,
        "transfer": None if isinstance(transfer, str) else transfer,
    }
    try:
        search = search_students(
            FrozenEstimator(teacher),
            X,
            y,
            budget=args.budget_limits,
            random_state=args.random_state,
            **settings,
        )
    except (ValueError, TypeError) as exc:
        message = str(exc)
        if "budget" in message:  # unknown key, bad value, or nothing fits
            raise _io.UsageError(f"--budget: {message}") from exc
        raise _io.InputError(f"student search failed: {message}") from exc
    _say(args, str(search))
    return search.best_estimator


def _say_fit(args, model, student, metrics):
    _say(
        args,
        f"student: {student!r} (student_fit={model.student_fit_}) in "
        f"{model.student_fit_time_:.2f}s",
    )
    if getattr(model, "tuned_params_", None):
        from ._tune import describe

        where = (
            "chosen on validation folds"
            if model.tune_results_
            else "fallback values, too few rows to tune"
        )
        _say(
            args,
            f"auto settings ({where}, {model.tune_time_:.2f}s): {describe(model.tuned_params_)}",
        )
    _say(
        args,
        "training rows: "
        + ", ".join(
            f"{key} {value:.4f}" for key, value in metrics.items() if isinstance(value, float)
        ),
    )


def _write_distill_outputs(args, model, student, X, y, task, metrics):
    """The model (or its export) and the report, written together: both are
    replaced, or neither, and only once everything is computed."""
    from . import _io

    saved = model
    if args.export:
        from .export import export_student

        try:
            saved = export_student(model)
        except TypeError as exc:
            raise _io.InputError(f"--export: {exc}") from exc
    writers = [(args.out, _io.model_writer(saved, args.out))]
    if args.report:
        report = _distill_report_data(args, model, student, X, y, task, metrics)
        writers.append((args.report, lambda file: _dump_json(report, file)))
    _io.write_files(writers)
    _say(args, f"wrote {args.out} ({type(saved).__name__})")
    if args.report:
        _say(args, f"wrote {args.report}")


def _distill_report_data(args, model, student, X, y, task, metrics):
    """The ``--report`` JSON content of ``skdistill distill``."""
    report = {
        "command": "distill",
        "teacher_file": str(args.teacher),
        "data_file": str(args.data),
        "task": task,
        "n_samples": int(X.shape[0]),
        "n_features": int(X.shape[1]),
        "student_spec": args.student,
        "student": repr(student),
        "student_fit": model.student_fit_,
        "temperature": args.temperature,
        "alpha": args.alpha,
        "transfer": args.transfer,
        "tuned_params": {
            key: value if isinstance(value, (int, float, str)) or value is None else repr(value)
            for key, value in getattr(model, "tuned_params_", {}).items()
        },
        "reuse_preprocessing": bool(args.reuse_preprocessing),
        "training_metrics": metrics,
        "teacher_fit_seconds": model.teacher_fit_time_,
        "student_fit_seconds": model.student_fit_time_,
        "output_file": str(args.out),
        "exported": bool(args.export),
    }
    full = _distillation_report(model, X, y)
    if full is not None:
        report["distillation_report"] = full
    return report


def _with_teacher_preprocessing(teacher, student):
    from sklearn.frozen import FrozenEstimator
    from sklearn.pipeline import Pipeline

    from ._io import UsageError

    if not isinstance(teacher, Pipeline) or len(teacher.steps) < 2:
        raise UsageError(
            "--reuse-preprocessing needs a Pipeline teacher with preprocessing steps; "
            f"the teacher is a {type(teacher).__name__}"
        )
    return Pipeline([("preprocessing", FrozenEstimator(teacher[:-1])), ("student", student)])


def _non_numeric_hint(X, student):
    from ._params import non_numeric_hint

    return non_numeric_hint(
        X,
        student,
        "encode them in the data first, or pass --reuse-preprocessing for a Pipeline "
        "teacher that encodes them",
    )


def _training_metrics(model, teacher, X, y, task):
    """Headline numbers on the training rows, measured as
    :func:`skdistill.distillation_report` does."""
    from ._measure import fidelity, model_outputs, performance

    classification = task == "classification"
    teacher_outputs = model_outputs(teacher, X, classification)
    student_outputs = model_outputs(model, X, classification)
    score, agreement = ("accuracy", "fidelity") if classification else ("r2", "fidelity_r2")
    return {
        f"teacher_{score}": performance(y, teacher_outputs)[score],
        f"student_{score}": performance(y, student_outputs)[score],
        agreement: fidelity(teacher_outputs, student_outputs)[agreement],
    }


def _distillation_report(model, X, y):
    """``skdistill.distillation_report(...).to_dict()``."""
    from .report import distillation_report

    return distillation_report(model, X, y, n_repeats=3).to_dict()


def run_report(args):
    """``skdistill report``: teacher vs student metrics on a table."""
    from sklearn.base import is_classifier

    from . import _io
    from ._distill import _BaseDistilled

    if args.json:
        _check_json_path(args.json, "--json")
    student = _load_fitted(args.student, args.trust, "student file")
    if args.teacher:
        teacher = _load_fitted(args.teacher, args.trust, "teacher file")
    elif isinstance(student, _BaseDistilled):
        teacher = student.teacher_
    else:
        raise _io.UsageError(
            f"--student {args.student!r} is a plain {type(student).__name__}, not a "
            "distilled model with its teacher inside; pass --teacher"
        )
    task = "classification" if is_classifier(teacher) else "regression"
    if is_classifier(student) != (task == "classification"):
        raise _io.InputError(
            f"the teacher is a {task} model but the student {type(student).__name__} is not"
        )
    frame = _io.read_table(args.data)
    X, y = _io.split_target(frame, args.target, _ignored(args))
    X_teacher = _io.align_features(teacher, X, "teacher")
    X_student = _io.align_features(student, X, "student")
    rows = _compare(teacher, student, X_teacher, X_student, y)
    _say(args, f"{task} on {len(y)} rows of {args.data}")
    print(_markdown_table(rows))
    if args.json:
        _write_json(
            {
                "command": "report",
                "task": task,
                "n_samples": len(y),
                "data_file": str(args.data),
                "teacher": type(teacher).__name__,
                "student": type(student).__name__,
                "metrics": {
                    row["metric"]: {"teacher": row["teacher"], "student": row["student"]}
                    for row in rows
                },
            },
            args.json,
        )
        _say(args, f"wrote {args.json}")
    return 0


# Labels the report command has always used for these metrics.
_LABELS = {
    "fidelity": "fidelity (agreement with teacher)",
    "kl_divergence": "kl_divergence (from teacher)",
    "fidelity_r2": "fidelity_r2 (student vs teacher)",
    "predict_ms_per_1k": "predict_ms_per_1k_rows",
}
_SIZE_AND_SPEED = ("pickled_bytes", "n_parameters", "n_nodes", "n_leaves", "predict_ms_per_1k")


def _compare(teacher, student, X_teacher, X_student, y):
    """Rows ``{"metric", "teacher", "student"}`` of
    :func:`skdistill._measure.compare_models` (the numbers of
    :func:`skdistill.distillation_report`): performance, then fidelity
    (student vs teacher; the teacher's own value is 1 for agreement, 0 for
    distances), then size and latency. Metrics neither model has are left out."""
    from ._measure import compare_models

    measured = compare_models(teacher, student, X_teacher, y, X_student=X_student, n_repeats=3)
    performance = [name for name in measured.teacher if name not in _SIZE_AND_SPEED]
    rows = [_row(name, measured.teacher[name], measured.student[name]) for name in performance]
    for name, value in measured.fidelity.items():
        rows.append(_row(name, 1.0 if name in ("fidelity", "fidelity_r2") else 0.0, value))
    for name in _SIZE_AND_SPEED:
        rows.append(_row(name, measured.teacher[name], measured.student[name]))
    return [row for row in rows if row["teacher"] is not None or row["student"] is not None]


def _row(metric, teacher, student):
    return {
        "metric": _LABELS.get(metric, metric),
        "teacher": _number(teacher),
        "student": _number(student),
    }


def _number(value):
    """int for counts, float for measures, None when not available."""
    import numpy as np

    if value is None:
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    return float(value)


def _markdown_table(rows):
    headers = ["metric", "teacher", "student"]
    from ._utils import markdown_table

    cells = [[row["metric"], _fmt(row["teacher"]), _fmt(row["student"])] for row in rows]
    return markdown_table(headers, cells, align_right=True)


def _fmt(value):
    if value is None:
        return "n/a"
    if isinstance(value, int):
        return str(value)
    return f"{value:.4f}"


def _check_json_path(path, option, inputs=()):
    """Check a JSON output path before any work: :func:`_io.check_output_path`
    (not an input file, writable directory), and no extension of a table or
    model file, which JSON would make unreadable."""
    from pathlib import Path

    from . import _io

    _io.check_output_path(path, f"{option} file", inputs)
    name = Path(path).name.lower()
    for compression in _io.COMPRESSION_SUFFIXES:
        name = name.removesuffix(compression)
    suffix = Path(name).suffix
    kind = (
        "data table"
        if suffix in _io.TABLE_FORMATS
        else "model file"
        if suffix in _io.MODEL_FORMATS
        else None
    )
    if kind is not None:
        raise _io.UsageError(
            f"{option} {str(path)!r} has the extension of a {kind} ({suffix!r}) but "
            "gets JSON; give a .json file name"
        )


def _jsonable(value):
    """JSON-safe copy: NumPy scalars and arrays to Python, NaN/inf to None."""
    import numpy as np

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _dump_json(data, file):
    with open(file, "w", encoding="utf-8") as handle:
        json.dump(_jsonable(data), handle, indent=2, allow_nan=False)
        handle.write("\n")


def _write_json(data, path):
    """Write ``data`` as JSON to ``path`` atomically (:func:`_io.write_files`)."""
    from ._io import write_files

    write_files([(path, lambda file: _dump_json(data, file))])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
