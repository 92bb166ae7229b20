"""Run the benchmark suite and write the results into docs/benchmarks.md.

    python -m benchmarks [--quick] [--only born_again,compression,large,leaf_refill,overhead,speed]
                         [--out-dir DIR] [--doc PATH] [--render-only]

Each benchmark runs through its script's ``main`` with ``--json
DIR/<name>.json`` (and ``--quick``); the tables are then rendered from every
JSON file in ``DIR`` -- so benchmarks run separately (or in the background)
with ``--json`` into the same folder are rendered too -- and written into
the document between the ``<!-- results:start -->`` and ``<!-- results:end
-->`` markers, with the machine, versions, date and mode of each run. Text
outside the markers is kept. The benchmarks of ``SECTIONS`` (subforest,
churn, search) each have their own markers and section, so one of them can
be rerun and re-rendered alone. ``benchmarks/results/`` (the default
``--out-dir``) is committed: the JSON the document was rendered from.

``--quick`` takes a few minutes on 2 cores (smaller teachers, fewer
students, folds and data sets); full mode takes about an hour.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _harness import markdown_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SUITE = ("born_again", "compression", "large", "leaf_refill", "overhead", "speed")
# Benchmarks with a section of their own: each script has ``render(payload)``
# and its tables go between ``<!-- results:NAME:start -->`` / ``end`` markers,
# so running one of them rewrites only its own section.
SECTIONS = ("subforest", "churn", "search")
START, END = "<!-- results:start -->", "<!-- results:end -->"


def run_benchmark(name, quick, out_dir):
    module = __import__(f"bench_{name}")
    argv = ["--json", str(Path(out_dir) / f"{name}.json")] + (["--quick"] if quick else [])
    start = time.perf_counter()
    if hasattr(module, "limited_threads") and name != "speed":
        with module.limited_threads():
            module.main(argv)
    else:
        module.main(argv)
    return time.perf_counter() - start


def _table(rows):
    """``markdown_table`` with the union of the rows' keys (a teacher row
    may lack the ratio columns of the student rows)."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    return markdown_table([{k: row.get(k) for k in keys} for row in rows])


def _machine_line(payload):
    m = payload["machine"]
    mode = "quick" if payload.get("quick") else "full"
    return (
        f"*{mode} mode, {m['date']}; Python {m['python']}, numpy {m['numpy']}, "
        f"scipy {m['scipy']}, scikit-learn {m['scikit-learn']}, skdistill "
        f"{m['skdistill']}; {m['platform']}, {m['cpu_count']} CPUs (shared with other "
        "jobs).*"
    )


def _case_name(row):
    return row.get("problem", row.get("dataset"))


def _plain_row(rows, row):
    """The plain-distillation row (T=1, alpha=0, no transfer) of a case."""
    from _protocol import PLAIN_LABEL

    return next(
        (
            other
            for other in rows
            if other.get("student") == row["student"]
            and _case_name(other) == _case_name(row)
            and other["config"] in ("soft, T=1", PLAIN_LABEL)
        ),
        None,
    )


def _plain_seconds(name, rows, plain):
    """Seconds of a plain distilled fit with the defaults' target source:
    the large-data rows time it directly (out-of-fold teacher fits
    included); the compression rows fit a frozen teacher, so the one
    in-sample teacher fit is added."""
    if plain is None or plain.get("fit s") is None:
        return None
    seconds = plain["fit s"]
    if name == "compression":
        teacher = next(
            (
                r
                for r in rows
                if _case_name(r) == _case_name(plain) and str(r["student"]).startswith("teacher")
            ),
            {},
        )
        seconds += teacher.get("fit s") or 0.0
    return seconds


# The compression grid's name of each "auto" choice (its frozen-teacher fit).
_CHOSEN_CONFIG = {
    "labels only": "labels",
    "T=1, no transfer": "soft, T=1",
    "T=2, no transfer": "soft, T=2",
    "T=1, Munge 10x": "+MUNGE 10x, T=1",
    "T=2, Munge 10x": "+MUNGE 10x, T=2",
}


def _chosen_seconds(name, rows, row, chosen):
    """Seconds of a fit with the chosen setting and the same target source
    (teacher fit included), where the suite has one: the cost of choosing
    is the defaults' time over this."""
    from _protocol import PLAIN_LABEL

    if name == "compression":
        config = _CHOSEN_CONFIG.get(chosen)
    else:
        config = PLAIN_LABEL if chosen in ("T=1, no transfer", "no transfer") else None
    match = next(
        (
            r
            for r in rows
            if r.get("student") == row["student"]
            and _case_name(r) == _case_name(row)
            and r.get("config") == config
        ),
        None,
    )
    if match is None or match.get("fit s") is None:
        return None
    seconds = match["fit s"]
    if name == "compression":
        teacher = next(
            (
                r
                for r in rows
                if _case_name(r) == _case_name(row) and str(r["student"]).startswith("teacher")
            ),
            {},
        )
        seconds += teacher.get("fit s") or 0.0
    return seconds


def defaults_evidence(payloads):
    """Every case of the suite with a row for the defaults ("auto"): its
    change against the same student on labels, whether it stays within 0.3
    points, and its fit time against a plain distilled fit with the same
    target source and against a fit with the chosen setting (the cost of
    choosing)."""
    from _protocol import DEFAULTS_LABEL

    rows = []
    for name in ("compression", "large"):
        payload = payloads.get(name)
        if not payload:
            continue
        for row in payload["rows"]:
            config = str(row.get("config", ""))
            if not config.startswith(DEFAULTS_LABEL):
                continue
            delta = row.get("Δacc vs labels (pts)", row.get("Δ vs labels (pts)"))
            plain = _plain_row(payload["rows"], row)
            plain_seconds = _plain_seconds(name, payload["rows"], plain)
            chosen = config[len(DEFAULTS_LABEL + " -> ") :]
            chosen_seconds = _chosen_seconds(name, payload["rows"], row, chosen)
            rows.append(
                {
                    "case": f"{_case_name(row)}",
                    "student": row["student"],
                    "defaults chose": config[len(DEFAULTS_LABEL + " -> ") :],
                    "Δ defaults vs labels (pts)": delta,
                    "Δ plain (T=1, no transfer) vs labels (pts)": None
                    if plain is None
                    else plain.get("Δacc vs labels (pts)", plain.get("Δ vs labels (pts)")),
                    "not worse by > 0.3": bool(delta is not None and delta >= -0.3),
                    "defaults s / plain s": (
                        None
                        if not plain_seconds or "fit s" not in row
                        else row["fit s"] / plain_seconds
                    ),
                    "defaults s / chosen setting s": (
                        None
                        if not chosen_seconds or "fit s" not in row
                        else row["fit s"] / chosen_seconds
                    ),
                }
            )
    return rows


def render(out_dir):
    """Markdown of every JSON result in ``out_dir``."""
    payloads = {}
    for path in sorted(Path(out_dir).glob("*.json")):
        payload = json.loads(path.read_text())
        payloads[payload["benchmark"]] = payload
    parts = []
    if "born_again" in payloads:
        p = payloads["born_again"]
        parts += ["### Born-again protocol", _machine_line(p), _table(p["rows"])]
    if "compression" in payloads:
        p = payloads["compression"]
        parts += [
            "### Model Compression protocol: summary",
            _machine_line(p),
            _table(p["summary"]),
            "### Model Compression protocol: every configuration",
            _table(p["rows"]),
        ]
    if "large" in payloads:
        p = payloads["large"]
        parts += ["### Large data", _machine_line(p), _table(p["rows"])]
    evidence = defaults_evidence(payloads)
    if evidence:
        parts += ['### Defaults ("auto") against the same student on labels', _table(evidence)]
    if "leaf_refill" in payloads:
        p = payloads["leaf_refill"]
        parts += [
            "### Leaf refill against MUNGE at equal transfer rows",
            _machine_line(p),
            _table(p["rows"]),
        ]
    if "overhead" in payloads:
        p = payloads["overhead"]
        parts += [
            "### Overhead",
            _machine_line(p),
            "**skdistill against the same steps by hand**",
            _table(p["rows"]),
        ]
        if p.get("defaults"):
            parts += [
                '**Defaults ("auto") against plain distillation, same target source**',
                _table(p["defaults"]),
            ]
    if "speed" in payloads:
        p = payloads["speed"]
        parts += ["### Speed and size", _machine_line(p)]
        for key, title in (
            ("latency", "RF(500) -> depth-6 soft tree (magic)"),
            ("kernels", "Kernels"),
            ("labelling", "Labelling"),
        ):
            if p.get(key):
                parts += [f"**{title}**", _table(p[key])]
        if p.get("accuracy"):
            a = p["accuracy"]
            parts.append(
                f"Test accuracy: teacher {a['teacher']:.4f}, student "
                f"{a['student']:.4f}, fidelity {a['fidelity']:.4f}."
            )
    return "\n\n".join(parts) + "\n"


def render_sections(out_dir):
    """``{name: markdown}`` for each benchmark of ``SECTIONS`` with a JSON
    result in ``out_dir``, rendered by its own script."""
    sections = {}
    for name in SECTIONS:
        path = Path(out_dir) / f"{name}.json"
        if path.exists():
            payload = json.loads(path.read_text())
            body = __import__(f"bench_{name}").render(payload)
            sections[name] = f"{_machine_line(payload)}\n\n{body}"
    return sections


def _replace_between(text, start, end, body, heading):
    """``text`` with ``body`` between the markers (added at the end, under
    ``heading``, when the markers are missing)."""
    if start not in text or end not in text:
        text = text.rstrip() + f"\n\n{heading}\n\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n\n{body}\n{end}{tail}"


def write_doc(doc, body, sections=None):
    """Write the suite's tables (``body``; None keeps the ones in the
    document) and each rendered section into ``doc``."""
    doc = Path(doc)
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    if body is not None:
        text = _replace_between(text, START, END, body, "## Results")
    for name, section in (sections or {}).items():
        start, end = f"<!-- results:{name}:start -->", f"<!-- results:{name}:end -->"
        text = _replace_between(text, start, end, section, f"## Results: {name}")
    doc.write_text(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few minutes on 2 cores")
    parser.add_argument(
        "--only",
        default=",".join(SUITE),
        help=f"comma-separated subset of {','.join(SUITE + SECTIONS)}",
    )
    parser.add_argument("--out-dir", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument(
        "--doc",
        default=str(ROOT / "docs" / "benchmarks.md"),
        help="document to write the tables into ('' for none)",
    )
    parser.add_argument(
        "--render-only", action="store_true", help="render the JSON files already in --out-dir"
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(names) - set(SUITE + SECTIONS))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {list(SUITE + SECTIONS)}")
    Path(args.out_dir).mkdir(parents=True, exist_ok=True)
    if not args.render_only:
        for name in names:
            print(f"\n# {name}\n", flush=True)
            seconds = run_benchmark(name, args.quick, args.out_dir)
            print(f"({name}: {seconds:.0f} s)", flush=True)
    has_suite = any((Path(args.out_dir) / f"{name}.json").exists() for name in SUITE)
    body = render(args.out_dir) if has_suite else None
    sections = render_sections(args.out_dir)
    if args.doc:
        write_doc(args.doc, body, sections)
        print(f"wrote {args.doc}")
    return "\n\n".join([body or ""] + list(sections.values()))


if __name__ == "__main__":
    main()
