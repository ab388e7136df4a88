"""`replylint rewrite`: a compliant, warmer draft, always re-linted.

The new draft goes to standard output (or ``--output``), so it pipes; with ``--diff``
a unified diff goes there instead. What changed, the score before and after and
anything still flagged go to standard error. Exit codes as ``check``: 1 when the new
draft still has an error-severity diagnostic, 0 otherwise, 2 on bad input.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from ..cli import common_options, split_names, use_colour
from ..errors import ReplylintError
from .check import read_reply

_KIND_LABEL = {
    "fix": "fixed",
    "rephrase": "reworded",
    "remove": "removed",
    "add": "added",
    "restore": "restored",
    "llm": "rewrote",
}


@click.command()
@click.argument("path")
@common_options
@click.option(
    "--buyer-message",
    "buyer_message_path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="File with the buyer's message being answered (the rewrite speaks to it).",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "llm", "offline"]),
    default="auto",
    show_default=True,
    help="auto: the LLM when one is configured, else offline.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the new draft; json: the rewrite response (draft, result, engine, changes).",
)
@click.option("--diff", is_flag=True, help="Print a unified diff of the draft instead of the new text.")
@click.option(
    "--output",
    "-o",
    "output_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the new draft to this file (may be the input file).",
)
@click.option("--quiet", "-q", is_flag=True, help="No summary on standard error.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
def rewrite(
    path: str,
    marketplace: str | None,
    lang: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: Path | None,
    buyer_message_path: str | None,
    engine: str,
    output_format: str,
    diff: bool,
    output_path: Path | None,
    quiet: bool,
    color: str,
) -> None:
    """Rewrite a draft reply (a file, or - for standard input).

    \b
    replylint rewrite draft.txt --buyer-message buyer.txt
    replylint rewrite draft.txt --diff
    pbpaste | replylint rewrite - --engine offline | pbcopy

    The LLM engine is used when REPLYLINT_LLM_MODEL (or [tool.replylint.llm]) is
    set; the offline engine otherwise, or whenever the model fails.
    """
    from ..config import ConfigResolver
    from ..engine import Linter
    from ..rewrite import RewriteOptions
    from ..rewrite import rewrite as rewrite_record
    from ..rewrite.llm import settings_from_config
    from ..schema import InputRecord

    resolver = ConfigResolver(config_path)
    config = resolver.for_path(Path.cwd() if path == "-" else Path(path))
    options = config.lint_options(select=split_names(select) or None, ignore=split_names(ignore))
    linter = Linter(config.catalogue(), options)
    text = read_reply(path)
    buyer_message = read_reply(buyer_message_path) if buyer_message_path else None
    defaults = config.record_defaults()
    record = InputRecord(
        id="<stdin>" if path == "-" else path,
        text=text,
        buyer_message=buyer_message,
        marketplace=marketplace or defaults.get("marketplace") or "amazon",  # type: ignore[arg-type]
        lang=lang or defaults.get("lang"),
    )
    before = linter.check(record)
    response = rewrite_record(
        record,
        linter=linter,
        options=RewriteOptions(engine=engine, llm=settings_from_config(config)),  # type: ignore[arg-type]
    )

    out = click.get_text_stream("stdout")
    if output_format == "json":
        out.write(response.model_dump_json(indent=2) + "\n")
    elif diff:
        name = "<stdin>" if path == "-" else path
        lines = difflib.unified_diff(
            text.splitlines(keepends=True),
            response.text.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
        body = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
        out.write(_colour_diff(body) if use_colour(color, out) else body)
    elif output_path is None:
        out.write(response.text if response.text.endswith("\n") else response.text + "\n")
    if output_path is not None:
        try:
            output_path.write_text(response.text, encoding="utf-8")
        except OSError as exc:
            raise ReplylintError(f"{output_path}: cannot write: {exc.strerror}") from None

    if not quiet:
        err = click.get_text_stream("stderr")
        _summary(before.score, response, use_colour(color, err))
    sys.exit(1 if any(d.severity == "error" for d in response.result.diagnostics) else 0)


def _summary(before_score: int, response: object, colour: bool) -> None:
    from ..schema import RewriteResponse

    assert isinstance(response, RewriteResponse)
    result = response.result
    verdict = "compliant" if result.compliant else "NOT compliant"
    head = f"rewritten by the {response.engine} engine: score {before_score} → {result.score}, {verdict}"
    click.echo(click.style(head, bold=True) if colour else head, err=True)
    for change in response.changes:
        label = _KIND_LABEL.get(change.kind, change.kind)
        rule = f" [{change.rule}]" if change.rule else ""
        detail = change.after if change.kind in ("add", "restore") else change.before
        shown = f": {_clip(detail)}" if detail else ""
        click.echo(f"  {label}{rule}{shown}", err=True)
        if change.kind in ("rephrase", "fix", "llm") and change.before and change.after:
            click.echo(f"      → {_clip(change.after)}", err=True)
    left = [d for d in result.diagnostics if d.severity in ("error", "warning")]
    for d in left:
        click.echo(f"  still {d.severity}[{d.rule}]: {d.message}", err=True)
    for note in response.notes:
        click.echo(f"  note: {note}", err=True)


def _clip(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1]}…"'


def _colour_diff(body: str) -> str:
    out = []
    for line in body.splitlines(keepends=True):
        if line.startswith("+") and not line.startswith("+++"):
            out.append(click.style(line, fg="green"))
        elif line.startswith("-") and not line.startswith("---"):
            out.append(click.style(line, fg="red"))
        else:
            out.append(line)
    return "".join(out)
