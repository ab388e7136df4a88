"""Structured macro exports: JSON, YAML and CSV files holding many macros.

Help desks export their macros (canned responses, saved replies, templates) as JSON
or CSV, and teams keep them in git as JSON or YAML. :func:`read_export` finds every
macro in such a file and returns it as a :class:`Macro`: its name, its text, and a
map from each character of the text back to the file, so a diagnostic points at
the right macro *and* the right line and column of the file, and a fix can be
written back into the file (escaped as the file's syntax needs).

Shapes recognised (nested anywhere, in lists or under keys such as ``macros``,
``data``, ``templates``, ``replies``):

- an object with a body field (``text``, ``body``, ``content``, ``message``,
  ``template``, ``reply``, ``response``, ``answer``; HTML bodies such as
  ``body_html`` or ``content_html`` when there is no plain one) and optionally a name
  (``title``, ``name``, ``id``), a language (``locale``, ``lang``, ``language``) and a
  ``marketplace``;
- Zendesk macros: ``actions: [{field: comment_value | comment_value_html, value}]``;
- Gorgias macros: ``actions: [{name: setResponseText, arguments: {body_text, body_html}}]``;
- a language map ``{en: "…", fr: "…"}`` (one macro per language);
- under a ``macros``/``templates``/``replies``/``snippets`` key, a map name → text;
- CSV: one macro per row, the body in a column named as above.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Literal

from .errors import InputError

ExportKind = Literal["json", "yaml", "csv"]
EXPORT_SUFFIXES: dict[str, ExportKind] = {
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".csv": "csv",
}

BODY_KEYS = (
    "text",
    "body_text",
    "body",
    "content",
    "message",
    "template",
    "reply",
    "response",
    "answer",
    "macro_text",
    "comment_value",
)
HTML_BODY_KEYS = ("body_html", "content_html", "html", "comment_value_html", "html_body")
NAME_KEYS = (
    "title",
    "name",
    "template_name",
    "macro_name",
    "response_name",
    "macro",
    "key",
    "slug",
    "shortcut",
    "id",
)
LANG_KEYS = ("locale", "lang", "language")
MARKET_KEYS = ("marketplace", "channel", "platform")
CONTAINER_KEYS = frozenset(
    {"macros", "templates", "replies", "snippets", "responses", "canned_responses", "saved_replies"}
)
_LANG_CODE = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2})?$")
_MARKETPLACES = frozenset({"amazon", "ebay", "walmart", "etsy", "shopify", "generic"})

Encoder = Callable[[str], "str | None"]


def export_kind(path: str | PurePath) -> ExportKind | None:
    return EXPORT_SUFFIXES.get(PurePath(path).suffix.lower())


@dataclass
class Macro:
    """One macro of an export: its text and where each character of it is in the file."""

    name: str
    text: str
    starts: list[int]  # file offset of each character of ``text``, plus the end
    encode: Encoder  # text → how the file spells it (None: cannot be written back)
    lang: str | None = None
    marketplace: str | None = None
    html: bool = False
    where: str = ""  # JSON path or CSV row, for messages

    def file_range(self, start: int, end: int) -> tuple[int, int]:
        """File offsets of the text range ``[start, end)``."""
        n = len(self.text)
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        return self.starts[start], self.starts[end] if end > start else self.starts[start]


# -- scalars that know where they are ------------------------------------------------


class _Located(str):
    """A string value read from the file, with a way to map it back."""

    locate: Callable[[], tuple[list[int], Encoder]]


def _located(value: str, locate: Callable[[], tuple[list[int], Encoder]]) -> _Located:
    out = _Located(value)
    out.locate = locate
    return out


def _align(raw: str, value: str, base: int, window: int = 24) -> list[int]:
    """Map each character of ``value`` to the raw text it was read from, in order.

    For syntaxes whose decoding only drops characters (indentation, quotes doubled,
    line folding), walking both texts side by side finds every character; an escape
    the walk cannot see through maps to the nearest position, never backwards.
    """
    starts: list[int] = []
    j = 0
    n = len(raw)
    for ch in value:
        k = j
        limit = min(n, j + window)
        while k < limit and raw[k] != ch and not (ch in " \n" and raw[k] in " \t\r\n"):
            k += 1
        if k < limit:
            starts.append(base + k)
            j = k + 1
        else:
            starts.append(base + min(j, n))
    starts.append(base + min(j, n))
    return starts


# -- JSON --------------------------------------------------------------------------------

_JSON_ESCAPE_LEN = {"u": 6}


def _json_map(text: str, start: int, end: int, value: str) -> list[int]:
    """Exact map for a JSON string literal whose content is ``text[start:end]``."""
    starts: list[int] = []
    i = start
    while i < end:
        starts.append(i)
        if text[i] == "\\":
            if text[i + 1] == "u":
                code = int(text[i + 2 : i + 6], 16)
                i += 6
                if 0xD800 <= code < 0xDC00 and text.startswith("\\u", i):
                    i += 6  # surrogate pair: one character
            else:
                i += 2
        else:
            i += 1
    starts.append(end)
    if len(starts) != len(value) + 1:  # pragma: no cover - defensive
        return _align(text[start:end], value, start)
    return starts


def _json_encode(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _load_json(text: str) -> Any:
    decoder = json.JSONDecoder()
    plain_scan: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]

    def parse_string(s: str, end: int, strict: bool) -> tuple[str, int]:
        value, new_end = plain_scan(s, end, strict)
        lit_start, lit_end = end, new_end - 1
        return _located(value, lambda: (_json_map(s, lit_start, lit_end, value), _json_encode)), new_end

    # The pure-Python scanner calls `parse_string` for every string value (the C one
    # does not), which is where each value learns its place in the file.
    decoder.parse_string = parse_string  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise InputError("JSON nested too deeply") from None


# -- YAML --------------------------------------------------------------------------------

_YAML_PLAIN_UNSAFE = re.compile(r"[\n\r]|: |\s#|^[\s\-?:,\[\]{}#&*!|>'\"%@`]|\s$")


def _yaml_scalar(text: str, node: Any) -> _Located:
    value: str = node.value
    start, end = node.start_mark.index, node.end_mark.index
    style = node.style

    def locate() -> tuple[list[int], Encoder]:
        raw = text[start:end]
        body_start = start
        if style in ("|", ">"):
            newline = raw.find("\n")
            body_start = start + (newline + 1 if newline != -1 else len(raw))
        elif style in ("'", '"'):
            body_start = start + 1
        starts = _align(text[body_start:end], value, body_start)
        encode: Encoder
        if style == "|":
            line_start = text.rfind("\n", 0, starts[0]) + 1
            indent = text[line_start : starts[0]] if value else ""
            indent = indent if not indent.strip() else ""

            def encode(r: str, indent: str = indent) -> str | None:
                return r.replace("\n", "\n" + indent)

        elif style == ">":

            def encode(r: str) -> str | None:
                return None if "\n" in r else r

        elif style == "'":

            def encode(r: str) -> str | None:
                return None if "\n" in r else r.replace("'", "''")

        elif style == '"':
            encode = _json_encode
        else:

            def encode(r: str) -> str | None:
                return r if not r or not _YAML_PLAIN_UNSAFE.search(r) else None

        return starts, encode

    return _located(value, locate)


def _load_yaml(text: str) -> Any:
    import yaml

    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))  # "---" separated
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"invalid YAML{where}: {problem}") from None

    def build(node: Any, depth: int = 0) -> Any:
        if depth > 200:
            raise InputError("YAML nested too deeply")
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    out[str(key.value)] = build(value, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(v, depth + 1) for v in node.value]
        if isinstance(node, yaml.ScalarNode):
            if node.tag.endswith(":str") or node.style is not None:
                return _yaml_scalar(text, node)
            return node.value  # numbers, booleans: never a macro body
        return None

    built = [build(doc) for doc in documents if doc is not None]
    return built[0] if len(built) == 1 else built


# -- CSV ---------------------------------------------------------------------------------


def _csv_rows(text: str) -> Iterator[tuple[int, list[tuple[str, int, int, bool]]]]:
    """RFC 4180 rows with positions: (line, [(value, raw start, raw end, quoted)])."""
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    i, n, line = 0, len(text), 1
    while i < n:
        row: list[tuple[str, int, int, bool]] = []
        row_line = line
        while True:
            if i < n and text[i] == '"':
                j = i + 1
                parts = []
                seg = j
                while True:
                    q = text.find('"', j)
                    if q == -1:
                        raise InputError(f"invalid CSV: unclosed quote on line {row_line}")
                    if q + 1 < n and text[q + 1] == '"':
                        j = q + 2
                        continue
                    parts.append(text[seg:q])
                    break
                raw_start, raw_end = i + 1, q
                value = "".join(parts).replace('""', '"')
                line += text.count("\n", i, q)
                i = q + 1
                row.append((value, raw_start, raw_end, True))
                # Anything up to the delimiter after a closing quote is kept as is.
                while i < n and text[i] not in (delimiter, "\n", "\r"):
                    i += 1
            else:
                j = i
                while j < n and text[j] not in (delimiter, "\n", "\r"):
                    j += 1
                row.append((text[i:j], i, j, False))
                i = j
            if i < n and text[i] == delimiter:
                i += 1
                continue
            break
        if i < n and text[i] == "\r":
            i += 1
        if i < n and text[i] == "\n":
            i += 1
            line += 1
        if any(v.strip() for v, *_ in row):
            yield row_line, row


def _csv_quoted_map(text: str, start: int, end: int, value: str) -> list[int]:
    starts = []
    i = start
    while i < end:
        starts.append(i)
        i += 2 if text[i] == '"' else 1
    starts.append(end)
    return starts if len(starts) == len(value) + 1 else _align(text[start:end], value, start)


def _column_key(name: str) -> str:
    """ "Template Name", "template-name" and "template_name" are one column."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _read_csv(text: str) -> list[Macro]:
    rows = _csv_rows(text)
    try:
        _, header = next(rows)
    except StopIteration:
        return []
    columns = [_column_key(v) for v, *_ in header]

    def pick(keys: tuple[str, ...]) -> int | None:
        for key in keys:
            if key in columns:
                return columns.index(key)
        return None

    body_col = pick(BODY_KEYS)
    html = False
    if body_col is None:
        body_col = pick(HTML_BODY_KEYS)
        html = body_col is not None
    if body_col is None:
        return []
    name_col, lang_col, market_col = pick(NAME_KEYS), pick(LANG_KEYS), pick(MARKET_KEYS)
    delimiter_safe = re.compile(r'[",;\t|\r\n]')
    macros = []
    for line, row in rows:
        if body_col >= len(row):
            continue
        value, raw_start, raw_end, quoted = row[body_col]
        if not value.strip():
            continue

        def cell(col: int | None, row: list[tuple[str, int, int, bool]] = row) -> str | None:
            if col is None or col >= len(row):
                return None
            return row[col][0].strip() or None

        if quoted:
            starts = _csv_quoted_map(text, raw_start, raw_end, value)

            def encode(r: str) -> str | None:
                return r.replace('"', '""')

        else:
            starts = list(range(raw_start, raw_end + 1))

            def encode(r: str) -> str | None:
                return None if delimiter_safe.search(r) else r

        market = (cell(market_col) or "").lower()
        macros.append(
            Macro(
                name=cell(name_col) or f"row {line}",
                text=value,
                starts=starts,
                encode=encode,
                lang=_lang_value(cell(lang_col)),
                marketplace=market if market in _MARKETPLACES else None,
                html=html,
                where=f"line {line}",
            )
        )
    return macros


# -- finding macros in a tree ----------------------------------------------------------


def _lang_value(value: Any) -> str | None:
    if isinstance(value, str) and _LANG_CODE.match(value.strip()):
        return value.strip().replace("_", "-")
    return None


def _first_str(obj: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any] | None:
    lowered = {k.lower(): k for k in obj}
    for key in keys:
        real = lowered.get(key)
        if real is not None:
            value = obj[real]
            if isinstance(value, list):  # Zendesk sometimes wraps a value in a list
                strings = [v for v in value if isinstance(v, str)]
                value = strings[-1] if strings else None
            if isinstance(value, str) and value.strip():
                return real, value
    return None


def _name_of(obj: dict[str, Any], fallback: str) -> str:
    lowered = {k.lower(): k for k in obj}
    for key in NAME_KEYS:
        real = lowered.get(key)
        if real is not None and isinstance(obj[real], str | int) and str(obj[real]).strip():
            return str(obj[real]).strip()
    return fallback


def _action_body(obj: dict[str, Any]) -> tuple[Any, bool] | None:
    """The reply text of a Zendesk or Gorgias macro's actions."""
    actions = obj.get("actions")
    if not isinstance(actions, list):
        return None
    plain: Any = None
    html: Any = None
    for action in actions:
        if not isinstance(action, dict):
            continue
        field_name = action.get("field")
        if field_name == "comment_value":
            found = _first_str(action, ("value",))
            plain = plain or (found[1] if found else None)
        elif field_name == "comment_value_html":
            found = _first_str(action, ("value",))
            html = html or (found[1] if found else None)
        elif action.get("name") in ("setResponseText", "set_response_text"):
            args = action.get("arguments")
            if isinstance(args, dict):
                found = _first_str(args, ("body_text", "text"))
                plain = plain or (found[1] if found else None)
                found = _first_str(args, ("body_html", "html"))
                html = html or (found[1] if found else None)
    if plain is not None:
        return plain, False
    if html is not None:
        return html, True
    return None


@dataclass
class _Found:
    name: str
    value: Any
    lang: str | None
    marketplace: str | None
    html: bool
    where: str


def _walk(node: Any, where: str, under_container: bool = False) -> Iterator[_Found]:
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    lang_found = _first_str(node, LANG_KEYS)
    lang = _lang_value(lang_found[1]) if lang_found else None
    market_found = _first_str(node, MARKET_KEYS)
    market = market_found[1].strip().lower() if market_found else None
    market = market if market in _MARKETPLACES else None
    name = _name_of(node, where or "macro")
    action = _action_body(node)
    if action is not None:
        yield _Found(name, action[0], lang, market, action[1], where)
        return
    body = _first_str(node, BODY_KEYS)
    html = False
    if body is None:
        body = _first_str(node, HTML_BODY_KEYS)
        html = body is not None
    if body is not None and not isinstance(node.get(body[0]), dict):
        yield _Found(name, body[1], lang, market, html, where)
        return
    # {en: "…", fr: "…"}: one macro per language.
    if node and all(_lang_value(k) for k in node) and all(isinstance(v, str) for v in node.values()):
        for key, value in node.items():
            yield _Found(where or "macro", value, _lang_value(key), None, False, f"{where}.{key}")
        return
    for key, value in node.items():
        path = f"{where}.{key}" if where else key
        if under_container and isinstance(value, str) and value.strip():
            yield _Found(key, value, None, None, False, path)
        elif isinstance(value, dict | list):
            yield from _walk(value, path, key.lower() in CONTAINER_KEYS)


def read_export(text: str, kind: ExportKind) -> list[Macro]:
    """Every macro in an export file's text (raises :class:`InputError` if unreadable)."""
    if kind == "csv":
        return _read_csv(text)
    tree = _load_json(text) if kind == "json" else _load_yaml(text)
    macros = []
    for found in _walk(tree, "", False):
        value = found.value
        if not isinstance(value, _Located):
            continue
        starts, encode = value.locate()
        macros.append(
            Macro(
                name=found.name,
                text=str(value),
                starts=starts,
                encode=encode,
                lang=found.lang,
                marketplace=found.marketplace,
                html=found.html,
                where=found.where,
            )
        )
    return macros
