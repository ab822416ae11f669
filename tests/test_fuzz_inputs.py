"""Fuzzing `prioportal validate` with damaged versions of the factory portal's valid files.

Whatever a communicator's editor, a copy-paste or a half-finished save does to a file, the
command must answer with exit 0 (valid) or 1 (not valid, every problem printed as
`path:line:column: message — advice`, then `not valid: ...`), quickly. Exit 70 (internal
error), an exception, a line that an editor cannot jump to, or a hang is a bug.

Each example changes one file of a portal written once per module, runs the command in
process, and puts the file back. The falsifying example Hypothesis prints names the file
and the operations, so it can be replayed with `apply_operations`.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import traceback
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from portal_factory import (
    CRITERIA_V1, MEASURE_RATIONED, MKDOCS, PAGE_INDEX, PORTAL_FILES, load, patched, write_portal,
)
from prioportal.cli import main

PROBLEM_LINE = re.compile(r"^[^:]+:\d+:\d+: .+ — .+$")
SUMMARY_LINE = re.compile(r"^not valid: \d+ error\(s\), \d+ warning\(s\)$")
YAML_SIGNIFICANT = [":", ": ", "-", "- ", '"', "'", "{", "}", "[", "]", "&", "*", "!", "|", ">", "#", "%", "@", "`",
                    ",", "?", "\t", "\x00", "\r", "\n", "\ufeff", "\u2028", "---\n", "...\n", "  ", "\\"]
FILES = sorted(PORTAL_FILES)
HANG_SECONDS = 20

# derandomize: the same examples on every run, so CI is repeatable and a failure can be replayed.
FUZZ = settings(max_examples=60, deadline=timedelta(milliseconds=2000), derandomize=True,
                phases=(Phase.explicit, Phase.generate, Phase.shrink),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


class Hang(BaseException):
    """Raised by the timer; a BaseException so that the CLI's `except Exception` cannot hide it."""


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Path:
    root = write_portal(tmp_path_factory.mktemp("fuzz") / "portal")
    code, out, err = run_validate(root)  # warm up imports so the first example meets the deadline
    assert code == 0, err
    return root


def run_validate(root: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()

    def on_alarm(signum, frame):
        raise Hang(f"validate ran for more than {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    environment = os.environ.pop("PRIOPORTAL_DEBUG", None)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["-f", str(root / MKDOCS), "validate"])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if environment is not None:
            os.environ["PRIOPORTAL_DEBUG"] = environment
    return code, out.getvalue(), err.getvalue()


def debug_traceback(root: Path) -> str:
    """The traceback behind an exit 70, as PRIOPORTAL_DEBUG=1 would show it."""
    os.environ["PRIOPORTAL_DEBUG"] = "1"
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(["-f", str(root / MKDOCS), "validate"])
    except BaseException:  # noqa: BLE001 - we want whatever escaped
        return traceback.format_exc()
    finally:
        del os.environ["PRIOPORTAL_DEBUG"]
    return "(no exception the second time)"


def line_count(raw: bytes) -> int:
    text = raw.decode("utf-8", errors="replace")
    return len(text.splitlines()) + 1


def check_answer(root: Path, relative: str, raw: bytes) -> None:
    """Run validate on the portal with `raw` as `relative`, and judge the answer; restore the file."""
    target = root / relative
    target.write_bytes(raw)
    try:
        try:
            code, out, err = run_validate(root)
        except Hang as hang:
            pytest.fail(f"{hang} on this {relative}:\n{raw[:2000]!r}")
        if code not in (0, 1):
            details = debug_traceback(root) if code == 70 else ""
            pytest.fail(f"exit {code} for this {relative}:\n{raw[:2000]!r}\nstderr: {err}\n{details}")
        lines = err.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if code == 1:
            assert lines and SUMMARY_LINE.match(lines[-1]), err
            lines = lines[:-1]
            assert lines, "not valid, but no problem was printed"
        for line in lines:
            hidden = sorted({c for c in line if c != "\t" and unicodedata.category(c) in ("Cc", "Zl", "Zp")})
            assert not hidden, (f"a problem line contains control characters {hidden}, which a terminal or CI log "
                                f"acts on instead of showing: {line!r}")
            assert PROBLEM_LINE.match(line), f"a problem line an editor cannot jump to: {line!r}\nall of stderr:\n{err}"
            path, number, column = line.split(":")[:3]
            assert int(number) >= 1 and int(column) >= 1, line
            if path == relative:
                assert int(number) <= line_count(raw), f"the line is past the end of the file: {line!r}"
    finally:
        target.write_bytes(PORTAL_FILES[relative].encode("utf-8"))


# --- Mutations -----------------------------------------------------------------------------

def apply_operations(text: str, operations: list[tuple]) -> str:
    """Apply the drawn operations in order; positions are taken modulo the current length."""
    for op, *args in operations:
        if op == "delete":
            position, length = args
            position %= len(text) + 1
            text = text[:position] + text[position + length:]
        elif op == "insert":
            position, piece = args
            position %= len(text) + 1
            text = text[:position] + piece + text[position:]
        elif op in ("swap", "duplicate", "indent", "value"):
            lines = text.split("\n")
            i = args[0] % len(lines)
            if op == "swap":
                j = args[1] % len(lines)
                lines[i], lines[j] = lines[j], lines[i]
            elif op == "duplicate":
                lines.insert(i, lines[i])
            elif op == "indent":
                change = args[1]
                if isinstance(change, str):
                    lines[i] = change + lines[i]
                elif change > 0:
                    lines[i] = " " * change + lines[i]
                else:
                    lines[i] = lines[i][min(-change, len(lines[i]) - len(lines[i].lstrip(" "))):]
            elif op == "value":
                fields = [n for n, line in enumerate(lines) if re.match(r"^\s*-?\s*[\w-]+: \S", line)]
                if fields:
                    n = fields[args[0] % len(fields)]
                    value = LONG_VALUES.get(args[1], args[1])
                    lines[n] = re.sub(r"^(\s*-?\s*[\w-]+: ).*$", lambda m: m.group(1) + value, lines[n])
            text = "\n".join(lines)
        elif op == "truncate":
            text = text[: args[0] % (len(text) + 1)]
    return text


positions = st.integers(0, 20_000)
insertion = st.tuples(st.just("insert"), positions,
                      st.one_of(st.sampled_from(YAML_SIGNIFICANT), st.text(min_size=1, max_size=8)))
deletion = st.tuples(st.just("delete"), positions, st.integers(1, 40))
line_ops = st.one_of(
    st.tuples(st.just("swap"), positions, positions),
    st.tuples(st.just("duplicate"), positions),
    st.tuples(st.just("indent"), positions, st.one_of(st.integers(-6, 6), st.sampled_from(["\t", " \t", "- "]))),
)

# Long values by name, so that a falsifying example stays readable.
LONG_VALUES = {"<5000 nines>": "9" * 5000, "<minus 5000 nines>": "-" + "9" * 5000, "<1e400 written out>": "1" + "0" * 400,
               "<20000 x>": "x" * 20000, "<3000 ø>": "ø" * 3000}
HUGE_AND_ODD_VALUES = [
    *LONG_VALUES, "1e999", "-1e999", "1e-999", ".inf", "-.inf", ".nan", "NaN",
    "010", "089", "0999999999999", "00", "-0", "+1", "0x1F", "0o17", "1_000", "1,5", "12:30", "2.", ".5",
    "2025-02-30", "2025-13-01", "0000-00-00", "9999-12-31", "2025-01-01T10:00:00", "99999-01-01", "2025-1-1",
    "true", "no", "null", "~", "[]", "{}", "[[[[[[[[[[]]]]]]]]]]", "{a: {b: {c: 1}}}", "!!binary aGVp", "!!int x", "!!float x", "!!bool x",
    "!!timestamp x", "!!timestamp 2025-13-45", "!!map x", "!!seq x", "!!set {a: 1}", "!!null x",
    "!!python/object:os.system x", "!!str 1", "!foo bar", '"\\ud800"', '"\\x00"', '"\\u0000abc"', "'''", '"""',
    "a: b", "- a", "| \n", "> ", "&a x", "*a", "%TAG", "@x", "`x`", "'", '"', "#",
    '"\\N\\_\\L\\P"', '"\\e[2J\\e[31m"', '"a\\rb"', "\u202e", "\U0001F600" * 10, "ｒａｎｋ",
]
value_change = st.tuples(st.just("value"), positions,
                         st.one_of(st.sampled_from(HUGE_AND_ODD_VALUES), st.text(max_size=12)))


# --- The properties ------------------------------------------------------------------------

@FUZZ
@given(relative=st.sampled_from(FILES), operations=st.lists(st.one_of(insertion, deletion), min_size=1, max_size=6))
def test_character_insertions_and_deletions(portal, relative, operations):
    text = apply_operations(PORTAL_FILES[relative], operations)
    check_answer(portal, relative, text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(relative=st.sampled_from(FILES), operations=st.lists(line_ops, min_size=1, max_size=4))
def test_line_swaps_duplicates_and_indentation(portal, relative, operations):
    text = apply_operations(PORTAL_FILES[relative], operations)
    check_answer(portal, relative, text.encode("utf-8"))


@FUZZ
@given(relative=st.sampled_from(FILES), cut=st.integers(0, 20_000))
def test_truncated_files_even_inside_a_character(portal, relative, cut):
    raw = PORTAL_FILES[relative].encode("utf-8")
    check_answer(portal, relative, raw[: cut % (len(raw) + 1)])


@FUZZ
@given(relative=st.sampled_from(FILES),
       encoding=st.sampled_from(["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32",
                                 "mac-roman", "cp865"]),
       flips=st.lists(st.tuples(positions, st.integers(0, 255)), max_size=3))
def test_other_encodings_and_flipped_bytes(portal, relative, encoding, flips):
    raw = bytearray(PORTAL_FILES[relative].encode(encoding, errors="replace"))
    for position, value in flips:
        raw[position % len(raw)] = value
    check_answer(portal, relative, bytes(raw))


@FUZZ
@given(relative=st.sampled_from(FILES), operations=st.lists(value_change, min_size=1, max_size=3))
def test_huge_numbers_and_odd_scalars_in_place_of_values(portal, relative, operations):
    text = apply_operations(PORTAL_FILES[relative], operations)
    check_answer(portal, relative, text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(relative=st.sampled_from(FILES),
       operations=st.lists(st.one_of(insertion, deletion, line_ops, value_change), min_size=1, max_size=8),
       cut=st.none() | st.integers(0, 20_000))
def test_everything_at_once(portal, relative, operations, cut):
    text = apply_operations(PORTAL_FILES[relative], operations + ([("truncate", cut)] if cut is not None else []))
    check_answer(portal, relative, text.encode("utf-8", errors="surrogatepass"))


# --- The minimal failing examples found so far, as plain tests so a fix is seen at once ----

def replace_once(relative: str, old: str, new: str) -> bytes:
    return patched(relative, old, new).encode("utf-8")


MINIMAL_EXAMPLES = {
    # load.py: PyYAML's YAML 1.1 int constructor reads a leading 0 as octal; with an 8 or 9 it raises ValueError.
    "octal-with-9": (MEASURE_RATIONED, lambda: replace_once(MEASURE_RATIONED, "rank: 4\n", "rank: 089\n")),
    # load.py / content.py: int() refuses more than 4300 digits (ValueError), not caught.
    "huge-integer": (MEASURE_RATIONED, lambda: replace_once(MEASURE_RATIONED, "rank: 4\n", "rank: " + "9" * 5000 + "\n")),
    "huge-integer-front-matter": (PAGE_INDEX, lambda: replace_once(PAGE_INDEX, "order: 1\n", "order: " + "9" * 5000 + "\n")),
    # load.py: yaml.reader.ReaderError's text has a line break and no position: the problem line is split.
    "control-character": (CRITERIA_V1, lambda: ("\x1f" + PORTAL_FILES[CRITERIA_V1]).encode("utf-8")),
    # settings.settings_warnings reads mkdocs.yml as strict UTF-8 after MkDocs has read it as UTF-16 (BOM).
    "mkdocs-utf-16": (MKDOCS, lambda: PORTAL_FILES[MKDOCS].encode("utf-16")),
    # portal.load_portal: Path.is_dir() raises OSError (ENAMETOOLONG) for a too-long decisions_dir.
    "long-decisions-dir": (MKDOCS, lambda: replace_once(MKDOCS, "decisions_dir: decisions\n",
                                                         "decisions_dir: " + "x" * 300 + "\n")),
    # load.py: explicit YAML tags reach PyYAML constructors that raise ValueError/KeyError/AttributeError.
    **{f"explicit-tag {tag}": (MEASURE_RATIONED, lambda tag=tag: replace_once(MEASURE_RATIONED, "rank: 4\n", f"rank: {tag}\n"))
       for tag in ("!!int x", "!!bool x", "!!timestamp 2025-13-45", "!!map x")},
    # Messages quote the value as written: escape sequences reach the terminal / CI log.
    "escape-sequence-in-message": (MEASURE_RATIONED, lambda: replace_once(MEASURE_RATIONED, "rank: 4\n",
                                                                         'rank: "\\e[2J\\e[31m"\n')),
    "line-separators-in-message": (PAGE_INDEX, lambda: replace_once(PAGE_INDEX, "order: 1\n",
                                                                    'order: "\\N\\_\\L\\P"\n')),
}


@pytest.mark.parametrize("name", sorted(MINIMAL_EXAMPLES))
def test_minimal_examples(portal, name):
    relative, make = MINIMAL_EXAMPLES[name]
    check_answer(portal, relative, make())


@pytest.mark.parametrize("field, old, written, meant", [
    ("granted", "  granted: 400000\n", "010", 10), ("granted", "  granted: 400000\n", "0400000", 400_000),
    ("rank", "rank: 4\n", "010", 10), ("rank", "rank: 4\n", "08", 8)])
def test_a_leading_zero_does_not_make_a_number_octal(make_portal, field, old, written, meant):
    """`granted: 0400000` was published as 131072 kroner, `rank: 010` as rank 8. A communicator
    writes decimal numbers, so the file is valid and the number is read as written: neither
    another amount nor a refusal."""
    root = make_portal({MEASURE_RATIONED: patched(MEASURE_RATIONED, old, old.replace(old.split(": ")[1].strip(), written))})
    [measure] = [m for m in load(root).measures if m.id == "praktisk-bistand-2025"]
    assert (measure.outcome.granted if field == "granted" else measure.rank) == meant


# The fast YAML parser may only answer where it reads exactly what PyYAML with the portal's rules
# reads; anywhere else it must step aside, so a communicator never gets different data, or no
# error, depending on which parser ran.
@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(relative=st.sampled_from(FILES),
       operations=st.lists(st.one_of(insertion, deletion, line_ops, value_change), min_size=0, max_size=6))
def test_the_fast_yaml_parser_agrees_with_the_careful_one(relative, operations):
    from prioportal.sources.yaml_files import YamlProblem, _careful_parse, _fast_parse

    text = apply_operations(PORTAL_FILES[relative], operations)
    fast, data = _fast_parse(text)
    if not fast:
        return
    try:
        careful = _careful_parse(text)
    except YamlProblem as problem:
        pytest.fail(f"the fast parser accepted what the careful one refuses ({problem.message}):\n{text}")
    assert data == careful and type(data) is type(careful), text


# Pieces of YAML where yaml-rs and PyYAML are known to part ways, mixed with ordinary ones: whole
# documents are drawn from them, so the parsers are compared on structure as well as on scalars.
YAML_PIECES = ["a", "x y", "år", "1", "-1", "0", "1.5", "1e3", "_", "_3", "9._", "0b1", "0x", "0o", ".inf", "+", "#",
               " #c", "'q'", '"d"', '"\\n"', "'it''s'", ":", ": ", "- ", "-", "?", "? ", "|", ">", "|-", ">+", "|2",
               "[", "]", "{", "}", ",", "~", "null", "true", "no", "2020-01-01", "12:30", "@", "`", "%", "&", "*",
               "!", "\\", "…", "\u00a0", "\u2028", "\r", "  ", "\n", "\n  ", "\n    ", "\n- ", "\n  - ",
               "k: ", "\nk: ", "\n  k: "]


@settings(max_examples=3000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(YAML_PIECES), min_size=1, max_size=12))
def test_the_fast_yaml_parser_agrees_with_the_careful_one_on_odd_yaml(pieces):
    from prioportal.sources.yaml_files import YamlProblem, _careful_parse, _fast_parse

    text = "".join(pieces)
    fast, data = _fast_parse(text)
    if not fast or type(data) is not dict:  # a decision file that is not a mapping is refused either way
        return
    try:
        careful = _careful_parse(text)
    except YamlProblem as problem:
        pytest.fail(f"the fast parser accepted what the careful one refuses ({problem.message}): {text!r}")
    assert repr(data) == repr(careful), text  # repr: the same types, and nan equal to nan


@pytest.mark.parametrize("written", ["amount: 0o17", "amount: 0x1F", "amount: 0b101", "amount: -0B11", "amount: 1_000",
                                     "amount: _3", "amount: 9._", "amount: 1E0_4", "limit: .inf", "a: &x 1\nb: *x",
                                     "a: !!str 1", "1: one", "true: yes", "a: 1\na: 2", "a: 1\n---\nb: 2",
                                     "a: \x85b", "a: x\u2028y", "a: 1\n<<: {b: 2}", "a: [?x]", "? >\n",
                                     "b: |\n", "b: |\n  no line break at the end"])
def test_forms_the_portal_reads_its_own_way_take_the_careful_path(written):
    from prioportal.sources.yaml_files import _fast_parse

    assert _fast_parse(written)[0] is False


def test_ordinary_decision_files_are_read_by_the_fast_parser():
    """Words with underscores and digits, a colour, percentages, questions and Markdown lists are
    ordinary text: only the fast parser reads ten thousand files in the time a build allows."""
    from prioportal.sources.yaml_files import _fast_parse

    text = PORTAL_FILES[MEASURE_RATIONED] + (
        "costs_note: Se years_4_10 og kostnad_2 — 12 % høyere? Ja.\n"
        "colour: \"#0b4f7c\"\nnotes: |\n  * første punkt\n  * andre [lenke](https://x.no/a_1)\n")
    fast, data = _fast_parse(text)
    assert fast and data["colour"] == "#0b4f7c"
