"""The extension without a browser: its JavaScript unit tests (``node --test``), the
offset contract against Python itself, types generated from the JSON Schema, the
type check, and the store package.

Node.js runs the JavaScript tests; outside CI they skip when it is missing.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from extension_harness import EXTENSION, REPO, missing

NODE_TIMEOUT = 300


def node() -> str:
    path = shutil.which("node")
    if not path:
        missing("Node.js is not installed (the extension's unit tests run with `node --test`)")
    assert path
    return path


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extension_build", EXTENSION / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_javascript_unit_tests_pass() -> None:
    run = subprocess.run(
        [node(), "--test", "test/"],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout


# Texts where Python's code-point offsets and JavaScript's UTF-16 offsets part ways.
OFFSET_CASES = [
    ("Hi 😀 Zoë, email me at bob@example.com", "bob@example.com"),
    ("👩‍👩‍👧 family 🇫🇷 — visit www.shop-example.com today", "www.shop-example.com"),
    ("Désolé 😞😞 Zoe\u0308, écrivez-moi à jane@example.fr", "jane@example.fr"),
    ("𝒜𝒷𝒸 𠀋 中文 call +44 20 7946 0958", "+44 20 7946 0958"),
    ("no astral characters at all: contact the carrier", "contact the carrier"),
    ("😀", "😀"),
]


def test_python_offsets_select_the_same_text_in_javascript() -> None:
    """The contract: start/end are Python str indices; the extension turns them into the
    UTF-16 span of the very same characters."""
    cases = []
    for text, word in OFFSET_CASES:
        start = text.index(word)
        cases.append({"text": text, "start": start, "end": start + len(word), "word": word})
    script = """
const { load } = require("./test/load.js");
const { rlOffsetMap, rlSpanToUtf16 } = load("src/shared/offsets.js");
const cases = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map((c) => {
  const span = rlSpanToUtf16(rlOffsetMap(c.text), c.start, c.end);
  return c.text.slice(span.start, span.end);
})));
"""
    run = subprocess.run(
        [node(), "-e", script],
        cwd=EXTENSION,
        input=json.dumps(cases, ensure_ascii=False),
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [case["word"] for case in cases]


def _npm_tools() -> Path:
    """browser-extension/node_modules with the pinned dev tools (npm ci on first use)."""
    modules = EXTENSION / "node_modules"
    if not all((modules / tool).is_dir() for tool in ("typescript", "json-schema-to-typescript", "prettier")):
        npm = shutil.which("npm")
        if not npm:
            missing("npm is not installed (the type check needs the pinned TypeScript)")
        assert npm
        run = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=EXTENSION,
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT,
        )
        if run.returncode != 0:
            missing(f"npm ci failed (offline?): {run.stderr[-500:]}")
    return modules


def test_types_generated_from_the_json_schema_are_fresh() -> None:
    _npm_tools()
    run = subprocess.run(
        [node(), "tools/gen-types.mjs", "--check"],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
    )
    assert run.returncode == 0, run.stderr


def test_the_extension_type_checks_against_the_schema_types() -> None:
    modules = _npm_tools()
    run = subprocess.run(
        [node(), str(modules / "typescript" / "bin" / "tsc"), "-p", "tsconfig.json"],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
    )
    assert run.returncode == 0, run.stdout[-4000:]


def test_the_javascript_follows_the_house_style() -> None:
    modules = _npm_tools()
    run = subprocess.run(
        [node(), str(modules / "prettier" / "bin" / "prettier.cjs"), "--check", "."],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:] + "\nrun `npm run format`"


# -- the store package -------------------------------------------------------------------------


def test_one_command_builds_a_reproducible_store_zip(tmp_path: Path) -> None:
    first = subprocess.run(
        ["python3", str(EXTENSION / "build.py"), "--out", str(tmp_path / "a")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    build = load_build()
    again = build.build(tmp_path / "b")
    archive = next((tmp_path / "a").glob("replylint-extension-*.zip"))
    assert archive.read_bytes() == again.read_bytes()
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    version = build.replylint_version()
    assert manifest["version_name"] == version
    assert manifest["version"] == build.chrome_version(version)
    for name in build.referenced_files(manifest):
        assert name in names
    assert {f"_locales/{loc}/messages.json" for loc in ("en", "fr", "de", "es", "it", "zh_CN")} <= names
    assert not [n for n in names if n.startswith(("test/", "tools/", "node_modules/")) or n.endswith(".d.ts")]


def _copy_extension(tmp_path: Path) -> Path:
    root = tmp_path / "ext"
    shutil.copytree(EXTENSION, root, ignore=shutil.ignore_patterns("node_modules", "dist"))
    return root


def test_the_build_refuses_a_locale_missing_a_message(tmp_path: Path) -> None:
    build = load_build()
    root = _copy_extension(tmp_path)
    path = root / "_locales" / "de" / "messages.json"
    messages = json.loads(path.read_text(encoding="utf-8"))
    del messages["rewrite"]
    path.write_text(json.dumps(messages), encoding="utf-8")
    with pytest.raises(build.BuildError, match=r"_locales/de/messages.json: missing \['rewrite'\]"):
        build.build(tmp_path / "out", root=root)


def test_the_build_refuses_a_translation_that_drops_a_placeholder(tmp_path: Path) -> None:
    build = load_build()
    root = _copy_extension(tmp_path)
    path = root / "_locales" / "it" / "messages.json"
    messages = json.loads(path.read_text(encoding="utf-8"))
    messages["triageSla"]["message"] = "rispondere presto"
    path.write_text(json.dumps(messages), encoding="utf-8")
    with pytest.raises(build.BuildError, match="triageSla: placeholders differ"):
        build.build(tmp_path / "out", root=root)


def test_the_build_refuses_a_manifest_naming_a_missing_file(tmp_path: Path) -> None:
    build = load_build()
    root = _copy_extension(tmp_path)
    (root / "src" / "content" / "guard.js").unlink()
    with pytest.raises(build.BuildError, match=r"src/content/guard\.js"):
        build.build(tmp_path / "out", root=root)


def test_the_interface_speaks_six_languages() -> None:
    locales = sorted(p.name for p in (EXTENSION / "_locales").iterdir())
    assert locales == ["de", "en", "es", "fr", "it", "zh_CN"]
    load_build().check_locales(EXTENSION)


def test_the_extension_is_typed_from_the_committed_schema() -> None:
    """The generated types name the records of docs/schema, not a copy kept by hand."""
    generated = (EXTENSION / "src" / "types" / "schema.d.ts").read_text(encoding="utf-8")
    for record in ("InputRecord", "ResultRecord", "RewriteResponse", "Diagnostic", "Triage", "Structure"):
        assert f"export interface {record} " in generated
    assert (REPO / "docs" / "schema" / "rewrite-response.schema.json").is_file()
