"""The `skdistill demo` job: real numbers, printed as tables, and a PNG."""

import os
import subprocess
import sys


def test_demo_prints_teacher_students_baselines_report_and_curve(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "skdistill", "demo", "--plot", "curve.png"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    table = [line for line in lines if line.startswith("| ") and "model" not in line]
    names = [line.split("|")[1].strip() for line in table]
    assert names[0].startswith("teacher")
    assert sum("trained on labels" in name for name in names) == 2
    assert sum("distilled" in name for name in names) == 4
    for line in table:
        accuracy, fidelity = (float(cell) for cell in line.split("|")[2:4])
        assert 0.5 < accuracy <= 1.0
        assert 0.5 < fidelity <= 1.0
    assert float(table[0].split("|")[3]) == 1.0  # the teacher agrees with itself
    assert any(line.startswith("Distillation report:") for line in lines)
    assert any("x faster" in line for line in lines)
    assert any(line.startswith("max_depth=") for line in lines)
    png = tmp_path / "curve.png"
    assert png.exists() and png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_without_command_shows_help_and_exits_2(tmp_path):
    # From outside the project: the source tree has no compiled kernels.
    result = subprocess.run(
        [sys.executable, "-m", "skdistill"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "demo" in result.stdout


def test_readme_quick_start_runs(capsys):
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    code = re.findall(r"```python\n(.*?)```", readme, re.S)[0]
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "Distillation report: RandomForestClassifier -> SoftDecisionTreeClassifier" in printed
    assert "x faster" in printed and "|--- " in printed
