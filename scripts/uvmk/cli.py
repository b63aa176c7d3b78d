"""uv.mk's migration engine: audit a legacy pip repo, migrate it to uv (preview, then --apply),
verify the result. Run by uv.mk (`make uv-migrate-audit`, `make uv-migrate [APPLY=1]`,
`make uv-verify`).

    uv-mk audit   [--root DIR] [--format table|json|markdown] [NAMING] [--verbose] [--check]
                            [--output PATH]
    uv-mk migrate [--root DIR] [--apply] [--force] [NAMING] [--keep-requirements |
                            --export-requirements] [--override-pins | --keep-pyproject-pins]
                            [--uv-mk PATH] [--python X.Y] [--format table|json] [--verbose]
                            [--output PATH]
    uv-mk verify  [--root DIR] [--uv-mk PATH] [--keep-requirements] [--quick] [--timeout S]
                            [--output PATH]
    uv-mk init    [DIR]              put uv.mk into DIR and include it from its Makefile
    uv-mk update  [DIR] [--force]    replace DIR's uv.mk with this release's (shows the diff)
    uv-mk --version

NAMING, when discovery guesses wrong: --requirements FILE (runtime) and --dev-requirements
FILE[:GROUP], each repeatable or holding several files; only the files named are migrated.
--subprojects keep (or naming files) migrates the root alone beside projects of their own in
subfolders (a monorepo's services/*/), which are otherwise refused until workspaces exist.
--output PATH writes the report to PATH atomically (nothing on exit 2) and one line to stdout.

Exit codes: 0 ok / clean / nothing to do; 1 audit found something to fix (also what migrate
would refuse), or a verify check failed; 2 refusal or bad input ("uv.mk: error: ..." on stderr,
every problem at its file:line, every file byte-identical), or an audit that could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import signal
import sys
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from uvmk import report as report
from uvmk.contract import error_line
from uvmk.sources.pip.planner import RequirementsError, file_role
from uvmk.survey.model import SurveyError

# Each command imports what it needs where it needs it (python -X importtime): an audit table
# pays for no verify, no apply, no markdown review, no `--check`, no vendoring.
if TYPE_CHECKING:
    from uvmk.plan import MigrationPlan
    from uvmk.survey.requirement_files import NamedFiles


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _python_version(text: str) -> str:
    """--python takes X.Y or X.Y.Z (it becomes .python-version): anything else is refused."""
    if not re.fullmatch(r"3\.\d{1,2}(\.\d{1,3})?", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a Python 3 version (X.Y, e.g. 3.12)")
    return text.strip()


def _rewrite(text: str) -> frozenset[str]:
    """--rewrite takes REWRITE's value: KNOBS names (or all), commas or spaces between."""
    from uvmk.rewriters.readers import UnknownReader, parse_rewrite

    try:
        return parse_rewrite(text)
    except UnknownReader as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


_VERBOSE = "also the line-by-line requirement account and each file's plan detail"


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="uv-mk", description="uv.mk migration engine")
    p.add_argument("--version", action=_VersionAction)
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    a = sub.add_parser("audit", help="report what is wrong today; exit 1 if anything")
    a.add_argument("--root", default=".")
    a.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    a.add_argument("--uv-mk", default=None)
    a.add_argument("--verbose", action="store_true", help=_VERBOSE)
    _naming_options(a)
    _output_option(a)
    a.add_argument(
        "--check", action="store_true", help="findings only, no plan (pre-commit and CI gates)"
    )
    m = sub.add_parser("migrate", help="preview the move to uv; --apply carries it out")
    _naming_options(m)
    m.add_argument("--root", default=".")
    m.add_argument("--apply", action="store_true")
    m.add_argument(
        "--force",
        action="store_true",
        help="apply even with uncommitted changes to the files it touches",
    )
    keep = m.add_mutually_exclusive_group()
    keep.add_argument("--keep-requirements", action="store_true")
    keep.add_argument(
        "--export-requirements",
        action="store_true",
        help="regenerate the requirements files from uv.lock (uv export)",
    )
    pins = m.add_mutually_exclusive_group()
    pins.add_argument(
        "--override-pins",
        action="store_true",
        help="write a requirements pin over a conflicting pyproject specifier",
    )
    pins.add_argument(
        "--keep-pyproject-pins",
        action="store_true",
        help="keep pyproject's specifier and drop a requirements pin outside it",
    )
    m.add_argument("--uv-mk", default=None, help="path of uv.mk (to include or vendor)")
    m.add_argument(
        "--python", default=None, type=_python_version, help="write this X.Y to .python-version"
    )
    m.add_argument(
        "--rewrite",
        default="",
        type=_rewrite,
        metavar="READERS",
        help="rewrite these readers too (docker,ci,tox,bots,pre-commit or all); "
        "the preview lists what each would change",
    )
    m.add_argument("--format", choices=("table", "json"), default="table")
    m.add_argument("--verbose", action="store_true", help=_VERBOSE)
    _output_option(m)
    v = sub.add_parser("verify", help="the post-migration checklist")
    v.add_argument("--root", default=".")
    v.add_argument("--uv-mk", default=None)
    v.add_argument("--keep-requirements", action="store_true")
    _output_option(v)
    v.add_argument(
        "--quick",
        action="store_true",
        help="no uv sync and no target run: uv lock --check, and the make targets with make -n",
    )
    v.add_argument(
        "--timeout", type=int, default=300, help="seconds each make target may run (default 300)"
    )
    i = sub.add_parser("init", help="put uv.mk into a repo and include it from its Makefile")
    i.add_argument("dir", nargs="?", default=".")
    u = sub.add_parser("update", help="replace a repo's uv.mk with this release's")
    u.add_argument("dir", nargs="?", default=".")
    u.add_argument("--force", action="store_true", help="overwrite local edits or a newer uv.mk")
    return p


def _version() -> str:
    from uvmk import vendor

    try:
        return vendor.version()
    except vendor.VendorError as exc:
        return f"unknown ({exc})"


class _VersionAction(argparse.Action):
    """--version: the version is read (from the bundled uv.mk) only when asked for."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"uv-mk {_version()}")  # on stdout, as argparse's own version action
        parser.exit()


def _vendor(args: argparse.Namespace) -> int:
    """`init` and `update`: what was done on stdout, the diff first; a refusal is one line."""
    from uvmk import vendor

    root = Path(args.dir)
    try:
        if args.command == "init":
            result = vendor.init(root)
        else:
            result = vendor.update(root, force=args.force)
    except vendor.VendorError as exc:
        report.write(exc.diff)
        print(error_line(f"{exc}"), file=sys.stderr)
        return 2
    report.write(result.diff + "".join(f"{line}\n" for line in result.done))
    return 0


def _naming_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--requirements",
        action="append",
        default=[],
        metavar="FILE",
        help="a runtime requirements file (repeatable; instead of discovery)",
    )
    p.add_argument(
        "--dev-requirements",
        action="append",
        default=[],
        metavar="FILE[:GROUP]",
        help="a development requirements file, into GROUP (default: from its name, else dev)",
    )
    p.add_argument(
        "--subprojects",
        choices=("refuse", "keep"),
        default="refuse",
        help="projects of their own below the root (services/api/): refuse (until workspaces "
        "exist), or keep them as they are and migrate the root alone",
    )


def _output_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--output",
        default=None,
        metavar="PATH",
        help="write the report to PATH (atomically) instead of stdout; stdout gets one line",
    )


def _named(args: argparse.Namespace) -> NamedFiles | None:
    """--requirements / --dev-requirements as {file: role}; each value may hold several files
    separated by spaces or commas (REQUIREMENTS='a.txt b.txt' from make)."""
    named: NamedFiles = {}
    for value in getattr(args, "requirements", []):
        for rel in re.split(r"[\s,]+", value.strip()):
            if rel:
                named[rel] = ("runtime", None)
    for value in getattr(args, "dev_requirements", []):
        for item in re.split(r"[\s,]+", value.strip()):
            if not item:
                continue
            rel, _, group = item.partition(":")
            if not group:
                role, by_name = file_role(rel)
                group = by_name if role == "group" and by_name else "dev"
            named[rel] = ("group", canonicalize_name(group))
    return named or None


def _uv() -> str:
    return os.environ.get("UV") or "uv"


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except UsageError as exc:
        usage = "(usage: uv-mk audit|migrate|verify|init|update --help)"
        print(error_line(f"{exc} {usage}"), file=sys.stderr)
        return 2
    if args.command in ("init", "update"):
        return _vendor(args)
    root = Path(args.root).resolve()
    if not root.is_dir():
        print(error_line(f"--root {args.root} is not a folder"), file=sys.stderr)
        return 2
    uv_mk = Path(args.uv_mk).resolve() if getattr(args, "uv_mk", None) else None
    if getattr(args, "output", None):
        return _to_file(args, root, uv_mk, Path(args.output))
    return _report(args, root, uv_mk)


def _to_file(args: argparse.Namespace, root: Path, uv_mk: Path | None, path: Path) -> int:
    """--output: the report goes to PATH whole or not at all, so a make that adds its own lines
    to stdout (4.0 and 4.1 print "recipe for target ... failed" there) cannot corrupt it. A
    refusal (exit 2) writes nothing: PATH is left as it was."""
    if path.is_dir():
        print(error_line(f"--output {path} is a folder"), file=sys.stderr)
        return 2
    from uvmk.atomic import atomic_write

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = _report(args, root, uv_mk)
    if code == 2:
        return code
    try:
        atomic_write(path, buffer.getvalue())
    except OSError as exc:
        print(error_line(f"--output {path}: {exc.strerror}"), file=sys.stderr)
        return 2
    print(f"uv-mk {args.command}: report written to {path} (exit {code})")
    return code


def _report(args: argparse.Namespace, root: Path, uv_mk: Path | None) -> int:
    try:
        if args.command == "verify":
            from uvmk import verify as uvmk_verify

            results = uvmk_verify.checks(
                root,
                uv=_uv(),
                uv_mk=uv_mk,
                keep_requirements=args.keep_requirements,
                quick=args.quick,
                timeout=args.timeout,
            )
            st = report.Style(report.use_colour(sys.stdout))
            sys.stdout.write(report.verify_checklist(root, results, st))
            return 0 if uvmk_verify.passed(results) else 1
        return _audit_or_migrate(args, root, uv_mk)
    except SurveyError as exc:
        print(error_line(f"{exc}"), file=sys.stderr)
        return 2
    except RequirementsError as exc:
        print(error_line(f"{exc}"), file=sys.stderr)
        return 2


def _audit_or_migrate(args: argparse.Namespace, root: Path, uv_mk: Path | None) -> int:
    """survey -> facts -> plan, then the audit's report or the migration (preview or apply)."""
    from uvmk import elsewhere
    from uvmk.facts import gather as gather_facts
    from uvmk.plan import Options, build_plan
    from uvmk.plan.python import python_requests
    from uvmk.survey.snapshot import survey

    options = Options(
        keep_requirements=getattr(args, "keep_requirements", False),
        export_requirements=getattr(args, "export_requirements", False),
        override_pins=getattr(args, "override_pins", False),
        keep_pyproject_pins=getattr(args, "keep_pyproject_pins", False),
        uv_mk=uv_mk,
        python=getattr(args, "python", None),
        uv=_uv(),
        rewrite=getattr(args, "rewrite", frozenset()),
    )
    s = survey(
        root,
        named=_named(args),
        options=options,
        keep_subprojects=args.subprojects == "keep",
    )
    wanted = python_requests(s, options.python) if args.command == "migrate" else None
    facts = gather_facts(s, options, pythons=wanted)
    plan = build_plan(s, options, facts)
    if args.command == "migrate" and plan.python.blocker and plan.seed_pins:
        from uvmk.facts import pythons_pins_install_on

        # the refusal's way out names an installed Python the pins install on, not a guess
        install_on = pythons_pins_install_on(s, options.uv, plan.seed_pins)
        plan = build_plan(s, options, replace(facts, pins_install_on=install_on))
    left_behind = elsewhere.refusal(plan.unmigrated)
    if left_behind and args.command == "migrate":
        # one verdict: the preview refuses as APPLY=1 would, before anything changes
        print(error_line(f"{left_behind}"), file=sys.stderr)
        return 2
    st = report.Style(report.use_colour(sys.stdout))
    if args.command == "audit":
        from uvmk.audit import audit

        found = audit(s, plan)
        if args.check:
            from uvmk import check

            return check.run(found, facts.lock_stale, st)
        if args.format == "json":
            report.write(report.dumps(report.audit_json(found)))
        elif args.format == "markdown":
            report.write(report.audit_markdown(found))
        else:
            report.write(report.audit_table(found, st, verbose=args.verbose))
        return 0 if found.clean else 1
    from uvmk.refusals import refusal

    stop = refusal(plan, applying=args.apply)
    if stop is not None:
        print(stop, file=sys.stderr)
        return 2
    if not args.apply:
        if args.format == "json":
            report.write(report.dumps(plan.to_json()))
        else:
            report.write(report.migrate_table(plan, st, verbose=args.verbose))
        return 0
    return _apply(plan, args, st)


def _apply(plan: MigrationPlan, args: argparse.Namespace, st: report.Style) -> int:
    if plan.empty:
        if args.format == "json":
            report.write(report.dumps({**plan.to_json(), "applied": []}))
        else:
            report.write(report.migrate_table(plan, st, applied=True))
        return 0
    from uvmk.apply import ApplyError, apply_plan

    try:
        result = apply_plan(plan, force=args.force)
    except ApplyError as exc:
        print(error_line(f"{exc}"), file=sys.stderr)
        return 2
    if args.format == "json":
        report.write(report.dumps(report.applied_json(plan, result)))
    else:
        report.write(report.applied_table(plan, result, st, args.verbose))
    # pins that moved though uv never blamed them: written, but not to commit unread
    return 1 if result.unexplained_moves else 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    # A SIGTERM (CI timeout, a killed make) unwinds like Ctrl-C, so apply restores every file.
    raise KeyboardInterrupt


def run() -> None:
    """The console entry point: main() with SIGTERM and Ctrl-C turned into exit 130."""
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        code = main()
    except KeyboardInterrupt:
        print(error_line("interrupted"), file=sys.stderr)
        sys.exit(130)
    _exit(code)


def _exit(code: int) -> None:
    """Exit without the interpreter's teardown: every file is written and closed by now, and
    freeing some 280 modules one by one took 20-40 ms of an audit's ~200 (python -X importtime
    and a timed exit). Only the output buffers are left to flush."""
    for stream in (sys.stdout, sys.stderr):
        # a closed pipe (| head): what was read is all it wanted
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
