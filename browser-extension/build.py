#!/usr/bin/env python3
"""Package the extension for the Chrome Web Store: one command, one zip.

    python3 browser-extension/build.py            # → browser-extension/dist/replylint-extension-<version>.zip
    python3 browser-extension/build.py --out DIR  # somewhere else
    python3 browser-extension/build.py --check      # validate only

The extension has no build step: the zip holds the files as they are in the source
tree (manifest, _locales, icons, src/ without type declarations). Before zipping,
the manifest and every file it names are checked, every locale is checked against
English, and the version is stamped from replylint's own (``replylint/__about__.py``)
so the extension and the API it talks to are released together. The archive is
reproducible: sorted entries, fixed timestamps and permissions.

Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: What ships. Tests, tools, type declarations and npm files stay behind.
INCLUDE = (
    "manifest.json",
    "_locales/*/messages.json",
    "icons/*.png",
    "src/**/*.js",
    "src/**/*.html",
    "src/**/*.css",
)
#: A fixed date for every zip entry (the earliest zip allows), so two builds are byte-identical.
EPOCH = (1980, 1, 1, 0, 0, 0)
LOCALES = ("en", "fr", "de", "es", "it", "zh_CN")


class BuildError(Exception):
    """A problem that makes the package unfit for the store; the message says where."""


def replylint_version() -> str:
    text = (REPO / "replylint" / "__about__.py").read_text(encoding="utf-8")
    match = re.search(r"""__version__\s*=\s*["']([^"']+)["']""", text)
    if not match:
        raise BuildError("replylint/__about__.py: no __version__")
    return match.group(1)


def chrome_version(version: str) -> str:
    """Chrome accepts one to four dot-separated integers: 1.2.0rc1 → 1.2.0 (the full
    string goes to ``version_name``)."""
    match = re.match(r"(\d+(?:\.\d+){0,3})", version)
    if not match:
        raise BuildError(f"version {version!r} has no numeric release part")
    return match.group(1)


def placeholders(message: str) -> set[str]:
    return set(re.findall(r"\$\d", message))


def check_locales(root: Path) -> None:
    english = json.loads((root / "_locales" / "en" / "messages.json").read_text(encoding="utf-8"))
    for locale in LOCALES:
        path = root / "_locales" / locale / "messages.json"
        if not path.is_file():
            raise BuildError(f"{path.relative_to(root)}: missing")
        try:
            messages = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise BuildError(f"{path.relative_to(root)}: invalid JSON: {exc}") from None
        missing = sorted(set(english) - set(messages))
        extra = sorted(set(messages) - set(english))
        if missing or extra:
            raise BuildError(f"{path.relative_to(root)}: missing {missing}, unknown {extra}")
        for key, entry in messages.items():
            text = entry.get("message") if isinstance(entry, dict) else None
            if not isinstance(text, str) or not text.strip():
                raise BuildError(f"{path.relative_to(root)}: {key}: empty message")
            if placeholders(text) != placeholders(english[key]["message"]):
                raise BuildError(f"{path.relative_to(root)}: {key}: placeholders differ from English")
        if len(messages["extName"]["message"]) > 75:
            raise BuildError(f"{path.relative_to(root)}: extName longer than 75 characters")
        if len(messages["extDescription"]["message"]) > 132:
            raise BuildError(f"{path.relative_to(root)}: extDescription longer than 132 characters")


def referenced_files(manifest: dict[str, object]) -> list[str]:
    """Every file the manifest points to."""
    files: list[str] = []
    icons = manifest.get("icons")
    if isinstance(icons, dict):
        files += [str(v) for v in icons.values()]
    action = manifest.get("action")
    if isinstance(action, dict) and isinstance(action.get("default_icon"), dict):
        files += [str(v) for v in action["default_icon"].values()]
    background = manifest.get("background")
    if isinstance(background, dict) and "service_worker" in background:
        files.append(str(background["service_worker"]))
    if "options_page" in manifest:
        files.append(str(manifest["options_page"]))
    scripts = manifest.get("content_scripts")
    if isinstance(scripts, list):
        for entry in scripts:
            files += [str(f) for f in entry.get("js", []) + entry.get("css", [])]
    return files


def check_manifest(root: Path) -> dict[str, object]:
    try:
        manifest: dict[str, object] = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BuildError(f"manifest.json: invalid JSON: {exc}") from None
    if manifest.get("manifest_version") != 3:
        raise BuildError("manifest.json: manifest_version must be 3")
    for name in referenced_files(manifest):
        if not (root / name).is_file():
            raise BuildError(f"manifest.json names {name}, which does not exist")
    # Pages load scripts and styles by relative path: check them too.
    for page in root.glob("src/**/*.html"):
        for ref in re.findall(r"""(?:src|href)="([^"#:]+)\"""", page.read_text(encoding="utf-8")):
            if not (page.parent / ref).resolve().is_file():
                raise BuildError(f"{page.relative_to(root)} names {ref}, which does not exist")
    return manifest


def collect(root: Path) -> list[Path]:
    files: set[Path] = set()
    for pattern in INCLUDE:
        files.update(p for p in root.glob(pattern) if p.is_file())
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def build(out_dir: Path, *, check_only: bool = False, root: Path = HERE) -> Path | None:
    """Validate the extension in ``root`` and, unless ``check_only``, write its zip."""
    manifest = check_manifest(root)
    check_locales(root)
    version = replylint_version()
    manifest["version"] = chrome_version(version)
    manifest["version_name"] = version
    if check_only:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"replylint-extension-{version}.zip"
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in collect(root):
            name = path.relative_to(root).as_posix()
            data = (
                (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
                if name == "manifest.json"
                else path.read_bytes()
            )
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    tmp.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Package the replylint Chrome extension.")
    parser.add_argument("--out", type=Path, default=HERE / "dist", help="output directory (default: dist/)")
    parser.add_argument("--check", action="store_true", help="validate the extension without writing the zip")
    args = parser.parse_args(argv)
    try:
        target = build(args.out, check_only=args.check)
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 2
    if target is None:
        print("build.py: the extension is valid")
    else:
        size = target.stat().st_size
        print(f"{target} ({size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
