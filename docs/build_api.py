"""Generate ``docs/api.md``, the API reference, from the numpydoc docstrings.

Usage::

    python docs/build_api.py                 # writes docs/api.md
    python docs/build_api.py --out api.md    # somewhere else
    python docs/build_api.py --check         # exit 1 if docs/api.md is stale

Public objects are discovered at run time: ``skdistill.__all__`` first, then
every public sub-module of the package (no leading underscore in its dotted
path; the ``cli`` command module is documented in the user guide instead),
each through its ``__all__`` or, without one, the public names it defines.
Modules that do not exist yet are simply absent. An object re-exported by
several modules is documented once, where it is first met, and referenced
from the others.
"""

import argparse
import importlib
import inspect
import pkgutil
import re
import sys
import textwrap
from pathlib import Path

PACKAGE = "skdistill"
# Documented first, in this order; other public modules follow alphabetically.
PREFERRED_ORDER = [
    "skdistill",
    "skdistill.students",
    "skdistill.transfer",
    "skdistill.metrics",
    "skdistill.report",
    "skdistill.size_search",
    "skdistill.plotting",
    "skdistill.export",
]
SKIPPED_MODULES = {"skdistill.cli", "skdistill.__main__"}
DEFAULT_OUT = Path(__file__).resolve().parent / "api.md"

SECTION_TITLES = {
    "Parameters",
    "Returns",
    "Yields",
    "Receives",
    "Other Parameters",
    "Raises",
    "Warns",
    "Warnings",
    "See Also",
    "Notes",
    "References",
    "Examples",
    "Attributes",
    "Methods",
}
FIELD_SECTIONS = {
    "Parameters",
    "Returns",
    "Yields",
    "Receives",
    "Other Parameters",
    "Raises",
    "Warns",
    "Attributes",
}


# --------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------
def public_modules():
    """Names of the package's public modules, in documentation order."""
    package = importlib.import_module(PACKAGE)
    names = {PACKAGE}
    for info in pkgutil.walk_packages(package.__path__, PACKAGE + "."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        if info.name not in SKIPPED_MODULES:
            names.add(info.name)
    ordered = [name for name in PREFERRED_ORDER if name in names]
    return ordered + sorted(names - set(ordered))


def public_names(module):
    """The module's ``__all__`` (without dunders), or the public names it
    defines itself."""
    if hasattr(module, "__all__"):
        return [name for name in module.__all__ if not name.startswith("__")]
    names = []
    for name, obj in vars(module).items():
        if name.startswith("_") or inspect.ismodule(obj):
            continue
        if getattr(obj, "__module__", None) == module.__name__:
            names.append(name)
    return sorted(names)


def discover():
    """``[(module, [(name, obj), ...]), ...]`` for every importable public module."""
    found = []
    for module_name in public_modules():
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:  # an optional dependency missing: say so
            print(f"build_api: skipping {module_name}: {exc}", file=sys.stderr)
            continue
        found.append(
            (
                module,
                [
                    (name, getattr(module, name))
                    for name in public_names(module)
                    if hasattr(module, name)
                ],
            )
        )
    return found


# --------------------------------------------------------------------------
# numpydoc -> Markdown
# --------------------------------------------------------------------------
def rst_inline(text):
    """Inline reST (roles, double back-quotes) as Markdown."""
    text = re.sub(
        r":(?:py:)?(?:class|func|meth|attr|mod|obj|data|exc|term):`~?([^`]+)`",
        lambda m: f"`{_short_target(m.group(1))}`",
        text,
    )
    text = re.sub(r"``([^`]+)``", r"`\1`", text)
    return text


def _short_target(target):
    if "<" in target and target.endswith(">"):  # :term:`text <target>`
        return target.split("<")[0].strip()
    return target


def split_sections(doc):
    """``[(title or None, lines), ...]`` of a cleaned docstring."""
    lines = doc.splitlines()
    sections, title, current = [], None, []
    i = 0
    while i < len(lines):
        line = lines[i]
        underline = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if (
            line.strip() in SECTION_TITLES
            and underline
            and set(underline) == {"-"}
            and len(underline) >= len(line.strip())
        ):
            sections.append((title, current))
            title, current = line.strip(), []
            i += 2
            continue
        current.append(line)
        i += 1
    sections.append((title, current))
    return [(t, ls) for t, ls in sections if t is not None or any(x.strip() for x in ls)]


def field_items(lines):
    """``[(head, description lines)]`` of a Parameters-like section: heads at
    the base indentation, descriptions indented below them."""
    items = []
    for line in lines:
        if not line.strip():
            if items:
                items[-1][1].append("")
            continue
        if not line.startswith((" ", "\t")):
            items.append((line.strip(), []))
        elif items:
            items[-1][1].append(line.strip())
        else:
            items.append(("", [line.strip()]))
    return items


def render_field_section(title, lines):
    out = [f"**{title}**", ""]
    for head, description in field_items(lines):
        name, sep, kind = head.partition(" : ")
        if sep:
            entry = f"- **{name.strip()}** : *{rst_inline(kind.strip())}*"
        elif title in ("Returns", "Yields", "Raises", "Warns"):
            entry = f"- *{rst_inline(head)}*"
        else:
            entry = f"- **{rst_inline(head)}**"
        text = " ".join(part for part in description if part)
        if text:
            entry += f" — {rst_inline(text)}"
        out.append(entry)
    return out + [""]


def render_text(lines):
    """Free text: paragraphs, bullet lists and ``::`` literal blocks."""
    out, literal = [], False
    block = textwrap.dedent("\n".join(lines)).splitlines()
    for line in block:
        if literal:
            if line.strip() and not line.startswith((" ", "\t")):
                out.append("```")
                literal = False
            else:
                out.append(line.removeprefix("    "))
                continue
        if line.rstrip().endswith("::"):
            text = line.rstrip()[:-1]
            out.append(rst_inline(text.rstrip(":") + (":" if text.strip() else "")))
            out += ["", "```"]
            literal = True
            continue
        out.append(rst_inline(line))
    if literal:
        out.append("```")
    text = "\n".join(out).strip("\n")
    text = re.sub(r"```\n\n+", "```\n", text)
    text = re.sub(r"\n+```\n", "\n```\n", text)
    return text.splitlines() + [""]


def render_examples(lines):
    """Doctest blocks (from ``>>>`` to the next blank line) as ``pycon`` code,
    the prose between them as text."""
    out = ["**Examples**", ""]
    chunk, in_code = [], False

    def flush():
        if in_code:
            out.extend(["```pycon", *chunk, "```", ""])
        elif any(line.strip() for line in chunk):
            out.extend(render_text(chunk))

    for line in textwrap.dedent("\n".join(lines)).splitlines():
        starts_code = line.lstrip().startswith(">>>")
        if starts_code and not in_code:
            flush()
            chunk, in_code = [], True
        elif in_code and not line.strip():
            flush()
            chunk, in_code = [], False
            continue
        chunk.append(line)
    flush()
    return out


def render_see_also(lines):
    out = ["**See also**", ""]
    for head, description in field_items(lines):
        name, _, text = head.partition(" : ")
        text = " ".join([text.strip()] + [part for part in description if part]).strip()
        out.append(f"- `{name.strip()}`" + (f" — {rst_inline(text)}" if text else ""))
    return out + [""]


def render_docstring(doc):
    """Markdown lines for a numpydoc docstring."""
    if not doc:
        return ["*(no docstring)*", ""]
    out = []
    for title, lines in split_sections(inspect.cleandoc(doc)):
        if title is None:
            out += render_text(lines)
        elif title in FIELD_SECTIONS:
            out += render_field_section(title, lines)
        elif title == "Examples":
            out += render_examples(lines)
        elif title == "See Also":
            out += render_see_also(lines)
        else:
            out += [f"**{title}**", ""] + render_text(lines)
    return out


# --------------------------------------------------------------------------
# Objects
# --------------------------------------------------------------------------
def signature(obj):
    """The call signature without annotations: the numpydoc Parameters give
    the types in words, and the annotations (strings, under ``from __future__
    import annotations``, naming private aliases such as ``MatrixLike``) would
    make every line unreadable."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    empty = inspect.Parameter.empty
    return str(
        sig.replace(
            parameters=[p.replace(annotation=empty) for p in sig.parameters.values()],
            return_annotation=inspect.Signature.empty,
        )
    )


def kind_of(obj):
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "data"


def anchor(qualified):
    return qualified.replace(".", "-").lower()


def public_methods(cls):
    """``[(name, method)]`` defined or overridden by ``cls`` or its skdistill
    bases (scikit-learn's inherited ``get_params``/``set_params`` etc. are left
    out)."""
    methods = []
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        owner = next((base for base in cls.__mro__ if name in vars(base)), None)
        if owner is None or not owner.__module__.startswith(PACKAGE):
            continue
        member = vars(owner)[name]
        if isinstance(member, property):
            continue
        function = getattr(member, "__func__", member)
        function = getattr(function, "fn", function)  # sklearn's available_if
        if callable(function):
            methods.append((name, function))
    return methods


def render_object(qualified, obj):
    out = [f'<a id="{anchor(qualified)}"></a>', "", f"### `{qualified.rsplit('.', 1)[1]}`", ""]
    kind = kind_of(obj)
    if kind == "data":
        out += ["```python", f"{qualified} = {obj!r}"[:300], "```", ""]
        return out
    out += [
        "```python",
        f"{'class ' if kind == 'class' else ''}{qualified}{signature(obj)}",
        "```",
        "",
    ]
    out += render_docstring(inspect.getdoc(obj) if kind == "class" else obj.__doc__)
    if kind == "class":
        methods = public_methods(obj)
        if methods:
            out += ["**Methods**", ""]
            for name, method in methods:
                summary = (inspect.getdoc(method) or "").strip().split("\n\n")[0]
                summary = " ".join(summary.split())
                call = signature(method).replace("(self, ", "(").replace("(self)", "()")
                out.append(f"- `{name}{call}`" + (f" — {rst_inline(summary)}" if summary else ""))
            out.append("")
    return out


def _key(qualified, obj):
    return ("data", qualified) if kind_of(obj) == "data" else id(obj)


def homes(modules):
    """Where each object is documented in full: the public module that defines
    it when there is one, else the first module that lists it."""
    home = {}
    for module, objects in modules:
        for name, obj in objects:
            if getattr(obj, "__module__", None) == module.__name__:
                home.setdefault(
                    _key(f"{module.__name__}.{name}", obj), f"{module.__name__}.{name}"
                )
    for module, objects in modules:
        for name, obj in objects:
            qualified = f"{module.__name__}.{name}"
            home.setdefault(_key(qualified, obj), qualified)
    return home


def build():
    """The whole reference as Markdown text."""
    import skdistill

    modules = discover()
    home = homes(modules)
    lines = [
        "# API reference",
        "",
        (
            f"skdistill {skdistill.__version__}. Generated by `docs/build_api.py` from the "
            "docstrings; do not edit by hand."
        ),
        "",
        "## Contents",
        "",
    ]
    for module, objects in modules:
        names = ", ".join(
            f"[`{name}`](#{anchor(home[_key(module.__name__ + '.' + name, obj)])})"
            for name, obj in objects
        )
        lines.append(
            f"- [`{module.__name__}`](#{anchor(module.__name__)})"
            + (f": {names}" if names else "")
        )
    lines.append("")
    for module, objects in modules:
        lines += [f'<a id="{anchor(module.__name__)}"></a>', "", f"## `{module.__name__}`", ""]
        module_doc = inspect.getdoc(module)
        if module_doc:
            lines += render_docstring(module_doc)
        for name, obj in objects:
            qualified = f"{module.__name__}.{name}"
            first = home[_key(qualified, obj)]
            if first != qualified:
                lines += [
                    f'<a id="{anchor(qualified)}"></a>',
                    "",
                    f"### `{name}`",
                    "",
                    f"The same object as [`{first}`](#{anchor(first)}).",
                    "",
                ]
                continue
            lines += render_object(qualified, obj)
    return "\n".join(lines).rstrip() + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the output file is not up to date",
    )
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date; run python docs/build_api.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
