"""The `replylint` command.

Exit codes: 0 no error-severity diagnostic, 1 at least one, 2 usage or input error
(never a traceback). Commands live here or in :mod:`replylint.commands`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from .__about__ import __version__
from .errors import ReplylintError
from .schema import MARKETPLACES

F = TypeVar("F", bound=Callable[..., Any])


def split_names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(n.strip() for v in values for n in v.split(",") if n.strip())


def use_colour(choice: str, stream: Any) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def common_options(fn: F) -> F:
    """Options shared by the linting commands (CONTRACT.md §2)."""
    decorators = [
        click.option(
            "--marketplace",
            type=click.Choice(MARKETPLACES, case_sensitive=False),
            default=None,
            help="Marketplace profile (default: amazon, or the configuration's).",
        ),
        click.option(
            "--lang",
            default=None,
            help="Language of the replies: en, fr, de, es, it, or auto (default).",
        ),
        click.option(
            "--select",
            multiple=True,
            metavar="RULES",
            help="Only these rule ids or families (comma-separated; repeatable).",
        ),
        click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rule ids or families."),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Configuration file (pyproject.toml or replylint.toml); default: nearest to the input.",
        ),
    ]
    for deco in reversed(decorators):
        fn = deco(fn)
    return fn


def fail(message: str) -> None:
    click.echo(f"replylint: error: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="replylint")
def cli() -> None:
    """Lint marketplace sellers' replies to buyers: policy, tone and structure.

    \b
    replylint check reply.txt                  lint files (or - for stdin)
    replylint batch replies.jsonl -o out.jsonl score an export, one result per record
    replylint rules                            list every rule
    """


# -- rules ----------------------------------------------------------------------------


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option("--family", default=None, help="Only this family (policy, tone, structure, clarity).")
@click.option(
    "--marketplace",
    type=click.Choice(MARKETPLACES),
    default=None,
    help="Only rules on in this profile.",
)
@click.argument("rule_id", required=False)
def rules(output_format: str, family: str | None, marketplace: str | None, rule_id: str | None) -> None:
    """List every rule: id, family, default severity, marketplaces, languages.

    With a RULE_ID, explain that rule (what it does, why, examples).
    """
    import json

    from .catalogue import load_catalogue

    catalogue = load_catalogue()
    if rule_id:
        rid = catalogue.resolve(rule_id)
        if rid not in catalogue.rules:
            raise ReplylintError(f"unknown rule {rule_id!r}")
        rule = catalogue.rules[rid]
        if output_format == "json":
            click.echo(
                json.dumps(rule.model_dump(mode="json", exclude={"path"}), ensure_ascii=False, indent=2)
            )
        else:
            from .docs import rule_markdown

            click.echo(rule_markdown(catalogue, rule))
        return
    infos = [catalogue.rule_info(r) for r in catalogue.rules.values()]
    if family:
        infos = [i for i in infos if i.family == family]
    if marketplace:
        infos = [i for i in infos if i.marketplaces.get(marketplace, "off") != "off"]
    if output_format == "json":
        click.echo(json.dumps([i.model_dump(mode="json") for i in infos], ensure_ascii=False, indent=2))
        return
    header = f"{'id':26} {'family':10} {'severity':8} {'fix':6} {'languages':15} marketplaces"
    click.echo(header)
    click.echo("-" * len(header))
    for info in sorted(infos, key=lambda i: (i.family, i.id)):
        markets = " ".join(f"{m}:{s[0]}" if s != "off" else f"{m}:-" for m, s in info.marketplaces.items())
        langs = ",".join(info.languages)
        click.echo(f"{info.id:26} {info.family:10} {info.severity:8} {info.fix:6} {langs:15} {markets}")
    click.echo(
        "\nmarketplaces: e = error, w = warning, i = info, - = off. `replylint rules ID` explains a rule."
    )


@cli.command("schema")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("docs/schema"))
def schema_cmd(directory: Path) -> None:
    """Write the JSON Schema of the records to DIRECTORY (default docs/schema)."""
    from .schema import export_json_schema

    for path in export_json_schema(directory):
        click.echo(str(path))


def _register_commands() -> None:
    """Commands that live in their own modules (one owner each)."""
    from .commands import batch, check, rewrite, serve

    cli.add_command(check.check)
    cli.add_command(batch.batch)
    cli.add_command(serve.serve)
    cli.add_command(rewrite.rewrite)


_register_commands()


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors exit 2 with a message, never a traceback."""
    try:
        cli.main(args=argv, prog_name="replylint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except ReplylintError as exc:
        fail(exc.message)
        sys.exit(2)
    except BrokenPipeError:
        # Output piped into `head`: not an error.
        try:
            sys.stdout = None  # type: ignore[assignment]
        finally:
            os._exit(0)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
