"""Tests for the ``skdistill`` command line (distill / report / demo).

End-to-end runs go through a subprocess (``python -m skdistill``) the way a
user calls the command; the many error paths run in-process through
``main(argv)`` to keep the suite fast.
"""

import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

pd = pytest.importorskip("pandas")
sio = pytest.importorskip("skops.io")

from sklearn.compose import make_column_transformer
from sklearn.datasets import load_diabetes, load_iris
from sklearn.ensemble import GradientBoostingRegressor, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skdistill import DistilledEstimator
from skdistill._io import UsageError
from skdistill.cli import main, parse_transfer_spec, parse_value, split_spec


def run_cli(*args, cwd=None):
    # From outside the project: `python -m` puts the working directory first
    # on sys.path, and the source tree has no compiled kernels.
    cwd = cwd or tempfile.gettempdir()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("SKDISTILL_TRACEBACK", None)
    return subprocess.run(
        [sys.executable, "-m", "skdistill", *map(str, args)],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def load_trusted(path):
    return sio.load(path, trusted=sio.get_untrusted_types(file=path))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Iris as CSV (train/test) and fitted teachers saved with skops/joblib."""
    import joblib

    root = tmp_path_factory.mktemp("cli")
    data = load_iris(as_frame=True)
    frame = data.frame.rename(columns=lambda c: c.replace(" (cm)", "").replace(" ", "_"))
    frame["species"] = data.target_names[data.target]
    frame = frame.drop(columns="target")
    train, test = train_test_split(frame, test_size=0.4, stratify=frame.species, random_state=0)
    train.to_csv(root / "train.csv", index=False)
    test.to_csv(root / "test.csv", index=False)
    X, y = train.drop(columns="species"), train.species
    forest = RandomForestClassifier(n_estimators=30, random_state=0).fit(X, y)
    logistic = LogisticRegression(max_iter=1000).fit(X, y)
    sio.dump(forest, root / "forest.skops")
    sio.dump(logistic, root / "logistic.skops")
    joblib.dump(logistic, root / "logistic.joblib")
    return root


# ------------------------------------------------------------- subprocess
def test_help_lists_commands_and_examples(capsys):
    result = run_cli("--help")
    assert result.returncode == 0
    for text in ("distill", "report", "demo", "examples:", "exit codes"):
        assert text in result.stdout
    with pytest.raises(SystemExit) as exit_info:
        main(["distill", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in (
        "tree",
        "logistic",
        "soft_tree",
        "gbm",
        "nb",
        "ridge",
        "linear",
        "--trust",
        "--export",
        "examples:",
    ):
        assert name in out


def test_distill_and_report_end_to_end(files, tmp_path):
    out, report = tmp_path / "student.skops", tmp_path / "report.json"
    result = run_cli(
        "distill",
        "--teacher",
        files / "forest.skops",
        "--data",
        files / "train.csv",
        "--target",
        "species",
        "--student",
        "tree:max_depth=3,min_samples_leaf=2",
        "--temperature",
        "2",
        "--alpha",
        "0.1",
        "--out",
        out,
        "--report",
        report,
        "--trust",
    )
    assert result.returncode == 0, result.stderr
    assert "student_fit=replication" in result.stdout
    model = load_trusted(out)
    assert isinstance(model, DistilledEstimator)
    assert model.student_.get_params()["max_depth"] == 3
    assert model.student_.get_params()["min_samples_leaf"] == 2
    assert (model.temperature, model.alpha) == (2.0, 0.1)
    # The report's numbers are those of the saved model on the training rows.
    train = pd.read_csv(files / "train.csv")
    X, y = train.drop(columns="species"), train.species.to_numpy()
    content = json.loads(report.read_text())
    assert content["student_fit"] == "replication"
    assert content["n_samples"] == len(train)
    pred, teacher_pred = model.predict(X), model.teacher_.predict(X)
    assert content["training_metrics"]["student_accuracy"] == pytest.approx(np.mean(pred == y))
    assert content["training_metrics"]["fidelity"] == pytest.approx(np.mean(pred == teacher_pred))

    json_path = tmp_path / "test_report.json"
    result = run_cli(
        "report",
        "--teacher",
        files / "forest.skops",
        "--student",
        out,
        "--data",
        files / "test.csv",
        "--target",
        "species",
        "--trust",
        "--json",
        json_path,
    )
    assert result.returncode == 0, result.stderr
    assert "| accuracy" in result.stdout and "fidelity" in result.stdout
    test = pd.read_csv(files / "test.csv")
    X_test, y_test = test.drop(columns="species"), test.species.to_numpy()
    metrics = json.loads(json_path.read_text())["metrics"]
    assert metrics["accuracy"]["student"] == pytest.approx(
        np.mean(model.predict(X_test) == y_test)
    )
    assert metrics["fidelity (agreement with teacher)"]["student"] == pytest.approx(
        np.mean(model.predict(X_test) == model.teacher_.predict(X_test))
    )
    assert metrics["pickled_bytes"]["student"] < metrics["pickled_bytes"]["teacher"]


@pytest.mark.parametrize(
    "case, code, expected",
    [
        ("untrusted", 2, "sklearn.tree._tree.Tree"),
        ("unknown_student", 2, "valid names: tree, logistic"),
    ],
)
def test_distill_user_errors_in_subprocess(case, code, expected, files, tmp_path):
    argv = [
        "--teacher",
        files / "forest.skops",
        "--data",
        files / "train.csv",
        "--target",
        "species",
        "--student",
        "tree:max_depth=3",
        "--out",
        tmp_path / "s.skops",
    ]
    if case == "unknown_student":
        argv[7] = "forest:n_estimators=3"
        argv.append("--trust")
    result = run_cli("distill", *argv)
    assert result.returncode == code, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "s.skops").exists()


@pytest.mark.parametrize(
    "case, code, expected",
    [
        ("missing_data", 2, "data file not found"),
        ("unknown_target", 2, "'sepal_length'"),
        ("column_mismatch", 1, "missing from the data: 'petal_width'"),
    ],
)
def test_distill_data_errors(case, code, expected, files, tmp_path, capsys):
    args = {"teacher": files / "forest.skops", "flags": ["--trust"]}
    if case == "missing_data":
        args["data"] = tmp_path / "nope.csv"
    elif case == "unknown_target":
        args["target"] = "label"
    elif case == "column_mismatch":
        pd.read_csv(files / "train.csv").drop(columns="petal_width").to_csv(
            tmp_path / "fewer.csv", index=False
        )
        args["data"] = tmp_path / "fewer.csv"
    assert main(distill_args(files, tmp_path, **args)) == code
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "student.skops").exists()


def test_demo_arguments_still_checked(capsys):
    assert main(["demo", "--temperature", "0"]) == 2
    assert "skdistill demo: error: --temperature must be > 0" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--help"])
    assert exit_info.value.code == 0
    assert "--random-state" in capsys.readouterr().out


# ------------------------------------------------------------- in-process
def distill_args(files, tmp_path, **overrides):
    args = {
        "teacher": files / "logistic.skops",
        "data": files / "train.csv",
        "target": "species",
        "student": "tree:max_depth=2",
        "out": tmp_path / "student.skops",
    }
    args.update(overrides)
    flags = args.pop("flags", [])
    argv = ["distill"]
    for key, value in args.items():
        if value is not None:
            argv += [f"--{key.replace('_', '-')}", str(value)]
    return argv + list(flags) + ["--quiet"]


def test_fully_trusted_teacher_needs_no_trust(files, tmp_path, capsys):
    assert main(distill_args(files, tmp_path)) == 0
    model = load_trusted(tmp_path / "student.skops")
    assert model.student_.get_depth() <= 2


def test_export_writes_plain_sklearn_student(files, tmp_path):
    assert main(distill_args(files, tmp_path, student="logistic:C=0.5", flags=["--export"])) == 0
    exported_path = tmp_path / "student.skops"
    exported = load_trusted(exported_path)
    assert not type(exported).__module__.startswith("skdistill")
    # A plain logistic model loads with skops' defaults, no trust needed.
    assert sio.get_untrusted_types(file=exported_path) == []
    assert (
        main(distill_args(files, tmp_path, student="logistic:C=0.5", out=tmp_path / "full.skops"))
        == 0
    )
    full = load_trusted(tmp_path / "full.skops")
    X_test = pd.read_csv(files / "test.csv").drop(columns="species")
    assert_array_equal(exported.predict(X_test), full.predict(X_test))
    assert_allclose(exported.predict_proba(X_test), full.predict_proba(X_test), rtol=1e-10)


def test_pickle_teacher_needs_trust(files, tmp_path, capsys):
    argv = distill_args(files, tmp_path, teacher=files / "logistic.joblib")
    assert main(argv) == 2
    assert "runs arbitrary code" in capsys.readouterr().err
    assert main(argv + ["--trust"]) == 0


@pytest.mark.parametrize(
    "student, message",
    [
        ("tree:depth=3", "unknown parameter(s) depth for student 'tree'"),
        ("tree:max_depth", "write parameters as key=value"),
        ("tree:max_depth=3,max_depth=4", "given twice"),
        ("", "--student needs a name"),
        ("svm", "unknown student 'svm'"),
    ],
)
def test_bad_student_spec_is_usage_error(student, message, files, tmp_path, capsys):
    assert main(distill_args(files, tmp_path, student=student)) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_unknown_param_lists_valid_ones(files, tmp_path, capsys):
    assert main(distill_args(files, tmp_path, student="tree:depth=3")) == 2
    assert "valid parameters:" in capsys.readouterr().err


@pytest.mark.parametrize(
    "overrides, code, message",
    [
        ({"temperature": 0}, 2, "--temperature must be > 0"),
        ({"alpha": 1.5}, 2, "--alpha must be in [0, 1]"),
        ({"out": "student.onnx"}, 2, "unsupported extension '.onnx'"),
        ({"out": "/nonexistent_dir/s.skops"}, 2, "does not exist"),
        ({"teacher": "missing.skops"}, 2, "teacher file not found"),
        ({"teacher": "teacher.bin"}, 2, "not found"),
        ({"data": "train.xlsx"}, 2, "not found"),
        ({"flags": ["--ignore-columns", "nope"]}, 2, "--ignore-columns column 'nope'"),
        ({"flags": ["--reuse-preprocessing"]}, 2, "needs a Pipeline teacher"),
    ],
)
def test_usage_errors(overrides, code, message, files, tmp_path, capsys):
    assert main(distill_args(files, tmp_path, **overrides)) == code
    assert message in capsys.readouterr().err


def test_unsupported_extensions(files, tmp_path, capsys):
    (tmp_path / "teacher.bin").write_bytes(b"x")
    (tmp_path / "train.xlsx").write_bytes(b"x")
    assert main(distill_args(files, tmp_path, teacher=tmp_path / "teacher.bin")) == 2
    assert "unsupported extension '.bin'" in capsys.readouterr().err
    assert main(distill_args(files, tmp_path, data=tmp_path / "train.xlsx")) == 2
    assert "unsupported extension '.xlsx'" in capsys.readouterr().err


def test_runtime_failures_exit_1(files, tmp_path, capsys):
    (tmp_path / "broken.skops").write_bytes(b"not a zip file")
    assert main(distill_args(files, tmp_path, teacher=tmp_path / "broken.skops")) == 1
    assert "could not read the teacher file" in capsys.readouterr().err
    sio.dump(LogisticRegression(), tmp_path / "unfitted.skops")
    assert main(distill_args(files, tmp_path, teacher=tmp_path / "unfitted.skops")) == 1
    assert "unfitted LogisticRegression" in capsys.readouterr().err
    sio.dump(StandardScaler().fit([[0.0], [1.0]]), tmp_path / "scaler.skops")
    assert main(distill_args(files, tmp_path, teacher=tmp_path / "scaler.skops")) == 1
    assert "not a scikit-learn classifier or regressor" in capsys.readouterr().err
    frame = pd.read_csv(files / "train.csv")
    frame.loc[3, "species"] = np.nan
    frame.to_csv(tmp_path / "nan.csv", index=False)
    assert main(distill_args(files, tmp_path, data=tmp_path / "nan.csv")) == 1
    assert "1 missing values" in capsys.readouterr().err


def test_extra_and_reordered_columns(files, tmp_path, capsys):
    frame = pd.read_csv(files / "train.csv")
    frame.insert(0, "row_id", np.arange(len(frame)))
    frame = frame[["row_id", "species", *reversed(frame.columns[1:5])]]
    frame.to_csv(tmp_path / "extra.csv", index=False)
    argv = distill_args(files, tmp_path, data=tmp_path / "extra.csv")
    assert main(argv) == 1
    assert "unknown to the teacher: 'row_id'" in capsys.readouterr().err
    assert main(argv + ["--ignore-columns", "row_id"]) == 0
    model = load_trusted(tmp_path / "student.skops")
    teacher = load_trusted(files / "logistic.skops")
    assert_array_equal(model.feature_names_in_, teacher.feature_names_in_)


def test_regression_teacher_fitted_on_array(tmp_path, capsys):
    X, y = load_diabetes(return_X_y=True)
    teacher = GradientBoostingRegressor(n_estimators=30, random_state=0).fit(X, y)
    sio.dump(teacher, tmp_path / "gbm.skops")
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]).assign(y=y)
    frame.to_parquet(tmp_path / "train.parquet")
    base = [
        "distill",
        "--teacher",
        str(tmp_path / "gbm.skops"),
        "--data",
        str(tmp_path / "train.parquet"),
        "--target",
        "y",
        "--out",
        str(tmp_path / "s.skops"),
        "--trust",
        "--quiet",
    ]
    assert main(base + ["--student", "logistic"]) == 2
    assert "'logistic' is not a regression student" in capsys.readouterr().err
    report = tmp_path / "r.json"
    assert main(base + ["--student", "tree:max_depth=4", "--report", str(report)]) == 0
    metrics = json.loads(report.read_text())["training_metrics"]
    model = load_trusted(tmp_path / "s.skops")
    from sklearn.metrics import r2_score

    assert metrics["fidelity_r2"] == pytest.approx(r2_score(teacher.predict(X), model.predict(X)))
    assert 0.3 < metrics["fidelity_r2"] <= 1
    # An array-fitted teacher with a different number of columns.
    frame.drop(columns="x0").to_csv(tmp_path / "fewer.csv", index=False)
    argv = base + ["--student", "tree", "--data", str(tmp_path / "fewer.csv")]
    assert main(argv) == 1
    assert "expects 10 feature columns" in capsys.readouterr().err


def test_pipeline_teacher_reuse_preprocessing(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"age": rng.normal(40, 10, 400), "city": rng.choice(["paris", "rome", "oslo"], 400)}
    )
    frame["label"] = np.where((frame.age > 40) ^ (frame.city == "rome"), "a", "b")
    X = frame.drop(columns="label")
    teacher = make_pipeline(
        make_column_transformer((OneHotEncoder(), ["city"]), remainder=StandardScaler()),
        RandomForestClassifier(n_estimators=20, random_state=0),
    ).fit(X, frame.label)
    sio.dump(teacher, tmp_path / "pipe.skops")
    frame.to_csv(tmp_path / "mixed.csv", index=False)
    base = [
        "distill",
        "--teacher",
        str(tmp_path / "pipe.skops"),
        "--data",
        str(tmp_path / "mixed.csv"),
        "--target",
        "label",
        "--student",
        "tree:max_depth=3",
        "--out",
        str(tmp_path / "s.skops"),
        "--trust",
        "--quiet",
    ]
    assert main(base) == 1
    assert "--reuse-preprocessing" in capsys.readouterr().err
    assert main(base + ["--reuse-preprocessing", "--export"]) == 0
    student = load_trusted(tmp_path / "s.skops")
    assert np.mean(student.predict(X) == teacher.predict(X)) > 0.95


def test_own_types_load_without_trust(files, tmp_path, capsys):
    """A distilled model with a linear teacher and student holds only types
    skops trusts plus skdistill's own estimators, so report needs no --trust."""
    assert main(distill_args(files, tmp_path, student="logistic:C=0.5")) == 0
    untrusted = sio.get_untrusted_types(file=tmp_path / "student.skops")
    assert any(name.startswith("skdistill.") for name in untrusted)
    argv = [
        "report",
        "--student",
        str(tmp_path / "student.skops"),
        "--data",
        str(files / "test.csv"),
        "--target",
        "species",
    ]
    assert main(argv) == 0
    assert "| accuracy" in capsys.readouterr().out


def test_report_needs_teacher_for_plain_student(files, tmp_path, capsys):
    assert main(distill_args(files, tmp_path, flags=["--export"])) == 0
    argv = [
        "report",
        "--student",
        str(tmp_path / "student.skops"),
        "--data",
        str(files / "test.csv"),
        "--target",
        "species",
        "--trust",
    ]
    assert main(argv) == 2
    assert "pass --teacher" in capsys.readouterr().err
    assert main(argv + ["--teacher", str(files / "logistic.skops")]) == 0
    out = capsys.readouterr().out
    assert "| kl_divergence (from teacher)" in out


CLASSIFICATION_SPECS = [
    "tree:max_depth=2",
    "logistic:C=0.5",
    "soft_tree:max_depth=2",
    "gbm:n_estimators=5",
    "soft_gbm:n_estimators=5",
    "nb",
    "ridge:alpha=2.0",
    "linear:fit_intercept=true",
]


@pytest.mark.parametrize("spec", CLASSIFICATION_SPECS)
def test_every_classification_student_name(spec, files, tmp_path):
    from skdistill.cli import build_student

    student = build_student(spec, "classification")
    argv = distill_args(files, tmp_path, student=spec)
    assert main(argv) == 0
    model = load_trusted(tmp_path / "student.skops")
    assert type(model.student_).__name__ in (type(student).__name__, "MultiOutputRegressor")
    params = dict(p.split("=") for p in spec.split(":")[1].split(",")) if ":" in spec else {}
    for key in params:
        assert model.student.get_params()[key] == student.get_params()[key]
    X = pd.read_csv(files / "test.csv").drop(columns="species")
    assert model.predict(X).dtype.kind in "OU"


@pytest.mark.parametrize("spec", ["tree:max_depth=3", "gbm:n_estimators=5", "ridge", "linear"])
def test_every_regression_student_name(spec, tmp_path):
    from skdistill.cli import build_student

    X, y = load_diabetes(return_X_y=True, as_frame=True)
    teacher = GradientBoostingRegressor(n_estimators=20, random_state=0).fit(X, y)
    sio.dump(teacher, tmp_path / "gbm.skops")
    X.assign(progression=y).to_csv(tmp_path / "diabetes.csv", index=False)
    argv = [
        "distill",
        "--teacher",
        str(tmp_path / "gbm.skops"),
        "--data",
        str(tmp_path / "diabetes.csv"),
        "--target",
        "progression",
        "--student",
        spec,
        "--out",
        str(tmp_path / "s.skops"),
        "--trust",
        "--quiet",
        "--export",
    ]
    assert main(argv) == 0
    exported = load_trusted(tmp_path / "s.skops")
    assert type(exported) is type(build_student(spec, "regression"))


def test_parquet_without_engine(files, tmp_path, monkeypatch, capsys):
    from importlib import util

    # The engine check comes before reading, so the content does not matter.
    (tmp_path / "train.parquet").write_bytes(b"PAR1")
    real_find_spec = util.find_spec
    monkeypatch.setattr(
        util,
        "find_spec",
        lambda name, *a: None if name in ("pyarrow", "fastparquet") else real_find_spec(name, *a),
    )
    assert main(distill_args(files, tmp_path, data=tmp_path / "train.parquet")) == 1
    assert "needs pyarrow: pip install pyarrow" in capsys.readouterr().err


# --------------------------------------------------------------- parsing
@pytest.mark.parametrize(
    "text, value",
    [
        ("4", 4),
        ("-2", -2),
        ("0.5", 0.5),
        ("1e-3", 1e-3),
        ("true", True),
        ("False", False),
        ("None", None),
        ("null", None),
        ("entropy", "entropy"),
        ("'balanced'", "balanced"),
        ("nan", "nan"),
    ],
)
def test_parse_value(text, value):
    parsed = parse_value(text)
    assert parsed == value and type(parsed) is type(value)


def test_split_spec():
    assert split_spec("Tree:max_depth=4, criterion=entropy", "--student") == (
        "tree",
        {"max_depth": 4, "criterion": "entropy"},
        None,
    )
    assert split_spec("munge:10", "--transfer") == ("munge", {}, 10)
    assert split_spec("munge:10,p=0.5", "--transfer") == ("munge", {"p": 0.5}, 10)
    with pytest.raises(UsageError, match="not key=value"):
        split_spec("munge:p=0.5,10", "--transfer")


def test_parse_transfer_spec():
    generator = parse_transfer_spec("munge:10")
    assert type(generator).__name__ == "Munge"
    assert generator.get_params()["size_factor"] == 10
    with pytest.raises(UsageError, match="unknown transfer set 'nope'"):
        parse_transfer_spec("nope")


def test_distill_defaults_are_auto_and_numbers_turn_them_off(files, tmp_path):
    report = tmp_path / "auto.json"
    assert main(distill_args(files, tmp_path, report=report)) == 0
    content = json.loads(report.read_text())
    # 90 training rows: too few to tune, so the fallback values are used
    assert content["tuned_params"] == {"temperature": 1.0, "alpha": 0.0, "transfer": None}
    assert content["temperature"] == "auto" and content["transfer"] == "auto"
    model = load_trusted(tmp_path / "student.skops")
    assert model.get_params()["alpha"] == "auto"

    report = tmp_path / "plain.json"
    out = tmp_path / "plain.skops"
    assert (
        main(
            distill_args(
                files,
                tmp_path,
                temperature="2",
                alpha="0",
                transfer="none",
                out=out,
                report=report,
            )
        )
        == 0
    )
    assert json.loads(report.read_text())["tuned_params"] == {}
    model = load_trusted(out)
    assert (model.temperature, model.alpha, model.transfer) == (2.0, 0.0, None)


@pytest.mark.parametrize("flag, value", [("--temperature", "hot"), ("--alpha", "x")])
def test_distill_rejects_words_other_than_auto(flag, value, files, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(distill_args(files, tmp_path) + [flag, value])
    assert exc.value.code == 2
    assert "expected a number or auto" in capsys.readouterr().err


def test_report_command_gives_the_numbers_of_distillation_report(files, tmp_path):
    """``skdistill report`` and ``distillation_report`` measure the same way:
    same metrics, KL floor, pickled model (not its FrozenEstimator wrapper)."""
    import pickle

    from sklearn.frozen import FrozenEstimator

    from skdistill import distillation_report

    # Hard targets give pure tree leaves: zero student probabilities where the
    # forest's are positive, so a second KL floor would show.
    assert (
        main(
            distill_args(
                files,
                tmp_path,
                teacher=files / "forest.skops",
                student="tree:max_depth=4",
                temperature="1",
                alpha="0",
                transfer="none",
                student_fit="hard",
                flags=["--trust"],
            )
        )
        == 0
    )
    json_path = tmp_path / "report.json"
    assert (
        main(
            [
                "report",
                "--student",
                str(tmp_path / "student.skops"),
                "--data",
                str(files / "test.csv"),
                "--target",
                "species",
                "--trust",
                "--quiet",
                "--json",
                str(json_path),
            ]
        )
        == 0
    )
    cli = json.loads(json_path.read_text())["metrics"]

    model = load_trusted(tmp_path / "student.skops")
    test = pd.read_csv(files / "test.csv")
    X_test, y_test = test.drop(columns="species"), test.species.to_numpy()
    report = distillation_report(model, X_test, y_test, n_repeats=1)
    teacher_proba = model.teacher_.predict_proba(X_test)
    assert ((model.predict_proba(X_test) == 0) & (teacher_proba > 0)).any()
    assert isinstance(model.teacher_, FrozenEstimator)
    forest_bytes = len(pickle.dumps(model.teacher_.estimator, protocol=pickle.HIGHEST_PROTOCOL))

    for name in (
        "accuracy",
        "balanced_accuracy",
        "f1_macro",
        "roc_auc",
        "pickled_bytes",
        "n_nodes",
        "n_leaves",
    ):
        assert cli[name] == {"teacher": report.teacher[name], "student": report.student[name]}
    assert cli["pickled_bytes"]["teacher"] == forest_bytes
    assert cli["fidelity (agreement with teacher)"] == {
        "teacher": 1.0,
        "student": report.fidelity["fidelity"],
    }
    assert cli["kl_divergence (from teacher)"] == {
        "teacher": 0.0,
        "student": report.fidelity["kl_divergence"],
    }
    assert cli["total_variation"]["student"] == report.fidelity["total_variation"]
    assert list(cli) == [  # n_parameters: None for both trees, left out
        "accuracy",
        "balanced_accuracy",
        "f1_macro",
        "roc_auc",
        "fidelity (agreement with teacher)",
        "kl_divergence (from teacher)",
        "total_variation",
        "pickled_bytes",
        "n_nodes",
        "n_leaves",
        "predict_ms_per_1k_rows",
    ]
    assert all(value > 0 for value in cli["predict_ms_per_1k_rows"].values())


def test_out_of_range_random_state_is_a_usage_error(files, tmp_path, capsys):
    args = distill_args(files, tmp_path) + ["--random-state", "-1"]
    assert main(args) == 2
    assert "random_state must be an int in [0, 2**32 - 1]" in capsys.readouterr().err
