"""Real Chromium, the unpacked extension, a Seller Central-like page and the real API.

Used by the browser tests and by ``browser-extension/tools/screenshots.py``:

- :class:`FixtureSite` serves ``tests/fixtures/seller-central`` over HTTPS with a
  strict Content-Security-Policy; Chromium maps the Seller Central host names to it
  (``--host-resolver-rules``), so the extension's real ``content_scripts.matches``
  apply unchanged.
- :class:`ApiServer` runs ``replylint serve`` in a subprocess on a free loopback port
  and can be stopped and restarted (the "API down" test).
- :class:`RecordingProxy` sits between the extension and the API and keeps every
  request body, to prove what the extension sends.
- :func:`launch` starts Chromium (new headless mode) with the extension loaded.
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "browser-extension"
FIXTURE = REPO / "tests" / "fixtures" / "seller-central"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

#: Seller Central hosts the tests visit; all map to the fixture server.
SELLER_CENTRAL = "sellercentral.amazon.com"
SELLER_CENTRAL_DE = "sellercentral.amazon.de"
#: A helpdesk the agent enables on the options page.
HELPDESK = "helpdesk.example.test"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'"
)


def missing(reason: str) -> None:
    """Skip outside CI, fail in CI (``CI=true``): a required tool is not installed."""
    import pytest

    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# -- the Seller Central-like site -------------------------------------------------------------


def _self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A throw-away certificate for the fixture hosts (Chromium is told to accept it)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    hosts = [SELLER_CENTRAL, SELLER_CENTRAL_DE, HELPDESK]
    openssl = shutil.which("openssl")
    if openssl:
        san = ",".join(f"DNS:{h}" for h in hosts)
        command = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        command += ["-keyout", str(key), "-out", str(cert), "-subj", f"/CN={hosts[0]}"]
        command += ["-addext", f"subjectAltName={san}"]
        subprocess.run(command, check=True, capture_output=True)
        return cert, key
    try:
        import datetime

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise RuntimeError("the browser tests need `openssl` or the `cryptography` package") from exc
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in hosts]), critical=False)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert, key


class _FixtureHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(FIXTURE), **kwargs)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def translate_path(self, path: str) -> str:
        # Every route of the single-page app serves the page (like /messaging/thread/…).
        clean = path.split("?", 1)[0]
        if not Path(FIXTURE, clean.lstrip("/")).is_file():
            path = "/messaging.html"
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class FixtureSite:
    """HTTPS server for the fixture page; every host in ``--host-resolver-rules`` lands here."""

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="replylint-site-"))
        cert, key = _self_signed_certificate(self._dir)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FixtureHandler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, host: str = SELLER_CENTRAL, path: str = "/messaging/thread", **query: str) -> str:
        qs = "&".join(f"{k}={v}" for k, v in query.items())
        return f"https://{host}{path}" + (f"?{qs}" if qs else "")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self._dir, ignore_errors=True)


# -- the API -----------------------------------------------------------------------------------


class ApiServer:
    """``replylint serve`` on a free loopback port, as an agent runs it."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = {**os.environ, **(env or {})}
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server

    def start(self, timeout: float = 300.0) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "replylint", "serve", "--port", str(self.port)],
            cwd=REPO,
            env=self._env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Other test workers may still use it when this one ends (see conftest).
            start_new_session=True,
        )
        try:
            self._wait_ready(timeout)
        except BaseException:
            # It runs in its own session: never leave it behind (interrupts included).
            self.stop()
            raise

    def _wait_ready(self, timeout: float) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"replylint serve exited ({self._proc.returncode}):\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                body = exc.read().decode("utf-8", "replace")
                if "engine-failed" in body:  # a broken rule file: say so now, not after the timeout
                    raise RuntimeError(f"replylint serve cannot load the engine: {body}") from None
            except OSError:
                pass  # not listening yet
            time.sleep(0.3)
        raise RuntimeError(f"replylint serve not ready after {timeout:.0f} s:\n{self.log()}")

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def stop(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    def log(self) -> str:
        """The server's output without the readiness polls, the end of it."""
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").splitlines()
        return "\n".join(line for line in lines if "/readyz" not in line)[-4000:]


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class RecordingProxy:
    """Forwards to the API and keeps what the extension sent (bodies, headers)."""

    target: str
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        proxy = self
        target = self.target.removeprefix("http://")

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body: Any = None
                if raw:
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        body = raw.decode("utf-8", "replace")
                headers = {k.lower(): v for k, v in self.headers.items()}
                if self.command != "OPTIONS":
                    proxy.requests.append(Recorded(self.command, self.path, headers, body))
                conn = http.client.HTTPConnection(target, timeout=30)
                forward = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "connection"}}
                conn.request(self.command, self.path, body=raw or None, headers=forward)
                answer = conn.getresponse()
                data = answer.read()
                conn.close()
                try:
                    self.send_response(answer.status)
                    for key, value in answer.getheaders():
                        if key.lower() not in {"transfer-encoding", "connection", "content-length"}:
                            self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the extension cancelled this check: a newer text superseded it

            do_GET = do_POST = do_OPTIONS = _forward

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self, path: str) -> list[Any]:
        return [r.body for r in self.requests if r.path.split("?")[0] == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- the browser -------------------------------------------------------------------------------


def extension_copy(
    destination: Path, *, source: Path = EXTENSION, extra_host_permissions: list[str] | None = None
) -> Path:
    """The unpacked extension as shipped, optionally with host access the user granted.

    Granting at install time stands in for the permission prompt of the options page,
    which a headless browser cannot click: ``chrome.permissions.request`` then resolves
    at once, and the rest of the flow (registration, injection) is the real one.
    """
    target = destination / "extension"
    shutil.copytree(
        source,
        target,
        ignore=shutil.ignore_patterns("node_modules", "dist", "test", "tools", "package*.json", "*.md"),
    )
    if extra_host_permissions:
        manifest_path = target / "manifest.json"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["host_permissions"] = [*manifest.get("host_permissions", []), *extra_host_permissions]
        manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return target


@dataclass
class Browser:
    context: Any
    extension_id: str
    worker: Any
    profile: Path

    def options_url(self) -> str:
        return f"chrome-extension://{self.extension_id}/src/options/options.html"

    def configure(self, **settings: Any) -> None:
        """Writes settings as the options page would (sync) and the key (local)."""
        key = settings.pop("apiKey", None)
        self.worker.evaluate(
            """async ([settings, key]) => {
                if (Object.keys(settings).length) await chrome.storage.sync.set(settings);
                if (key !== null) await chrome.storage.local.set({apiKey: key});
            }""",
            [settings, key],
        )

    def reset(self, api_url: str) -> None:
        self.worker.evaluate(
            """async (apiUrl) => {
                await chrome.storage.sync.clear();
                await chrome.storage.local.clear();
                await chrome.storage.sync.set({apiUrl, marketplace: 'auto', lang: 'auto', panelOpen: true,
                  sites: [{id: 'amazon-seller-central', pattern: '', enabled: true, builtin: true}]});
            }""",
            api_url,
        )


@contextlib.contextmanager
def launch(
    playwright: Any,
    extension_dir: Path,
    site_port: int,
    *,
    locale: str | None = None,
    viewport: tuple[int, int] = (1280, 860),
) -> Iterator[Browser]:
    executable = chromium_path()
    if not executable:
        raise RuntimeError("chromium not found")
    profile = Path(tempfile.mkdtemp(prefix="replylint-chromium-"))
    hosts = [SELLER_CENTRAL, SELLER_CENTRAL_DE, HELPDESK]
    rules = ",".join(f"MAP {h} 127.0.0.1:{site_port}" for h in hosts)
    args = [
        "--headless=new",
        f"--disable-extensions-except={extension_dir}",
        f"--load-extension={extension_dir}",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--ignore-certificate-errors",
        "--font-render-hinting=none",
        f"--host-resolver-rules={rules}, EXCLUDE 127.0.0.1",
    ]
    env = dict(os.environ)
    if locale:
        # Chromium on Linux takes its interface language (which chrome.i18n follows)
        # from LANGUAGE; --lang is for the other platforms.
        args.append(f"--lang={locale}")
        env["LANGUAGE"] = locale.replace("-", "_")
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=executable,
        headless=True,
        args=args,
        env=env,
        locale=locale,
        viewport={"width": viewport[0], "height": viewport[1]},
        ignore_https_errors=True,
    )
    try:
        worker = (
            context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
        )
        extension_id = worker.url.split("/")[2]
        yield Browser(context, extension_id, worker, profile)
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)
