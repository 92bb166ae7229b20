"""The command line on hostile arguments (issue 12): output paths that would
destroy an input or cannot be written are refused before any work, outputs
are written all or nothing, and bad demo options are usage errors."""

import json
import os
import stat
import subprocess
import sys

import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from skdistill import cli
from skdistill.cli import main

sio = pytest.importorskip("skops.io")
pd = pytest.importorskip("pandas")


@pytest.fixture
def inputs(tmp_path):
    """Iris as train.csv and a fitted LogisticRegression teacher.skops (a
    type skops trusts), in a fresh directory per test."""
    frame = load_iris(as_frame=True).frame
    frame.columns = ["a", "b", "c", "d", "label"]
    frame.to_csv(tmp_path / "train.csv", index=False)
    teacher = LogisticRegression(max_iter=1000).fit(frame.drop(columns="label"), frame.label)
    sio.dump(teacher, tmp_path / "teacher.skops")
    return tmp_path


def distill(root, *extra, out="student.skops"):
    argv = [
        "distill",
        "--teacher",
        str(root / "teacher.skops"),
        "--data",
        str(root / "train.csv"),
        "--target",
        "label",
        "--student",
        "tree:max_depth=2",
        "--temperature",
        "2",
        "--alpha",
        "0",
        "--transfer",
        "none",
        "--out",
        str(root / out),
        "--quiet",
        *map(str, extra),
    ]
    return main(argv)


def snapshot(root):
    """Name -> bytes of every file in ``root``."""
    return {path.name: path.read_bytes() for path in root.iterdir() if path.is_file()}


@pytest.mark.parametrize(
    "option, target, message",
    [
        # Before: exit 0 and train.csv replaced by the JSON report.
        ("--report", "train.csv", "the --report file '{root}/train.csv' is the --data file"),
        ("--report", "teacher.skops", "the --report file '{root}/teacher.skops' is the --teacher"),
        ("--out", "teacher.skops", "the --out file '{root}/teacher.skops' is the --teacher file"),
        (
            "--report",
            "student.skops",
            "the --report file '{root}/student.skops' is the --out file",
        ),
    ],
)
def test_output_over_an_input_is_refused(option, target, message, inputs, capsys):
    before = snapshot(inputs)
    extra = [option, inputs / target] if option == "--report" else []
    out = target if option == "--out" else "student.skops"
    assert distill(inputs, *extra, out=out) == 2
    err = capsys.readouterr().err
    assert message.format(root=inputs) in err
    assert "writing it would destroy that input: choose another path" in err
    assert snapshot(inputs) == before  # nothing written, nothing replaced


def test_input_reached_through_a_symlink_is_refused(inputs, capsys):
    (inputs / "link.csv").symlink_to(inputs / "train.csv")
    assert distill(inputs, "--report", inputs / "link.csv") == 2
    assert "is the --data file" in capsys.readouterr().err


@pytest.mark.parametrize(
    "make_bad_report, message",
    [
        (
            lambda root: root / "missing" / "report.json",
            "the directory of the --report file does not exist",
        ),
        (
            lambda root: (root / "adir").mkdir() or root / "adir",
            "the --report file '{root}/adir' is a directory; give a file name",
        ),
        (
            lambda root: os.mkfifo(root / "fifo") or root / "fifo",
            "the --report file '{root}/fifo' exists and is not a regular file",
        ),
        (
            lambda root: root / "report.csv",
            "--report '{root}/report.csv' has the extension of a data table ('.csv') "
            "but gets JSON",
        ),
        (
            lambda root: root / "report.pkl",
            "has the extension of a model file ('.pkl') but gets JSON; give a .json file name",
        ),
    ],
)
def test_bad_report_path_found_before_out_is_replaced(make_bad_report, message, inputs, capsys):
    # Before: --out was written first, then the report failed (or, for a
    # table extension, succeeded and made the .csv unreadable).
    (inputs / "student.skops").write_bytes(b"previous student")
    report = make_bad_report(inputs)
    assert distill(inputs, "--report", report) == 2
    assert message.format(root=inputs) in capsys.readouterr().err
    assert (inputs / "student.skops").read_bytes() == b"previous student"


def test_report_command_json_over_its_data_is_refused(inputs, capsys):
    assert distill(inputs) == 0
    before = (inputs / "train.csv").read_bytes()
    assert (
        main(
            [
                "report",
                "--student",
                str(inputs / "student.skops"),
                "--data",
                str(inputs / "train.csv"),
                "--target",
                "label",
                "--trust",
                "--quiet",
                "--json",
                str(inputs / "train.csv"),
            ]
        )
        == 2
    )
    assert "has the extension of a data table ('.csv')" in capsys.readouterr().err
    assert (inputs / "train.csv").read_bytes() == before


def test_failed_report_write_leaves_both_outputs_as_they_were(inputs, monkeypatch, capsys):
    (inputs / "student.skops").write_bytes(b"previous student")
    (inputs / "report.json").write_text('{"previous": true}\n')
    before = snapshot(inputs)

    def half_written(data, file):
        with open(file, "w") as handle:
            handle.write('{"command": "dis')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "_dump_json", half_written)
    assert distill(inputs, "--report", inputs / "report.json") == 1
    assert "No space left on device" in capsys.readouterr().err
    # Neither file replaced (the model was complete, but the pair was not),
    # and no temporary file left behind.
    assert snapshot(inputs) == before


def test_outputs_replace_old_files_and_keep_their_permissions(inputs):
    (inputs / "student.skops").write_bytes(b"previous student")
    os.chmod(inputs / "student.skops", 0o640)
    assert distill(inputs, "--report", inputs / "report.json") == 0
    assert set(snapshot(inputs)) == {"train.csv", "teacher.skops", "student.skops", "report.json"}
    model = sio.load(
        inputs / "student.skops", trusted=sio.get_untrusted_types(file=inputs / "student.skops")
    )
    assert model.student_.get_depth() <= 2
    assert json.loads((inputs / "report.json").read_text())["command"] == "distill"
    assert stat.S_IMODE((inputs / "student.skops").stat().st_mode) == 0o640
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((inputs / "report.json").stat().st_mode) == 0o666 & ~umask


# --------------------------------------------------------------------- demo
@pytest.fixture
def demo_calls(monkeypatch):
    """Replace the (slow) demo by a recorder of its arguments."""
    from skdistill import _demo

    calls = []
    monkeypatch.setattr(_demo, "run_demo", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.mark.parametrize(
    "argv, message",
    [
        # Before: inf and -1 reached the demo, which failed with a traceback.
        (["--temperature", "inf"], "--temperature must be > 0 and finite, got inf"),
        (["--temperature", "nan"], "--temperature must be > 0 and finite, got nan"),
        (["--temperature", "-2"], "--temperature must be > 0 and finite, got -2.0"),
        (["--random-state", "-1"], "--random-state must be an integer in [0, 2**32 - 1], got -1"),
        (
            ["--random-state", str(2**32)],
            "--random-state must be an integer in [0, 2**32 - 1], got 4294967296",
        ),
        (["--plot", "/nonexistent_dir/curve.png"], "the directory of the --plot file does not"),
    ],
)
def test_bad_demo_options_are_usage_errors(argv, message, demo_calls, capsys):
    assert main(["demo", *argv]) == 2
    assert f"skdistill demo: error: {message}" in capsys.readouterr().err
    assert demo_calls == []


def test_good_demo_options_reach_the_demo(demo_calls, tmp_path):
    assert (
        main(
            [
                "demo",
                "--temperature",
                "3",
                "--random-state",
                str(2**32 - 1),
                "--plot",
                str(tmp_path / "curve.png"),
            ]
        )
        == 0
    )
    assert main(["demo", "--no-plot", "--plot", "/nonexistent_dir/curve.png"]) == 0
    assert demo_calls == [
        {"random_state": 2**32 - 1, "temperature": 3.0, "plot_path": str(tmp_path / "curve.png")},
        {"random_state": 0, "temperature": 2.0, "plot_path": None},
    ]


def test_demo_usage_error_without_traceback_in_subprocess(tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("SKDISTILL_TRACEBACK", None)
    result = subprocess.run(
        [sys.executable, "-m", "skdistill", "demo", "--temperature", "inf"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "skdistill demo: error: --temperature must be > 0 and finite, got inf"
    )
