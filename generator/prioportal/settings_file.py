"""Reading mkdocs.yml as data: a safe YAML loader, where each value is written, every option checked.

MkDocs reads mkdocs.yml with PyYAML's full loader, where a `!!python/...` tag runs a command
while the file is read. prioportal never asks MkDocs to read it: this module reads it with
PyYAML's safe loader, which builds only plain data, and allows only the two tags MkDocs
documents for configuration (`!ENV`, `!relative`); any other tag is refused at its line before
anything is made from the file. Options that make MkDocs import Python code (`hooks`,
`markdown_extensions`) are refused too: the portal's pages do not use them.

It also keeps where each key and value is written, so that every problem with a setting points
at its line and column, and it checks every option against its declaration (the MkDocs options
at the top, the prioportal plugin's options and their sub-sections): an option nobody declared,
a misspelling, is an error, not a setting silently ignored.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import mergedeep  # type: ignore[import-untyped]
import yaml
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import get_yaml_loader

from prioportal.problems import InvalidPortal, Problem, T, Text, UsageError, display_path
from prioportal.settings_options import site_url_problem

PLUGIN = "prioportal"
ALLOWED_TAGS = ("!ENV", "!relative")
# MkDocs options that import Python code named in mkdocs.yml; prioportal renders every page
# itself, so they would only run code and change nothing on the site.
CODE_OPTIONS = ("hooks", "markdown_extensions", "mdx_configs")
ADVICE = T("compare with the example in the README, section 'Settings in mkdocs.yml'")


@dataclass(frozen=True)
class Where:
    path: str
    line: int
    column: int


@dataclass
class Positions:
    """Where each key and value of mkdocs.yml is written, by its path of keys and list indexes
    (("plugins", 0, "prioportal", "brand", "logo")); `plugin` is the path of the prioportal
    plugin's options."""

    shown: str
    keys: dict[tuple, Where] = field(default_factory=dict)
    values: dict[tuple, Where] = field(default_factory=dict)
    mappings: set[tuple] = field(default_factory=set)  # the paths whose value is a section (a mapping)
    twice: list[Problem] = field(default_factory=list)  # keys written twice in one section
    plugin: tuple = ("plugins",)

    def key(self, path: Iterable) -> Where:
        """Where the key of `path` is written; for a key not written, the nearest one around it."""
        path = tuple(path)
        while path:
            if path in self.keys:
                return self.keys[path]
            path = path[:-1]
        return Where(self.shown, 1, 1)

    def value(self, path: Iterable) -> Where:
        path = tuple(path)
        return self.values.get(path) or self.key(path)

    def option(self, *names: Any) -> tuple:
        return self.plugin + names

    def problem(self, where: Where, message: str, advice: str = ADVICE) -> Problem:  # message, advice: T(...)
        return Problem(where.path, where.line, where.column, message, advice)


class _RefusedTag(Exception):
    def __init__(self, tag: str, mark: yaml.Mark):
        super().__init__(tag)
        self.tag, self.mark = tag, mark


class _SafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses every tag but MkDocs' two, and notes what the positions
    of the keys need: the value each key became, and keys written twice."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self.key_values: dict[int, Any] = {}
        self.twice: list[tuple[str, yaml.Mark]] = []

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in ALLOWED_TAGS:
            raise _RefusedTag(tag, event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if (key_node.tag, key_node.value) in seen:
                    self.twice.append((key_node.value, key_node.start_mark))
                seen.add((key_node.tag, key_node.value))
        mapping = super().construct_mapping(node, deep=deep)
        for key_node, _ in node.value:
            self.key_values[id(key_node)] = self.construct_object(key_node)  # already made: the same object
        return mapping


def _where(shown: str, mark: yaml.Mark) -> Where:
    return Where(shown, mark.line + 1, mark.column + 1)


def _note_positions(node: Any, path: tuple, loader: _SafeLoader, positions: Positions, shown: str) -> None:
    """Every key's and value's position below `node`; a node reached again through an alias is
    not walked again (its positions are those where it was first written)."""
    seen: set[int] = set()
    stack = [(node, path)]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            positions.mappings.add(path)
            for key_node, value_node in node.value:
                key = loader.key_values.get(id(key_node), getattr(key_node, "value", None))
                try:
                    hash(key)
                except TypeError:
                    continue
                inner = path + (key,)
                positions.keys.setdefault(inner, _where(shown, key_node.start_mark))
                positions.values.setdefault(inner, _where(shown, value_node.start_mark))
                stack.append((value_node, inner))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                inner = path + (index,)
                positions.keys.setdefault(inner, _where(shown, item.start_mark))
                positions.values.setdefault(inner, _where(shown, item.start_mark))
                stack.append((item, inner))


def _yaml_problem(shown: str, text: str, exc: Exception) -> Problem:
    if isinstance(exc, _RefusedTag):
        tag = exc.tag.replace("tag:yaml.org,2002:", "!!")
        return Problem(shown, exc.mark.line + 1, exc.mark.column + 1,
                       T("the tag '{tag}' is not allowed in mkdocs.yml: it holds settings, not code", tag=tag),
                       T("remove the tag (write a text in quotes); only !ENV and !relative are read"))
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(exc, yaml.reader.ReaderError):
        before = text[:exc.position]
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
    else:
        line, column = 1, 1
    what = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    context = getattr(exc, "context", None)
    reason = "%s: %s" % (context, what) if context else what
    return Problem(shown, line, column, T("mkdocs.yml cannot be read ({reason})", reason=reason),
                   T("check the indentation and quotes on this line and the one before"))


def _read_yaml(path: Path, root: Path, config: MkDocsConfig, positions: Positions, inherited: tuple = ()) -> dict:
    """The mapping in the YAML file `path`, read safely, with its positions noted; a file it
    INHERITs (as MkDocs allows) is read the same way and merged under it."""
    shown = display_path(path, root) if inherited else path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidPortal([Problem(shown, 1, 1, T("the file cannot be read ({reason})", reason=exc.strerror),
                                     T("check that it exists and can be read"))]) from None
    text = data.decode("utf-8", errors="replace")
    node = loader = None
    try:
        loader = get_yaml_loader(loader=_SafeLoader, config=config)(data)  # reads the first characters
        node = loader.get_single_node()
        result = loader.construct_document(node) if node is not None else {}
    except (yaml.YAMLError, _RefusedTag, RecursionError) as exc:
        raise InvalidPortal([_yaml_problem(shown, text, exc)]) from None
    except Exception as exc:  # !ENV or !relative with a value they cannot take (MkDocs raises its own)
        where = Where(shown, node.start_mark.line + 1, 1) if node is not None else Where(shown, 1, 1)
        raise InvalidPortal([positions.problem(where, T("mkdocs.yml cannot be read ({reason})", reason=exc))]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if result is None:
        result = {}
    if not isinstance(result, dict):
        raise InvalidPortal([Problem(shown, 1, 1, T("mkdocs.yml does not hold settings (option: value lines)"),
                                     ADVICE)])
    positions.twice += [Problem(shown, mark.line + 1, mark.column + 1, T("'{key}' is written twice here", key=key),
                                T("keep one of them: only the last would count")) for key, mark in loader.twice]
    mine = Positions(shown)
    if node is not None:
        _note_positions(node, (), loader, mine, shown)
    parent = result.pop("INHERIT", None)
    if parent is not None:
        at = mine.value(("INHERIT",))
        target = (path.parent / str(parent)).resolve() if isinstance(parent, str) else None
        if target is None or not target.is_file() or target in inherited or target == path.resolve():
            raise InvalidPortal([mine.problem(at, T("INHERIT: '{file}' is not a settings file that can be read",
                                                    file=parent),
                                              T("name an existing file, which does not inherit this one"))])
        result = mergedeep.merge(_read_yaml(target, root, config, positions, inherited + (path.resolve(),)), result)
        # A value this file sets replaces the inherited one whole, unless both are sections (merged).
        for known in [p for p in positions.values
                      if any(p[:n] in mine.values and p[:n] not in mine.mappings for n in range(1, len(p) + 1))]:
            positions.keys.pop(known, None)
            positions.values.pop(known, None)
    positions.keys.update(mine.keys)
    positions.values.update(mine.values)
    positions.mappings |= mine.mappings
    return result


def _close(name: object, choices: Iterable[str]) -> Text:
    close = difflib.get_close_matches(str(name), list(choices), n=1, cutoff=0.6)
    return (T("did you mean '{suggestion}'?", suggestion=close[0]) if close
            else T("remove it, or write one of: {choices}", choices=", ".join(choices)))


_A_NUMBER, _A_TEXT, _A_LIST, _A_SECTION = T("a number"), T("a text"), T("a list"), T("a section of options")
_TRUE_OR_FALSE = T("true or false")


def _kind(value: object) -> Text:
    if value is None:
        return T("empty")
    if isinstance(value, bool):
        return _TRUE_OR_FALSE
    return {int: _A_NUMBER, float: _A_NUMBER, str: _A_TEXT, list: _A_LIST, dict: _A_SECTION}.get(
        type(value), T("a value of another kind (such as a !relative path)"))


_WANTED = {str: _A_TEXT, int: T("a whole number"), bool: _TRUE_OR_FALSE, dict: _A_SECTION, list: _A_LIST}


def _said_by(error: Exception) -> object:
    """What a validation error says: the option's own `T(...)` where it has one (str() of the
    error would keep only its English)."""
    return error.args[0] if len(error.args) == 1 and isinstance(error.args[0], Text) else str(error)


def _message(option: c.BaseConfigOption, value: object, error: Exception) -> object:
    """The validation error in words for a communicator; MkDocs' own ("Expected type: <class
    'str'> but received: <class 'int'>") names Python types."""
    inner = getattr(option, "option", option)  # c.Optional wraps the option
    wanted = getattr(inner, "_type", None)
    if value is None and "Required" in str(error):
        return T("it is missing")
    if isinstance(wanted, type) and wanted in _WANTED and not isinstance(value, wanted):
        if wanted is str and isinstance(value, (bool, int, float)):
            return T("it should be {wanted}, not {found} (write it in quotes)", wanted=_WANTED[wanted],
                     found=_kind(value))
        return T("it should be {wanted}, not {found}", wanted=_WANTED[wanted], found=_kind(value))
    if isinstance(inner, c.Choice) and not isinstance(value, (list, dict)):
        return T("'{value}' is not one of: {choices}", value=value, choices=", ".join(map(str, inner.choices)))
    return _said_by(error)


def _items(option: c.BaseConfigOption) -> c.BaseConfigOption | None:
    inner = getattr(option, "option", option)
    return inner.option_type if isinstance(inner, c.ListOfItems) else None


def check_options(schema: type[Config], data: object, path: tuple, positions: Positions, title: str) -> list[Problem]:
    """Every problem with the options `data` gives for the Config class `schema`, each at its
    line: options not declared (with the nearest declared one), values that do not validate,
    and the same for every sub-section and list item."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return [positions.problem(positions.value(path), T("{title} should be a section of options, not {found}",
                                                           title=title, found=_kind(data)),
                                  T("write its options on the lines below it, indented"))]
    declared = dict(schema._schema)
    found = []
    for key in data:
        if key not in declared:
            found.append(positions.problem(positions.key(path + (key,)),
                                           T("'{key}' is not an option of {title}", key=key, title=title),
                                           _close(key, declared)))
    for key, option in declared.items():
        name = key if title == PLUGIN else f"{title}.{key}"  # as the README's example nests it
        value = data[key] if key in data else option.default  # as MkDocs fills in an option not written
        where = path + (key,)
        if isinstance(option, c.SubConfig) and isinstance(getattr(option, "config_class", None), type):
            found += check_options(option.config_class, value, where, positions, key)
            continue
        items = _items(option)
        if items is not None and value is not None and not isinstance(value, list):
            found.append(positions.problem(positions.value(where),
                                           _not_valid(name, T("it should be {wanted}, not {found}", wanted=_A_LIST,
                                                              found=_kind(value))),
                                           T("write the items in brackets, [a, b], or each on a line of its own "
                                             "after '- '")))
            continue
        if items is not None and value is not None:
            for index, item in enumerate(value):
                try:
                    items.validate(item)
                except c.ValidationError as exc:
                    found.append(positions.problem(positions.value(where + (index,)),
                                                   _not_valid(name, _message(items, item, exc))))
            continue
        try:
            option.validate(value)
        except c.ValidationError as exc:
            at = positions.value(where) if key in data else positions.key(path)
            found.append(positions.problem(at, _not_valid(name, _message(option, value, exc))))
        option.reset_warnings()
    return found


NOT_ENABLED, ENABLE = T("the prioportal plugin is not enabled"), T("add '- prioportal:' under 'plugins:'")


def _not_valid(name: str, what: object) -> Text:
    return T("the setting is not valid: {name}: {what}", name=name, what=what)


def plugin_options(data: dict, positions: Positions) -> tuple[dict | None, list[Problem]]:
    """The prioportal plugin's options as written under `plugins:` (a list of names and
    name: options, or a mapping), with `positions.plugin` set to where they are."""
    plugins = data.get("plugins")
    entries = (list(enumerate(plugins)) if isinstance(plugins, list)
               else [(None, {k: v}) for k, v in plugins.items()] if isinstance(plugins, dict) else [])
    for index, entry in entries:
        prefix = ("plugins",) if index is None else ("plugins", index)
        if entry == PLUGIN:
            positions.plugin = prefix
            return {}, []
        if isinstance(entry, dict) and PLUGIN in entry:
            positions.plugin = prefix + (PLUGIN,)
            return entry[PLUGIN], []
    return None, [Problem(positions.shown, positions.key(("plugins",)).line, 1, NOT_ENABLED, ENABLE)]


def check_file(data: dict, positions: Positions, schema: type[Config]) -> list[Problem]:
    """The problems of mkdocs.yml that MkDocs would not report, or only as a warning: options
    that are not MkDocs' (misspelt), options that load code, a site_url that is not a web
    address, and every problem with the prioportal plugin's options (`schema`)."""
    declared = [key for key, _ in MkDocsConfig._schema if key != "config_file_path"]
    found = []
    for key in data:
        if key in CODE_OPTIONS:
            found.append(positions.problem(positions.key((key,)), T("'{key}' makes MkDocs import Python code, "
                                                                    "which the portal's pages do not use", key=key),
                                           T("remove it")))
        elif key not in declared:
            found.append(positions.problem(positions.key((key,)),
                                           T("'{key}' is not an option of mkdocs.yml", key=key), _close(key, declared)))
    if "site_url" in data:
        what = site_url_problem(data["site_url"])
        if what:
            found.append(positions.problem(positions.value(("site_url",)), _not_valid("site_url", what),
                                           T("write the address the site is published at, e.g. "
                                             "https://prioriteringer.kommune.no/")))
    options, problems = plugin_options(data, positions)
    if options is not None:
        problems = check_options(schema, options, positions.plugin, positions, "prioportal")
    return found + problems


class _Quiet(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        pass


def _checked(config_file: Path, config: MkDocsConfig, schema: type[Config]) -> tuple[dict, Positions]:
    positions = Positions(config_file.name)
    data = _read_yaml(config_file, config_file.resolve().parent, config, positions)
    problems = positions.twice + check_file(data, positions, schema)
    if problems:
        raise InvalidPortal(problems)
    return data, positions


def read_settings_file(config_file: Path, schema: type[Config]) -> tuple[MkDocsConfig, Positions]:
    """mkdocs.yml read safely and checked, as the MkDocs config it describes (validated by MkDocs
    too), with the positions of its keys and values. Every problem is an InvalidPortal."""
    if not config_file.is_file():
        raise UsageError(T("there is no {file} — run the command in the portal's folder, "
                           "or name the portal's mkdocs.yml with --config-file", file=config_file))
    config = MkDocsConfig(config_file_path=str(config_file))
    data, positions = _checked(config_file, config, schema)
    config.load_dict(data)
    # MkDocs logs as it validates (deprecations, plugins); its problems are reported below.
    mkdocs_log = logging.getLogger("mkdocs")
    quiet, propagate = _Quiet(), mkdocs_log.propagate
    mkdocs_log.addHandler(quiet)
    mkdocs_log.propagate = False
    try:
        errors, warnings = config.validate()
    except Exception as exc:  # a plugin or theme that MkDocs could not load at all
        errors, warnings = [("", exc)], []
    finally:
        mkdocs_log.removeHandler(quiet)
        mkdocs_log.propagate = propagate
    declared = dict(MkDocsConfig._schema)
    problems = [positions.problem(positions.value((key,)), _not_valid(
                    key, _message(declared[key], data.get(key), error) if key in declared else _said_by(error)))
                for key, error in errors]
    problems += [positions.problem(positions.value((key,)), _not_valid(key, warning))
                 for key, warning in warnings if "Unrecognised configuration name" in str(warning)]
    if problems:
        raise InvalidPortal(problems)
    return config, positions


def positions_of(config_file: Path, schema: type[Config]) -> Positions:
    """The positions in mkdocs.yml, and its problems as an InvalidPortal, for a config MkDocs
    itself has loaded (`mkdocs build`): by then MkDocs has read the file with its own loader, so
    this can no longer stop a tag, but it still refuses to build from such a file."""
    return _checked(config_file, MkDocsConfig(config_file_path=str(config_file)), schema)[1]


def named_language(config_file: Path) -> str | None:
    """The `language:` the portal's mkdocs.yml names for the prioportal plugin, read leniently:
    the command line says its messages in it even when the file has problems. None when the file
    cannot be read or names none."""
    try:
        with config_file.open(encoding="utf-8") as f:
            data = yaml.load(f, Loader=_SafeLoader)  # noqa: S506 - the safe loader, MkDocs' two tags only
        options, _ = plugin_options(data, Positions(config_file.name)) if isinstance(data, dict) else (None, [])
    except Exception:  # an unreadable file is reported by the command itself, in whatever language
        return None
    language = options.get("language") if isinstance(options, dict) else None
    return language if isinstance(language, str) else None
