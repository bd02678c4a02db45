"""Sphinx helpers for ansinh's documentation, generated from the code so it never drifts.

Directives:

``ansinh-law-table``
    A table of every legal parameter and each of its dated values, with the
    legal source and status, read from :func:`ansinh.default_law` at build time.
``ansinh-programmes-table``
    Every provincial programme (area, dates, rates, source, status) and those
    found and not shipped, read from the shipped local-support data.
``ansinh-exports``
    One short entry per name in ``ansinh.__all__`` pointing to where the name
    is defined (and documented), so ``ansinh.Person`` and
    ``ansinh.core.people.Person`` both resolve.
``ansinh-cli-help``
    The ``--help`` text of the ``ansinh`` command and its sub-commands.

A ``missing-reference`` handler resolves a short Python reference such as
``Person.vsi_supported_months`` when exactly one documented object ends with it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import sys
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode


def _rst_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("`", "'") or "—"


class _Generated(SphinxDirective):
    """Parse generated reStructuredText in place."""

    def lines(self) -> list[str]:  # pragma: no cover - overridden
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        node = nodes.container()
        content = StringList()
        for line in self.lines():
            content.append(line, "<ansinh-docs>")
        self.state.nested_parse(content, self.content_offset, node)
        return list(node.children)


class LawTable(_Generated):
    """``.. ansinh-law-table::`` — every parameter value with its source (option ``:lang: vi|en``)."""

    option_spec: ClassVar[dict[str, Any]] = {"lang": lambda v: directives.choice(v, ("vi", "en"))}

    def lines(self) -> list[str]:
        from ansinh.cli.views import law_rows, value_text
        from ansinh.cli.words import status_text
        from ansinh.data import default_law

        lang = self.options.get("lang", "en")
        law = default_law()
        out: list[str] = []
        for param in law.parameters:
            label = f"{param.label_en} / {param.label_vi}" if lang == "en" else param.label_vi
            out += [
                f".. list-table:: ``{param.name}`` — {_rst_cell(label)} ({_rst_cell(param.unit)})",
                "   :header-rows: 1",
                "   :widths: 14 14 22 36 14",
                "",
                "   * - " + ("Từ ngày" if lang == "vi" else "From"),
                "     - " + ("Đến ngày" if lang == "vi" else "Until"),
                "     - " + ("Giá trị" if lang == "vi" else "Value"),
                "     - " + ("Nguồn" if lang == "vi" else "Source"),
                "     - " + ("Mức độ" if lang == "vi" else "Status"),
            ]
            for value, until in law_rows(param):
                text = value_text(param, value.value, lang)
                if not isinstance(value.value, (int, tuple)) and hasattr(value.value, "of"):
                    text += " (" + value_text(param, law.value(param.name, on=value.effective), lang) + ")"
                source = str(value.citation)
                if value.note:
                    source += " — " + value.note
                out += [
                    f"   * - {value.effective.isoformat()}",
                    f"     - {until.isoformat() if isinstance(until, dt.date) else '…'}",
                    f"     - {_rst_cell(text)}",
                    f"     - {_rst_cell(source)}",
                    f"     - {status_text(value.status, lang)}",
                ]
            out.append("")
        return out


class ProgrammesTable(_Generated):
    """``.. ansinh-programmes-table::`` — every provincial programme: area, dates, rates, source, status;
    then those found and not shipped, with why."""

    def lines(self) -> list[str]:
        from ansinh.cli.words import status_text
        from ansinh.plugins.local_support import not_shipped_programmes, shipped_local_supports

        out = [
            ".. list-table:: Provincial programmes ansinh applies",
            "   :header-rows: 1",
            "   :widths: 16 16 14 22 22 10",
            "",
            "   * - Programme",
            "     - Area",
            "     - Dates",
            "     - Groups and rates",
            "     - Source",
            "     - Status",
        ]
        for s in shipped_local_supports():
            until = s.until.isoformat() if s.until else "…"
            rates = s.rates_text("en")
            source = str(s.citation) + (" — " + s.note if s.note else "")
            out += [
                f"   * - ``{s.code}`` ({s.product.value})",
                f"     - {_rst_cell(s.area('en'))}",
                f"     - {s.effective.isoformat()} → {until}",
                f"     - {_rst_cell(rates)}",
                f"     - {_rst_cell(source)}",
                f"     - {status_text(s.status, 'en')}",
            ]
        out += [
            "",
            ".. list-table:: Programmes found and not shipped",
            "   :header-rows: 1",
            "   :widths: 16 16 14 22 22 10",
            "",
            "   * - Programme",
            "     - Area",
            "     - Dates",
            "     - Groups and rates",
            "     - Source, and why not shipped",
            "     - Status",
        ]
        for p in not_shipped_programmes():
            out += [
                f"   * - ``{p.code}`` ({_rst_cell(p.product)})",
                f"     - {_rst_cell(p.area)} ({p.province})",
                f"     - {_rst_cell(p.dates)}",
                f"     - {_rst_cell(p.groups)}",
                f"     - {_rst_cell(str(p.citation) + ' — ' + p.reason)}",
                f"     - {status_text(p.status, 'en')}",
            ]
        out.append("")
        return out


def _defined_in(name: str, obj: object, *, exclude: str) -> str | None:
    """The ansinh module whose ``__all__`` defines *obj* (for values without ``__module__``)."""
    for modname, module in sorted(sys.modules.items()):
        if (
            modname.startswith("ansinh.")
            and modname not in (exclude, "ansinh.api")
            and name in getattr(module, "__all__", ())
            and getattr(module, name, None) is obj
        ):
            return modname
    return None


def _canonical(target: str) -> str | None:
    """Where a re-exported name is defined: ``ansinh.Person.categories`` -> ``ansinh.core.people.Person.categories``.

    Works for any ansinh module that re-exports names in its ``__all__`` (``ansinh``,
    ``ansinh.bulk`` …); the plugin-aware functions of :mod:`ansinh.api` also resolve as
    ``ansinh.<name>``, since ``ansinh`` re-exports them.
    """
    import ansinh.api

    parts = target.split(".")
    if len(parts) < 2 or parts[0] != "ansinh":
        return None
    # The longest prefix that is an imported ansinh module.
    for cut in range(len(parts) - 1, 0, -1):
        modname = ".".join(parts[:cut])
        module = sys.modules.get(modname)
        if module is not None:
            break
    else:  # pragma: no cover - "ansinh" itself is always imported
        return None
    name, rest = parts[cut], parts[cut + 1 :]
    if name in getattr(module, "__all__", ()):
        obj = getattr(module, name)
    elif modname == "ansinh" and name in ansinh.api.__all__:
        obj = getattr(ansinh.api, name)
    else:
        return None
    if inspect.ismodule(obj) or isinstance(obj, str):
        return None
    home, qual = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not (inspect.isclass(obj) or callable(obj)) or not home or not qual:
        home, qual = _defined_in(name, obj, exclude=modname), name
        if home is None:
            return None
    if home == modname:
        return None  # defined right there: nothing to redirect
    return ".".join([home, qual, *rest])


class Exports(_Generated):
    """``.. ansinh-exports::`` — the names ``import ansinh`` gives, each linked to its definition.

    References to ``ansinh.Name`` anywhere resolve to the definition (see :func:`_resolve`).
    """

    def lines(self) -> list[str]:
        import ansinh

        out = [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 25 75",
            "",
            "   * - Name",
            "     - Defined in",
        ]
        for name in sorted(ansinh.__all__, key=str.lower):
            obj = getattr(ansinh, name)
            canonical = _canonical(f"ansinh.{name}")
            if canonical is None:
                where = f"``{obj!r}``" if isinstance(obj, str) else "—"
            else:
                doc = (inspect.getdoc(obj) or "").strip()
                summary = doc.splitlines()[0] if doc else ""
                where = f":py:obj:`{canonical}` — {summary}"
            out += [f"   * - ``ansinh.{name}``", f"     - {where}"]
        out.append("")
        return out


class CliHelp(_Generated):
    """``.. ansinh-cli-help::`` — the help of every ``ansinh`` command (option ``:lang:``)."""

    option_spec: ClassVar[dict[str, Any]] = {"lang": lambda v: directives.choice(v, ("vi", "en"))}

    def lines(self) -> list[str]:
        from ansinh.cli import build_parser

        lang = self.options.get("lang", "en")
        parser = build_parser(lang)
        out: list[str] = []

        def walk(p: argparse.ArgumentParser, title: str) -> None:
            out.extend([f".. rubric:: {title}", "", ".. code-block:: text", ""])
            out.extend("   " + line for line in p.format_help().splitlines())
            out.append("")
            for action in p._actions:  # argparse has no public way to list sub-parsers
                if isinstance(action, argparse._SubParsersAction):
                    for name, child in action.choices.items():
                        walk(child, f"{title} {name}")

        walk(parser, "ansinh")
        return out


def _resolve(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    """Resolve ``ansinh.Name`` re-exports, and short names that match exactly one documented object."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    domain = env.get_domain("py")
    objects = domain.objects  # type: ignore[attr-defined]
    canonical = _canonical(target)
    context = node.get("py:module")
    if canonical is None and context and not target.startswith("ansinh."):
        canonical = _canonical(f"{context}.{target.lstrip('~.')}")  # a short name in a module's docs
    if canonical is not None and canonical != target:
        entry = objects.get(canonical)
        if entry is None:
            return None
        return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, canonical)
    if not target or target.startswith("ansinh."):
        return None
    suffix = "." + target.lstrip("~.")
    hits = {name: e for name, e in objects.items() if name.endswith(suffix) and not e.aliased}
    if len(hits) != 1:
        return None
    ((name, entry),) = hits.items()
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, name)


def _plain_attribute_docs(
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Stop napoleon from reading ``"Số CCCD: 12 digits"`` as ``type: description``.

    Napoleon treats the text before the first colon of an attribute's
    docstring as its type; ansinh's attribute docstrings are prose (types come
    from annotations), so an empty comment goes first.
    """
    if what in {"attribute", "data", "property"} and any(":" in line for line in lines[:1]):
        lines[:0] = ["..", ""]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("ansinh-law-table", LawTable)
    app.add_directive("ansinh-programmes-table", ProgrammesTable)
    app.add_directive("ansinh-exports", Exports)
    app.add_directive("ansinh-cli-help", CliHelp)
    app.connect("missing-reference", _resolve)
    app.connect("autodoc-process-docstring", _plain_attribute_docs, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
