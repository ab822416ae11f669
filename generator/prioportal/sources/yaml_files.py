"""Reading YAML files into plain data, keeping where every value stands in the file.

PyYAML's safe loader implements YAML 1.1, where `no` (the language code, or a Norwegian
answer) silently becomes False and `12:30` becomes 750. This loader resolves only the YAML
1.2 core forms: true/false, null, integers, floats; everything else stays a string, and
dates are parsed by the model where a bad one can be reported with its position.

Data is read by a fast YAML 1.2 parser (yaml-rs, in Rust) when the text holds nothing it could
read differently from these rules, and by PyYAML otherwise; PyYAML also reports every problem.
Positions are only needed to report a problem, so they are computed on demand by composing the
file a second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from prioportal.problems import Problem, T, Text
from prioportal.sources.indentation import indentation_problem

try:  # about ten times faster than PyYAML's Python constructor; optional, the result is the same
    import yaml_rs
except ImportError:  # pragma: no cover - yaml-rs is a dependency, but the careful path suffices
    yaml_rs = None

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 2_000_000

Mark = tuple[int, int]  # 1-based line and column
FieldPath = tuple[str | int, ...]


class _PortalLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader with YAML 1.2 core scalars and no duplicate keys."""


_PortalLoader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", list("-+.0123456789")),
):
    _PortalLoader.add_implicit_resolver(_tag, re.compile(_regexp), _first)


class DuplicateKey(Exception):
    def __init__(self, key: str, line: int, column: int):
        self.key, self.line, self.column = key, line, column


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, T("a field name must be a plain word, not a list or a mapping"), key_node.start_mark)
        if key_node.tag != "tag:yaml.org,2002:str":
            raise yaml.constructor.ConstructorError(
                None, None, T("the field name '{name}' is a number or true/false, not a word", name=key_node.value),
                key_node.start_mark)
        key = key_node.value
        if key in seen:
            mark = key_node.start_mark
            raise DuplicateKey(str(key), mark.line + 1, mark.column + 1)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_PortalLoader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: _construct_mapping(loader, node, deep=True))

MAX_DIGITS = 30  # more than any amount, rank or year; Python refuses to parse over 4300


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    # YAML 1.1 reads 0400000 as octal (131072); a communicator means four hundred thousand.
    text = node.value.replace("_", "")
    digits = text.lstrip("+-")
    if len(digits) > MAX_DIGITS:
        raise yaml.constructor.ConstructorError(None, None, T("the number has {digits} digits, far too many",
                                                              digits=len(digits)),
                                                node.start_mark)
    return int(text, 10)


_PortalLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


@dataclass
class Document:
    """One YAML file: its data, and where each value stands in the text."""

    path: Path
    shown_as: str
    text: str
    data: Any
    # Paths of values the model could not take as written (left as a placeholder, or not valid):
    # `checks.documents.parse_document` reads the file with a stand-in there, so that the checks
    # across files still run on the rest, and those checks leave these paths alone.
    unknown: frozenset = frozenset()

    @cached_property
    def _marks(self) -> tuple[dict[FieldPath, Mark], dict[FieldPath, Mark]]:
        values: dict[FieldPath, Mark] = {}
        keys: dict[FieldPath, Mark] = {}
        root = yaml.compose(self.text, Loader=_PortalLoader)
        if root is not None:
            _index(root, (), values, keys)
        return values, keys

    def locate(self, path: FieldPath, *, key: bool = False) -> Mark:
        """Position of the value at `path`, or of the nearest enclosing value that exists."""
        values, keys = self._marks
        if key and path in keys:
            return keys[path]
        probe = tuple(path)
        while probe:
            if probe in values:
                return values[probe]
            probe = probe[:-1]
        return values.get((), (1, 1))

    def without_data(self) -> "Document":
        """The same file without its parsed data, which only the checks of the file itself need."""
        return Document(self.path, self.shown_as, self.text, None, self.unknown)

    def problem(self, path: FieldPath, message: str, advice: str, *, key: bool = False,
                severity: Any = None) -> Problem:
        line, column = self.locate(path, key=key)
        extra = {} if severity is None else {"severity": severity}
        return Problem(self.shown_as, line, column, message, advice, **extra)


def _index(node: yaml.Node, path: FieldPath, values: dict, keys: dict) -> None:
    values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = path + (key_node.value,)
            keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _index(value_node, child, values, keys)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, path + (i,), values, keys)


@dataclass
class LoadResult:
    document: Document | None
    problems: list[Problem] = field(default_factory=list)


def load_yaml(path: Path, shown_as: str) -> LoadResult:
    """Read one YAML file; every failure becomes a Problem, never an exception."""
    def fail(line: int, column: int, message: str, advice: str) -> LoadResult:
        return LoadResult(None, [Problem(shown_as, line, column, message, advice)])

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(1, 1, T("the file is {size} MB, larger than a decision file can be", size=size // 1_000_000),
                        T("split it up or remove pasted content; the limit is 2 MB"))
        raw = path.read_bytes()
    except OSError as exc:
        return fail(1, 1, T("the file cannot be read ({reason})", reason=exc.strerror),
                    T("check that it exists and is readable"))

    text, encoding_problem = _decode(raw)
    if encoding_problem:
        return fail(*encoding_problem)
    try:
        data = parse_yaml(text)
    except YamlProblem as problem:
        return fail(problem.line, problem.column, problem.message, problem.advice)
    if data is None:
        return fail(1, 1, T("the file is empty"), T("fill it in, or delete it if it is not needed"))
    if not isinstance(data, dict):
        return fail(1, 1, T("the file should start with fields (name: value), not a list or a single value"),
                    T("begin the file with e.g. 'id: ...' at the left margin"))
    return LoadResult(Document(path, shown_as, text, data))


class YamlProblem(Exception):
    """Why a YAML text cannot be read, and where (1-based)."""

    def __init__(self, line: int, column: int, message: str, advice: str):
        super().__init__(message)
        self.line, self.column, self.message, self.advice = line, column, message, advice


# Anything the fast parser could read differently from the portal's rules sends the text to the
# careful path: tabs and control characters, U+2028 and U+2029 (line breaks to PyYAML only),
# directives and document markers, merge keys, a tag, anchor, alias, flow collection or explicit
# key (`? `) where a value starts, and number forms (0o17, 0x1F, 0b101, .inf, and any with an
# underscore, such as 1_000 or _3) that yaml-rs reads as numbers but the portal keeps as text.
# The test runs on every file a build reads, so it is made of whole-text passes done in C: one
# `bytes.translate` leaves only the rare bytes that can matter (in UTF-8 every control character
# above ASCII begins with \xc2, and byte-order marks and surrogates with \xef and \xed), a few
# plain searches cover the rest, and the rare hits are then checked one by one.
_CONTROL = re.compile("[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
_CONTROL_BYTES = frozenset(b"\t\x0b\x0c\x7f\xc2\xed\xef" + bytes(range(0x09)) + bytes(range(0x0e, 0x20)))
_COMMON_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES and b not in b"%<!&*[{?")
_STARTS_A_NODE = re.compile("[!&*[{?]")
_NUMBER_PREFIX = re.compile("0[oOxXbB]")
_SPECIAL_FLOAT = re.compile(r"\.(?:inf|Inf|INF|nan|NaN|NAN)")
_NUMBER_CHARS = frozenset("0123456789._eE+-")
_DIGITS = frozenset("0123456789")
_STARTS_A_VALUE = ":-?[{,"
_MAX_INT = 10 ** MAX_DIGITS


def _needs_careful_parse(text: str) -> bool:
    if text.startswith(("%", "---", "...")) or "\n---" in text or "\n..." in text:
        return True
    if "\u2028" in text or "\u2029" in text:
        return True  # line breaks to PyYAML (YAML 1.1), not to yaml-rs
    rare = text.encode("utf-8", "surrogatepass").translate(None, _COMMON_BYTES)
    if rare and _rare_characters_matter(text, frozenset(rare)):
        return True
    return bool(_SPECIAL_FLOAT.search(text)) or _prefixed_number(text) or _underscore_in_a_number(text)


def _rare_characters_matter(text: str, rare: frozenset[int]) -> bool:
    if not rare.isdisjoint(_CONTROL_BYTES) and _CONTROL.search(text):
        return True
    if (ord("%") in rare and "\n%" in text) or (ord("<") in rare and "<<" in text):
        return True
    for match in _STARTS_A_NODE.finditer(text):
        at = match.start()
        if text[at] in "*&" and text[at + 1:at + 2] in ("", " ", "\n", "\r", "\t"):
            continue  # no alias or anchor: a Markdown list item, or an error yaml-rs reports too
        before = text[max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1:at].rstrip(" ")
        if not before or before[-1] in _STARTS_A_VALUE:
            return True
    return False


def _prefixed_number(text: str) -> bool:
    """0o17, 0x1F, 0b101 (with a sign too) where a value starts; a colour such as #0b4f7c is none."""
    for match in _NUMBER_PREFIX.finditer(text):
        start = match.start()
        if start and text[start - 1] in "+-":
            start -= 1
        if not (start and (text[start - 1].isalnum() or text[start - 1] in "#_")):
            return True
    return False


def _underscore_in_a_number(text: str) -> bool:
    """yaml-rs drops underscores from anything number-like (`1_000`, `_3`, `9._`); keys such as
    `year_1` are words, and stay on the fast path."""
    at = text.find("_")
    while at != -1:
        start, end = at, at + 1
        while start and text[start - 1] in _NUMBER_CHARS:
            start -= 1
        if not (start and text[start - 1].isalnum()):
            while end < len(text) and text[end] in _NUMBER_CHARS:
                end += 1
            if not _DIGITS.isdisjoint(text[start:end]):
                return True
        at = text.find("_", end)
    return False


def _fast_parse(text: str) -> tuple[bool, Any]:
    """(True, data) when the fast parser read the text exactly as the portal's rules would."""
    if yaml_rs is None or _needs_careful_parse(text):
        return False, None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001 - any refusal is reported, with its position, by PyYAML
        return False, None
    last = _last_text(data)
    if last.endswith("\n") and (not text.endswith("\n") or not last.strip("\n")):
        # yaml-rs ends a block text that ends the file with a line break: one the file lacks,
        # or where the text is empty
        return False, None
    return _as_the_portal_reads(data), data


def _last_text(data: Any) -> str:
    """The text that ends the document ("" if it ends otherwise)."""
    while type(data) is dict or type(data) is list:
        if not data:
            return ""
        if type(data) is list:
            data = data[-1]
            continue
        key = next(reversed(data))
        if type(key) is str and key.endswith("\n"):
            return key  # an explicit key (`? |`) with nothing after it
        data = data[key]
    return data if type(data) is str else ""


def _as_the_portal_reads(data: Any) -> bool:
    """Field names are words (the portal refuses `1:` or `true:`), and no number is absurdly long."""
    stack = [data] if type(data) in (dict, list) else []
    while stack:
        item = stack.pop()
        values = item.values() if type(item) is dict else item
        if type(item) is dict and not all(type(key) is str for key in item):
            return False
        for value in values:
            kind = type(value)
            if kind is dict or kind is list:
                stack.append(value)
            elif kind is int and not -_MAX_INT < value < _MAX_INT:
                return False
    return True


def parse_yaml(text: str) -> Any:
    """Plain data from YAML text, with the portal's rules: YAML 1.2 scalars, decimal integers,
    no duplicate keys, no tabs for indentation, no anchors, aliases or tags.
    Every failure is a YamlProblem, never another exception."""
    fast, data = _fast_parse(text)
    if fast:
        return data
    return _careful_parse(text)


def _careful_parse(text: str) -> Any:
    def fail(line: int, column: int, message: str, advice: str) -> YamlProblem:
        return YamlProblem(line, column, message, advice)

    if "\t" in text:
        for n, line in enumerate(text.splitlines(), 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                raise fail(n, len(line) - len(stripped) + 1, T("a tab is used for indentation"),
                           T("indent with spaces only (two per level)"))
    if "*" in text or "&" in text or "!" in text:
        found = _find_special(text)
        if found:
            line, column, what = found
            if what == "tag":
                raise fail(line, column, T("YAML tags (!name, !!type) are not allowed here"),
                           T("remove the tag and write the value as plain text or a number"))
            raise fail(line, column, T("YAML anchors and aliases (&name, *name) are not allowed here"),
                       T("write the value out in full"))
    try:
        return yaml.load(text, Loader=_PortalLoader)
    except DuplicateKey as dup:
        raise fail(dup.line, dup.column, T("the field '{name}' appears twice in the same place", name=dup.key),
                   T("keep one of them and delete the other")) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = format(exc.character, "04x")
        raise fail(line, column, T("the file contains an invisible control character (#x{code})", code=code),
                   T("delete it; it often comes from copying text out of another program")) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or ""
        indentation = indentation_problem(text, line, column, str(reason))
        if indentation is not None:
            raise fail(*indentation) from None
        raise fail(line, column, T("the YAML cannot be read: {reason}", reason=_reason(reason)),
                   _syntax_advice(exc)) from None
    except yaml.YAMLError as exc:
        raise fail(1, 1, T("the YAML cannot be read: {reason}", reason=_reason(str(exc).splitlines()[0])),
                   T("check the file's indentation and quotes")) from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a constructor refused a value
        raise fail(1, 1, T("a value cannot be read ({reason})", reason=str(exc)),
                   T("check numbers and dates in the file")) from None
    except RecursionError:
        raise fail(1, 1, T("the file is nested too deeply"), T("a decision file needs only a few levels")) from None


def _decode(raw: bytes) -> tuple[str, tuple[int, int, str, str] | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        return "", (1, 1, T("the file is saved as UTF-16, or is not a text file"), T("save it as UTF-8 in your editor"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return "", (line, column, T("the file is not UTF-8 (perhaps Latin-1 or Windows-1252)"),
                    T("save it as UTF-8 in your editor"))


def _find_special(text: str) -> tuple[int, int, str] | None:
    """The first anchor, alias or explicit tag: aliases can blow up memory, and tags make the
    parser build types a communicator never means."""
    try:
        for event in yaml.parse(text, Loader=_PortalLoader):
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return mark.line + 1, mark.column + 1, "alias"
            tag = getattr(event, "tag", None)
            implicit = getattr(event, "implicit", True)
            explicit = implicit is False or (isinstance(implicit, tuple) and not any(implicit))
            if tag and explicit:
                return mark.line + 1, mark.column + 1, "tag"
    except yaml.YAMLError:
        return None  # reported as a syntax error by the real load
    return None


def _syntax_advice(exc: yaml.MarkedYAMLError) -> Text:
    problem = f"{exc.problem or ''} {exc.context or ''}"
    if "mapping values are not allowed" in problem:
        return T("a text containing ': ' must be quoted, or written as a block with '|' on the line before")
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return T("check that this line is indented like the fields around it")
    if "found character that cannot start any token" in problem:
        return T("quote the value, e.g. title: \"...\"")
    if "could not find expected ':'" in problem:
        return T("each field needs a colon and a space after its name, e.g. title: ...")
    return T("check the indentation and quotes on this line and the one before")


# What PyYAML says most often, in words a translator can give in the portal's language; anything
# else it says is quoted as it is.
_REASONS = {
    "mapping values are not allowed in this context": T("mapping values are not allowed in this context"),
    "mapping values are not allowed here": T("mapping values are not allowed here"),
    "did not find expected key": T("did not find expected key"),
    "did not find expected '-' indicator": T("did not find expected '-' indicator"),
    "could not find expected ':'": T("could not find expected ':'"),
    "found character that cannot start any token": T("found character that cannot start any token"),
    "found unexpected end of stream": T("found unexpected end of stream"),
    "expected <block end>, but found '<block mapping start>'":
        T("expected <block end>, but found '<block mapping start>'"),
    "expected <block end>, but found '<block sequence start>'":
        T("expected <block end>, but found '<block sequence start>'"),
    "expected <block end>, but found '-'": T("expected <block end>, but found '-'"),
    "expected <block end>, but found '<scalar>'": T("expected <block end>, but found '<scalar>'"),
}


def _reason(reason: object) -> object:
    """PyYAML's reason in the reader's words where it is a common one; ours (a `Text`) as it is."""
    return reason if isinstance(reason, Text) else _REASONS.get(str(reason), str(reason))
