"""Loading and saving models and data tables for the command line.

Models: ``.skops`` files are audited with :func:`skops.io.get_untrusted_types`
before loading; types skops does not trust by default are refused unless the
caller trusts the file. ``.joblib``/``.pkl``/``.pickle`` files are unpickled,
which runs arbitrary code, so they load only when trusted. Tables: CSV/TSV
(optionally compressed) and Parquet, through pandas.

Output files are checked before any work (:func:`check_output_path`) and
written atomically (:func:`write_files`): a temporary file in the same
directory, moved onto the path only once complete.

Errors that the user fixes by changing the command (a missing file, an
unknown column, an untrusted file without ``--trust``) raise
:class:`UsageError`; problems found in the content of the files raise
:class:`InputError`.
"""

import importlib
import importlib.util
import os
import stat
import tempfile
from pathlib import Path

import numpy as np

MODEL_FORMATS = {".skops": "skops", ".joblib": "pickle", ".pkl": "pickle", ".pickle": "pickle"}
TABLE_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".zip", ".xz", ".zst")
# scikit-learn's fitted tree arrays, held by the tree, boosting and linear-tree
# students. skops distrusts them because a malformed one can crash the
# process; the command line asks for --trust, trusted_types() lists them.
TREE_TYPES = ("sklearn.tree._tree.Tree",)
# Where skdistill's public estimators, students and generators live.
PUBLIC_MODULES = ("skdistill", "skdistill.students", "skdistill.transfer")


class UsageError(Exception):
    """The command cannot run as typed; fix the arguments (exit code 2)."""


class InputError(Exception):
    """A file was read but its content does not fit the job (exit code 1)."""


def _import_optional(module, extra, purpose):
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise InputError(
            f"{purpose} needs the {module.split('.')[0]} package: pip install skdistill[{extra}]"
        ) from exc


def _format(path, formats, what):
    name = Path(path).name.lower()
    for suffix in COMPRESSION_SUFFIXES:
        if name.endswith(suffix) and formats is TABLE_FORMATS:
            name = name[: -len(suffix)]
            break
    suffix = Path(name).suffix
    if suffix not in formats:
        raise UsageError(
            f"{what} {str(path)!r} has an unsupported extension {suffix or '(none)'!r}; "
            f"use one of {', '.join(sorted(formats))}"
        )
    return formats[suffix]


def _existing_file(path, what):
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{what} not found: {str(path)!r}")
    if not path.is_file():
        raise UsageError(f"{what} is not a file: {str(path)!r}")
    return path


def skdistill_safe_types():
    """Qualified names of skdistill's public classes (estimators, students,
    generators), which may be loaded from a ``.skops`` file without
    ``--trust``: their fitted attributes hold arrays, numbers, strings and
    plain dicts and lists."""
    names = set()
    for module_name in PUBLIC_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # pragma: no cover - a sub-package being written
            continue
        for public in getattr(module, "__all__", []):
            obj = getattr(module, public, None)
            if isinstance(obj, type) and hasattr(obj, "get_params"):
                names.add(f"{obj.__module__}.{obj.__qualname__}")
    return names


def trusted_types():
    """The type names to trust to load any fitted skdistill model with skops.

    skdistill's public classes (distilled estimators, students, transfer
    generators, :class:`~skdistill.BlackBoxTeacher`) and scikit-learn's
    fitted tree arrays
    (``sklearn.tree._tree.Tree``, used by the tree, boosting and linear-tree
    students; skops distrusts it because a malformed one can crash the
    process, so trust files you made or whose author you trust). A
    teacher's or a generic student's own types, and the functions of a
    BlackBoxTeacher, are not listed: review them with
    :func:`skops.io.get_untrusted_types`.

    Returns
    -------
    names : list of str
        Sorted fully qualified type names, for ``skops.io.load(...,
        trusted=...)``.

    Examples
    --------
    >>> from skdistill.io import trusted_types
    >>> "skdistill._distill.DistilledClassifier" in trusted_types()
    True
    >>> "sklearn.tree._tree.Tree" in trusted_types()
    True
    """
    return sorted(skdistill_safe_types() | set(TREE_TYPES))


def load_model(path, *, trust=False, what="model file"):
    """Load a fitted model from ``.skops`` (audited) or a pickle (``trust`` only).

    Raises
    ------
    UsageError
        Missing file, unsupported extension, or a file that needs ``--trust``.
    InputError
        skops is missing or the file cannot be read.
    """
    path = _existing_file(path, what)
    kind = _format(path, MODEL_FORMATS, what)
    if kind == "pickle":
        if not trust:
            raise UsageError(
                f"{what} {str(path)!r} is a pickle: loading it runs arbitrary code "
                "stored in the file. Pass --trust only if you created the file or "
                "trust its author; or save the model with skops (.skops), whose "
                "types are checked before loading."
            )
        import joblib

        return _read(lambda: joblib.load(path), path, what)
    sio = _import_optional("skops.io", "io", f"reading {str(path)!r}")
    untrusted = _read(lambda: sio.get_untrusted_types(file=path), path, what)
    unknown = sorted(set(untrusted) - skdistill_safe_types())
    if unknown and not trust:
        listed = "\n".join(f"  - {name}" for name in unknown)
        raise UsageError(
            f"{what} {str(path)!r} contains types that skops does not trust by "
            f"default:\n{listed}\nReview them; if you trust the file, pass --trust. "
            "(skops distrusts the arrays of fitted trees, sklearn.tree._tree.Tree, "
            "because a malformed one can crash the process.)"
        )
    return _read(lambda: sio.load(path, trusted=list(untrusted)), path, what)


def _read(reader, path, what):
    try:
        return reader()
    except (UsageError, InputError):  # pragma: no cover - raised by ourselves
        raise
    except Exception as exc:
        raise InputError(
            f"could not read the {what} {str(path)!r}: {type(exc).__name__}: {exc}"
        ) from exc


def _same_file(path, other):
    path, other = Path(path), Path(other)
    if path.resolve() == other.resolve():
        return True
    # Hard links, or two spellings resolve() cannot tell apart.
    return path.exists() and other.exists() and os.path.samefile(path, other)


def check_output_path(path, what, inputs=()):
    """Check, before any work, that ``path`` can be written: a regular file
    or a new name, in an existing writable directory, and none of the
    ``inputs``, ``(option, path)`` pairs of the files the command reads.

    Raises
    ------
    UsageError
        Naming ``what`` and the reason.
    """
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"the {what} {str(path)!r} is a directory; give a file name")
    if path.exists() and not path.is_file():
        raise UsageError(f"the {what} {str(path)!r} exists and is not a regular file")
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"the directory of the {what} does not exist: {str(parent)!r}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"the directory of the {what} is not writable: {str(parent)!r}")
    for option, other in inputs:
        if other is not None and _same_file(path, other):
            raise UsageError(
                f"the {what} {str(path)!r} is the {option} file {str(other)!r}; writing it "
                "would destroy that input: choose another path"
            )
    return path


def check_model_path(path, what="output file", inputs=()):
    """Check an output model path before any work: known extension, and
    :func:`check_output_path`."""
    _format(path, MODEL_FORMATS, what)
    return check_output_path(path, what, inputs)


def dump_model(model, file, kind):
    """Write ``model`` to ``file`` with skops (``kind="skops"``) or joblib."""
    if kind == "skops":
        sio = _import_optional("skops.io", "io", f"writing {str(file)!r}")
        sio.dump(model, file)
    else:
        import joblib

        joblib.dump(model, file)


def model_writer(model, path):
    """``write(file)`` saving ``model`` in the format of ``path``'s extension,
    for :func:`write_files`."""
    kind = _format(path, MODEL_FORMATS, "output file")
    return lambda file: dump_model(model, file, kind)


def save_model(model, path):
    """Write ``model`` with skops (``.skops``) or joblib (``.joblib``/``.pkl``),
    atomically (:func:`write_files`)."""
    path = check_model_path(path)
    write_files([(path, model_writer(model, path))])
    return path


def _new_file_mode(path):
    """Permissions for a file written at ``path``: those of the file it
    replaces, else the usual ones for a new file (0o666 minus the umask)."""
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _staged(path, write):
    """A temporary file next to ``path`` (same directory, so that
    ``os.replace`` is an atomic rename) holding what ``write(file)`` wrote;
    deleted if ``write`` fails."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        write(temporary)
        os.chmod(temporary, _new_file_mode(path))
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def write_files(writers):
    """Write several files all or nothing: each ``(path, write)`` pair's
    ``write(file)`` fills a temporary file next to ``path``; only when every
    one succeeded are they moved onto their paths (``os.replace``). A failure
    leaves every path as it was, never half written, and no temporary file.
    """
    staged = []
    try:
        for path, write in writers:
            staged.append((_staged(Path(path), write), Path(path)))
    except BaseException:
        for temporary, _ in staged:
            os.unlink(temporary)
        raise
    for done, (temporary, path) in enumerate(staged):
        try:
            os.replace(temporary, path)
        except BaseException:
            for left, _ in staged[done:]:
                os.unlink(left)
            raise


def read_table(path, what="data file"):
    """A pandas DataFrame from a CSV/TSV (optionally compressed) or Parquet file."""
    path = _existing_file(path, what)
    kind = _format(path, TABLE_FORMATS, what)
    pd = _import_optional("pandas", "io", f"reading {str(path)!r}")
    if kind == "parquet":
        if not any(importlib.util.find_spec(engine) for engine in ("pyarrow", "fastparquet")):
            raise InputError(
                f"reading the Parquet file {str(path)!r} needs pyarrow: pip install pyarrow"
            )
        frame = _read(lambda: pd.read_parquet(path), path, what)
    else:
        sep = "\t" if kind == "tsv" else ","
        frame = _read(lambda: pd.read_csv(path, sep=sep), path, what)
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise InputError(f"the {what} {str(path)!r} has no rows or no columns")
    return frame


def _column_list(columns, limit=20):
    columns = [str(c) for c in columns]
    shown = ", ".join(repr(c) for c in columns[:limit])
    return shown + (f", ... ({len(columns)} columns)" if len(columns) > limit else "")


def split_target(frame, target, ignore=()):
    """``(X, y)``: the columns other than ``target`` and ``ignore``, and the
    target column as an array."""
    columns = [str(c) for c in frame.columns]
    for name, option in [(target, "--target")] + [(c, "--ignore-columns") for c in ignore]:
        if name not in columns:
            raise UsageError(
                f"{option} column {name!r} is not in the data; its columns are "
                f"{_column_list(columns)}"
            )
    frame = frame.rename(columns=str)
    y = frame[target].to_numpy()
    if frame[target].isna().any():
        raise InputError(
            f"the target column {target!r} has {int(frame[target].isna().sum())} "
            "missing values; drop those rows first"
        )
    X = frame.drop(columns=[target, *ignore])
    if X.shape[1] == 0:
        raise InputError(f"no feature columns left besides the target {target!r}")
    return X, y


def align_features(model, X, what="teacher"):
    """``X`` with the columns ``model`` was fitted on, in its order.

    A model fitted on a DataFrame (``feature_names_in_``) gets the same
    columns, reordered if needed; one fitted on an array gets a NumPy array
    with ``n_features_in_`` columns.

    Raises
    ------
    InputError
        When the data's columns do not match what the model expects.
    """
    columns = [str(c) for c in X.columns]
    expected = getattr(model, "feature_names_in_", None)
    if expected is not None:
        expected = [str(c) for c in expected]
        missing = [c for c in expected if c not in columns]
        extra = [c for c in columns if c not in expected]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing from the data: {_column_list(missing)}")
            if extra:
                parts.append(
                    f"in the data but unknown to the {what}: "
                    f"{_column_list(extra)} (drop them with --ignore-columns)"
                )
            raise InputError(
                f"the data's columns do not match the {what}'s "
                f"({len(expected)} columns expected); " + "; ".join(parts)
            )
        return X[expected]
    n_expected = getattr(model, "n_features_in_", None)
    if n_expected is not None and n_expected != X.shape[1]:
        raise InputError(
            f"the {what} expects {n_expected} feature columns (it was fitted on an "
            f"array, without column names) but the data has {X.shape[1]}: "
            f"{_column_list(columns)}"
        )
    non_numeric = [
        c
        for c, dtype in zip(columns, X.dtypes)
        if not (isinstance(dtype, np.dtype) and dtype.kind in "biuf")
    ]
    if non_numeric:
        raise InputError(
            f"the {what} was fitted on a numeric array but the data has non-numeric "
            f"columns {_column_list(non_numeric)}"
        )
    return X.to_numpy()
