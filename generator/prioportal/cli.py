"""The `prioportal` command: validate, build, serve, new, diff, import, export, texts, schemas, demo, verify.

Exit codes: 0 success, 1 invalid input (every problem printed as path:line:column) or a site
folder that cannot be used, or a fault of the machine (a full disk, a read-only drive, no
permission: said in plain words), 2 usage error, 70 an internal error (a bug in prioportal,
never caused by a communicator's files nor by the machine).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from prioportal.problems import InvalidPortal, Problem, Severity, T, Text, UsageError, said

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits with 2, which is our usage code too
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"prioportal: {message} — see 'prioportal --help'\n")


class _Version(argparse.Action):
    """`--version`: the installed version, looked up only when asked for."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        import prioportal

        print(f"prioportal {prioportal.__version__}")
        parser.exit(EXIT_OK)


class _Language:
    """The language the command line speaks to a communicator, decided once per run in `main`
    (`language_of_messages`: --language, else LANG and its kin, else the portal's)."""

    code = "en"
    gettext = staticmethod(lambda message: message)


def _seconds(seconds: float) -> str:
    """A duration as the language of the command line writes a decimal number (0,52 in nb)."""
    from babel.numbers import format_decimal

    return format_decimal(seconds, "0.00", locale=_Language.code)


def _tell(text: object, file=None) -> None:
    """Print a message (a `T(...)`, or text as it is) in the language of the command line."""
    print(said(text, _Language.gettext), file=file or sys.stdout)


def _print_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in problems:
        print(problem.said(_Language.gettext), file=sys.stderr)


def _summary(problems) -> Text:
    errors = sum(1 for p in problems if p.severity is Severity.error)
    warnings = len(problems) - errors
    return T("{errors} error(s), {warnings} warning(s)", errors=errors, warnings=warnings)


def _choose_language(args) -> None:
    from prioportal.settings_file import named_language
    from prioportal.text.i18n import Translator, language_of_messages

    # A new portal's messages are in the language it is made in, unless the reader says otherwise.
    new_portal = getattr(args, "command", None) == "new" and getattr(args, "what", None) == "portal"
    portal = getattr(args, "language", None) if new_portal else named_language(args.config_file)
    _Language.code = language_of_messages(args.messages_language, os.environ, portal)
    _Language.gettext = Translator(_Language.code).gettext


def cmd_validate(args) -> int:
    from prioportal.build.revalidate import validate_from_config

    found = validate_from_config(args.config_file, kept=not args.no_cache)
    if args.strict and found.warnings:
        raise InvalidPortal(list(found.warnings))
    _print_problems(found.warnings)
    _tell(T("valid: {criteria_sets} criteria version(s), {rounds} round(s), {measures} measure(s), {pages} page(s); "
            "{summary}", criteria_sets=found.criteria_sets, rounds=found.rounds, measures=found.measures,
            pages=found.pages, summary=_summary(found.warnings)))
    return EXIT_OK


def cmd_build(args) -> int:
    from prioportal.build.pipeline import build_from_config

    report = build_from_config(args.config_file, Path(args.site_dir) if args.site_dir else None, args.strict,
                               cache=not args.no_cache)
    _print_problems(report.warnings)
    if report.cache_ignored:
        _tell(report.cache_ignored)
    if report.reused:
        _tell(T("{reused} of {pages} pages were unchanged and taken from the last build (kept in .prioportal-cache/)",
                reused=report.reused, pages=report.pages))
    _tell(T("built {pages} pages into {folder} in {seconds} s; {summary}; every internal link works; "
            "{external} link(s) to other sites", pages=report.pages, folder=report.site_dir,
            seconds=_seconds(report.seconds), summary=_summary(report.warnings), external=len(report.external_links)))
    if args.external_links:
        for link in report.external_links:
            _tell(T("{address}  ({count} page(s): {pages})", address=link.url, count=len(link.pages),
                    pages=", ".join(link.pages[:3]) + (", ..." if len(link.pages) > 3 else "")))
    return EXIT_OK


def cmd_diff(args) -> int:
    from prioportal.build.pipeline import load_from_settings
    from prioportal.settings import load_settings
    from prioportal.text.i18n import language_of_messages
    from prioportal.tools.diff_report import (describer, to_json, to_markdown,
                                              to_text)
    from prioportal.tools.revisions import comparison

    settings = load_settings(args.config_file)
    language = language_of_messages(args.language or args.messages_language, os.environ, settings.language)
    result, criteria = comparison(settings, load_from_settings(settings), args.a, args.b, language)
    if args.format == "json":  # data for programs: codes and field paths, the same in every language
        sys.stdout.write(to_json(result))
    else:
        render = to_markdown if args.format == "markdown" else to_text
        sys.stdout.write(render(result, describer(settings, language, criteria)))
    return EXIT_OK


def cmd_serve(args) -> int:
    from prioportal.serve import serve

    return serve(args.config_file, args.dev_addr, _Language.gettext, _seconds)


def cmd_new(args) -> int:
    from prioportal.tools.skeleton import write_measure_skeleton

    path = write_measure_skeleton(args.config_file, args.round, args.id, _Language.gettext)
    _tell(T("wrote {path}: fill in the fields marked with angle brackets, then run 'prioportal validate'", path=path))
    return EXIT_OK


def cmd_new_portal(args) -> int:
    from prioportal.tools.scaffold import write_portal

    made = write_portal(Path(args.dir), args.name, args.language, args.model, args.year, args.force)
    folder = made.folder
    _tell(T("wrote a new portal for {name} to {folder} ({count} files); it builds as it is.\n"
            "next: cd {folder}, then fill in what its mkdocs.yml and README.md ask for, preview it with "
            "'prioportal serve', and add a measure with 'prioportal new measure --round {round}'",
            name=args.name.strip(), folder=folder, count=len(made.files), round=made.round_id))
    return EXIT_OK


def cmd_schemas(args) -> int:
    from prioportal.settings import load_settings
    from prioportal.text.i18n import Translator, language_of_messages
    from prioportal.tools.editor_schemas import portal_schema_files, schema_files, write_schema_files

    chosen = args.language or args.messages_language
    if not args.config_file.is_file():  # no portal here: the model's schemas, which any portal's files meet
        files = schema_files(Translator(language_of_messages(chosen, os.environ, None)))
        written = write_schema_files(Path(args.out), files)
        _tell(T("wrote {count} JSON Schemas to {folder}: {files}; there is no {config} here, so they do not know "
                "a portal's rounds, levels and rank scale — run the command in the portal's folder for those",
                count=len(written), folder=args.out, files=", ".join(p.name for p in written),
                config=str(args.config_file)))
        return EXIT_OK
    settings = load_settings(args.config_file)
    written = write_schema_files(Path(args.out), portal_schema_files(
        settings, language_of_messages(chosen, os.environ, settings.language)))
    _tell(T("wrote {count} JSON Schemas for this portal to {folder}: {files}; write them again after adding a round "
            "or a criteria version", count=len(written), folder=args.out, files=", ".join(p.name for p in written)))
    return EXIT_OK


def cmd_import(args) -> int:
    from prioportal.settings import load_settings
    from prioportal.tools.spreadsheet.importing import describe_plan, plan_import, write_plan

    settings = load_settings(args.config_file)
    plan = plan_import(settings, Path(args.file), args.round, args.sheet,
                       Path(args.mapping) if args.mapping else None, args.update, _Language.gettext)
    _print_problems(plan.warnings)
    if not args.dry_run:
        write_plan(plan)
    for line in describe_plan(plan, args.dry_run):
        _tell(line)
    if not args.dry_run and any(f.status != "unchanged" for f in plan.files):
        _tell(T("check the files with 'prioportal validate'; fill in every <...> it lists"))
    return EXIT_OK


def cmd_export(args) -> int:
    from prioportal.build.pipeline import load_everything
    from prioportal.settings import load_settings
    from prioportal.tools.spreadsheet.exporting import export_round

    settings = load_settings(args.config_file)
    data = export_round(settings, load_everything(args.config_file), args.round, args.format)
    if args.out == "-":
        if args.format == "xlsx":
            raise UsageError(T("an .xlsx workbook cannot be written to the terminal — name a file with --out"))
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    out = Path(args.out) if args.out else Path(f"{args.round}.{args.format}")
    try:
        out.write_bytes(data)
    except OSError as exc:
        if exc.filename is None:  # failed while writing, not opening: name the file in the message
            exc.filename = str(out)
        if _fault(exc, args) is not None:
            raise  # a full disk, a read-only drive, no permission: main says so (exit 1)
        raise UsageError(T("{file} cannot be written ({reason})", file=out, reason=exc.strerror)) from None
    _tell(T("wrote the ranking table of {round} to {file}", round=args.round, file=out))
    return EXIT_OK


def cmd_texts(args) -> int:
    from prioportal.text.own_texts import as_texts_setting, matching_texts
    from prioportal.settings import load_settings

    settings = load_settings(args.config_file)
    language = args.language or settings.language
    if language not in settings.languages:
        raise UsageError(T("the portal is not published in '{language}' — use one of: {languages}",
                           language=language, languages=", ".join(settings.languages)))
    found = matching_texts(settings.for_language(language).translator(), args.words)
    words = ", ".join(repr(w) for w in args.words)
    if not found:
        _tell(T("no text of the site in {language} holds {words}", language=language, words=words), sys.stderr)
        return EXIT_INVALID
    heading = (T("# {count} text(s) of the site in {language} holding {words}: the English original, then the text "
                 "shown now.", count=len(found), language=language, words=words) if words else
               T("# {count} text(s) of the site in {language}: the English original, then the text shown now.",
                 count=len(found), language=language))
    _tell(heading)
    _tell(T("# For your own words, copy a line under texts: in mkdocs.yml as below, and change what follows its colon."))
    sys.stdout.write(as_texts_setting(language, found))
    return EXIT_OK


def cmd_demo(args) -> int:
    from prioportal.tools.demo.portal import write_demo_portal

    out = write_demo_portal(Path(args.out), args.measures, seed=args.seed)
    _tell(T("wrote a demo portal with {count} measures to {folder}; build it with "
            "'prioportal --config-file {config} build'", count=args.measures, folder=out, config=out / "mkdocs.yml"))
    return EXIT_OK


def cmd_verify(args) -> int:
    from prioportal.tools.verify import verify

    folder = Path(args.dir)
    if not folder.is_dir():
        raise UsageError(T("{folder} is not a folder — name the folder of a copy of the site", folder=folder))
    result = verify(folder, None if args.without_sources else args.config_file)
    for finding in result.findings:
        _tell(T("{path}: {what}", path=finding.path, what=finding.what))
    for note in result.notes:
        _tell(note)
    if not result.manifests:
        _tell(T("no manifest in {folder}: a site has one for each decided round, at rounds/<id>/manifest.sha256",
                folder=folder))
        return EXIT_INVALID
    if result.findings:
        _tell(T("not verified: {count} file(s) are not what was published", count=len(result.findings)))
        return EXIT_INVALID
    _tell(T("verified: the {files} file(s) of {manifests} manifest(s) are the ones they list", files=result.files,
            manifests=len(result.manifests)))
    if result.commits:
        _tell(T("and they are what the sources at commit {commits} build",
                commits=", ".join(commit[:10] for commit in result.commits)))
    else:
        _tell(T("not compared with the sources: {reason}. The manifests alone do not prove what was published: "
                "whoever can change the site can change its manifests too", reason=result.not_compared))
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="prioportal", description="Publish municipal priority decisions as a static site.")
    parser.add_argument("--version", action=_Version, help="print the version of prioportal and exit")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                        help="the portal's mkdocs.yml (default: ./mkdocs.yml)")
    parser.add_argument("--language", dest="messages_language", metavar="LANGUAGE",
                        help="the language of messages: nb, nn, sv or en (default: LANG's, else the portal's)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    strict_help = "treat warnings (e.g. hard-to-read summaries) as errors; for CI"
    p = sub.add_parser("validate", help="check every decision file and page; print all problems")
    p.add_argument("--strict", action="store_true", help=strict_help)
    p.add_argument("--no-cache", action="store_true",
                   help="read and check every file, without what the last run kept (see 'Validating again' in the README)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("build", help="validate, then build the site (the old site stays if it fails)")
    p.add_argument("--site-dir", help="where to write the site (default: site/): a new or empty folder, or one "
                                      "a build made; never the portal's own files")
    p.add_argument("--strict", action="store_true", help=strict_help)
    p.add_argument("--external-links", action="store_true",
                   help="list every link to another site and the pages using it (they are not fetched)")
    p.add_argument("--no-cache", action="store_true",
                   help="render every page, without what the last build kept in .prioportal-cache/, and keep nothing")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("diff", help="what changed between two criteria versions, two rounds or two git revisions")
    p.add_argument("a", help="the older one: a criteria version id, a round id, or a git revision")
    p.add_argument("b", help="the newer one, of the same kind")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                   help="text for the terminal, markdown for a council paper, json for a script")
    p.add_argument("--language", help="the language of a text or markdown report: nb, nn, sv or en (default: the "
                                      "portal's language; see 'Consistency over time' in the README)")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("serve", help="preview the site locally; rebuilds when a file changes")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("new", help="write a skeleton: a new measure, or a new portal")
    new_sub = p.add_subparsers(dest="what", metavar="WHAT", parser_class=_Parser)
    new_sub.required = True
    pm = new_sub.add_parser("measure", help="a new measure in a round")
    pm.add_argument("--round", required=True, help="id of the round, e.g. budsjett-2026")
    pm.add_argument("--id", help="id of the new measure (default: ny-tiltak-N)")
    pm.set_defaults(func=cmd_new)
    pp = new_sub.add_parser("portal", help="a new municipality's portal in a new or empty folder, ready to build")
    pp.add_argument("dir", help="the folder to write it to: new, empty, or (with --force) an empty git repository")
    pp.add_argument("--name", required=True, help='the municipality\'s name as the site shows it, e.g. "Testby kommune"')
    pp.add_argument("--language", required=True, help="the language of the site and of the files: nb, nn, sv or en")
    pp.add_argument("--model", help="the criteria to start with: helsedirektoratet (nytte, ressurs, alvorlighet) or "
                                    "prioriteringscentrum (svårighetsgrad, effekt, nytta, kostnadseffektivitet); "
                                    "default: prioriteringscentrum for sv, else helsedirektoratet")
    pp.add_argument("--year", type=int, help="the budget year of the first round (default: next year)")
    pp.add_argument("--force", action="store_true", help="write into a folder that holds nothing but .git")
    pp.set_defaults(func=cmd_new_portal)

    p = sub.add_parser("import", help="write one YAML file per measure from an .xlsx, .ods or .csv ranking table")
    p.add_argument("file", help="the spreadsheet: .xlsx, .ods or .csv (semicolons or commas)")
    p.add_argument("--round", required=True, help="id of the round the measures belong to, e.g. budsjett-2026")
    p.add_argument("--sheet", help="name or number (1 = first) of the sheet (default: the first with known headings)")
    p.add_argument("--mapping", metavar="FILE", help="a YAML file naming columns the import does not recognise")
    p.add_argument("--update", action="store_true",
                   help="update measures that already have a file, keeping their comments and field order")
    p.add_argument("--dry-run", action="store_true", help="show what would be written, and write nothing")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write a round's ranking table for a council paper (the import reads it back)")
    p.add_argument("--round", required=True, help="id of the round, e.g. budsjett-2026")
    p.add_argument("--format", choices=("xlsx", "csv", "json"), default="xlsx",
                   help="xlsx for a spreadsheet, csv for Excel in Norway and Sweden (semicolons), json for a script")
    p.add_argument("--out", help="file to write (default: ROUND.FORMAT here; '-' for the terminal, csv and json only)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("texts", help="find texts of the site, to give them the municipality's own words in mkdocs.yml")
    p.add_argument("words", nargs="*", help="words the text holds, in English or in the portal's language, e.g. sektor")
    p.add_argument("--language", help="the language of the texts (default: the portal's main language)")
    p.set_defaults(func=cmd_texts)

    p = sub.add_parser("schemas", help="write the JSON Schemas of the decision files, for editors")
    p.add_argument("--out", required=True, help="the folder to write them to, e.g. schemas")
    p.add_argument("--language", help="explain each field in this language: nb, nn, sv or en (default: the language "
                                      "of messages: --language before the command, else LANG's, else the portal's)")
    p.set_defaults(func=cmd_schemas)

    p = sub.add_parser("demo", help="write a synthetic portal of N measures, e.g. for benchmarks")
    p.add_argument("--measures", type=int, required=True, help="number of measures")
    p.add_argument("--out", required=True, help="folder to write the portal to")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same portal)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("verify", help="check a copy of the site against its manifests and, in a clone of the "
                                      "portal's repository, against a fresh build of its sources")
    p.add_argument("dir", help="the folder of the copy of the site, e.g. site")
    p.add_argument("--without-sources", action="store_true",
                   help="compare with the manifests only, without building the sources again")
    p.set_defaults(func=cmd_verify)
    return parser


def _fault(exc: BaseException, args) -> str | None:
    """A fault of the machine in plain words (`site_folder.os_fault`), or None."""
    from prioportal.build.site_folder import os_fault

    return os_fault(exc, building=getattr(args, "command", None) == "build")


def _stop(signum, frame):
    raise KeyboardInterrupt  # so a stopped build cleans up after itself and publishes nothing


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    try:
        _choose_language(args)
        return args.func(args)
    except InvalidPortal as exc:
        _print_problems(exc.problems)
        _tell(T("not valid: {summary}", summary=_summary(exc.problems)), sys.stderr)
        return EXIT_INVALID
    except UsageError as exc:
        _tell(T("prioportal: {message}", message=exc.args[0] if exc.args else exc), sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        _tell(T("stopped"), sys.stderr)
        return 130
    except Exception as exc:
        from prioportal.build.site_folder import SiteNotWritten

        # Not bugs: a site folder that cannot be used, and faults of the machine.
        fault = (exc.args[0] if exc.args else str(exc)) if isinstance(exc, SiteNotWritten) else _fault(exc, args)
        if fault is not None:
            _tell(T("prioportal: {message}", message=fault), sys.stderr)
            return EXIT_INVALID
        # A bug of ours: say so plainly, keep the details for a report.
        if os.environ.get("PRIOPORTAL_DEBUG"):
            raise
        error = "%s: %s" % (type(exc).__name__, exc)
        _tell(T("prioportal: internal error ({error}) — nothing was published; run again with PRIOPORTAL_DEBUG=1 "
                "and send the output to the portal's developers", error=error), sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
