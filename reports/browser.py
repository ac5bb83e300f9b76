"""Open reports in headless Chromium over the DevTools protocol: screenshots and load checks.

Used by the browser tests and to make ``docs/report-screenshot.png``. Drives Debian's ``chromium``
binary (never downloads a browser) through a small DevTools client on the ``websockets`` package, with
networking features off and a fresh profile per browser.

Command line: ``python -m reports.browser REPORT.html --out SHOT.png [--width 1000] [--mobile]``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM_ENV = "PRECHECK_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage", "--no-default-browser-check",
    "--hide-scrollbars", "--mute-audio", "--remote-debugging-port=0",
)
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


class BrowserError(RuntimeError):
    """Chromium is missing, did not start, or a DevTools call failed."""


def find_chromium() -> str | None:
    """Path of the Chromium binary (``$PRECHECK_CHROMIUM`` first), or None."""
    explicit = os.environ.get(CHROMIUM_ENV)
    if explicit:
        return explicit if Path(explicit).is_file() else None
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


@dataclass
class PageLog:
    """What happened while a page loaded: console errors, uncaught exceptions, requested URLs."""

    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.console_errors + self.exceptions


class _Connection:
    """One DevTools websocket: numbered commands, events routed to per-session logs."""

    def __init__(self, url: str) -> None:
        self._ws: ClientConnection = connect(url, max_size=None, open_timeout=20)
        self._ids = itertools.count(1)
        self._events: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def close(self) -> None:
        self._ws.close()

    def send(self, method: str, params: dict[str, Any] | None = None, session_id: str | None = None,
             timeout_s: float = 30.0) -> dict[str, Any]:
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
        if session_id:
            message["sessionId"] = session_id
        with self._lock:
            self._ws.send(json.dumps(message))
            deadline = time.monotonic() + timeout_s
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise BrowserError(f"DevTools {method} timed out")
                reply = json.loads(self._ws.recv(timeout=remaining))
                if reply.get("id") == message_id:
                    if "error" in reply:
                        raise BrowserError(f"DevTools {method}: {reply['error']}")
                    return reply.get("result", {})
                if "method" in reply:
                    self._events.append(reply)

    def wait_event(self, method: str, session_id: str, timeout_s: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while True:
                for index, event in enumerate(self._events):
                    if event["method"] == method and event.get("sessionId") == session_id:
                        return self._events.pop(index)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise BrowserError(f"no {method} within {timeout_s:.0f} s")
                reply = json.loads(self._ws.recv(timeout=remaining))
                if "method" in reply:
                    self._events.append(reply)

    def drain(self, session_id: str, settle_s: float = 0.0) -> list[dict[str, Any]]:
        """Collect the session's pending events (after waiting ``settle_s`` for late ones)."""
        deadline = time.monotonic() + settle_s
        with self._lock:
            while (remaining := deadline - time.monotonic()) > 0:
                try:
                    reply = json.loads(self._ws.recv(timeout=remaining))
                except TimeoutError:
                    break
                if "method" in reply:
                    self._events.append(reply)
            mine = [e for e in self._events if e.get("sessionId") == session_id]
            self._events = [e for e in self._events if e.get("sessionId") != session_id]
            return mine


class Page:
    """One tab with a loaded document."""

    def __init__(self, connection: _Connection, session_id: str) -> None:
        self._connection = connection
        self._session = session_id
        self.log = PageLog()

    def _collect(self, settle_s: float = 0.0) -> None:
        for event in self._connection.drain(self._session, settle_s):
            params = event.get("params", {})
            method = event["method"]
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                self.log.console_errors.append(" ".join(str(a.get("value", a.get("description", "")))
                                                        for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                self.log.exceptions.append(details.get("exception", {}).get("description") or details.get("text", ""))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                self.log.console_errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}")
            elif method == "Network.requestWillBeSent":
                self.log.requests.append(params.get("request", {}).get("url", ""))

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._connection.send(method, params, self._session)

    def evaluate(self, expression: str) -> Any:
        """Run JavaScript in the page and return its JSON-able value."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"script failed: {result['exceptionDetails'].get('text')}")
        value = result.get("result", {}).get("value")
        self._collect()
        return value

    def images(self) -> list[dict[str, Any]]:
        """Every ``<img>``: its source (shortened), whether it finished loading and its natural width."""
        return self.evaluate(
            "Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)))"
            ".then(() => Array.from(document.images).map(i => ({src: i.currentSrc.slice(0, 60),"
            " complete: i.complete, naturalWidth: i.naturalWidth, alt: i.alt})))"
        )

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        """Save a PNG of the page (the whole document height when ``full_page``)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            metrics = self.send("Page.getLayoutMetrics")
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            params.update(captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
        data = self.send("Page.captureScreenshot", params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def finish(self, settle_s: float = 0.2) -> PageLog:
        """Wait briefly for late console messages and return the page's log."""
        self._collect(settle_s)
        return self.log


class Browser:
    """A running headless Chromium with its DevTools connection."""

    def __init__(self, connection: _Connection) -> None:
        self._connection = connection

    def open(self, url: str, *, width: int = 1000, height: int = 800, mobile: bool = False,
             scale: float = 1.0, timeout_s: float = 30.0) -> Page:
        """Open ``url`` in a new tab with the given viewport and wait for its load event."""
        target = self._connection.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._connection.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self._connection, session)
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.send(f"{domain}.enable")
        page.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})
        page.send("Page.navigate", {"url": url})
        self._connection.wait_event("Page.loadEventFired", session, timeout_s)
        page._collect()
        return page


@contextlib.contextmanager
def open_browser(timeout_s: float = 30.0) -> Iterator[Browser]:
    """Start headless Chromium with a throw-away profile; close it and delete the profile on exit.

    Raises:
        BrowserError: Chromium is not installed or did not start.
    """
    binary = find_chromium()
    if binary is None:
        raise BrowserError("Chromium not found (apt-get install -y chromium, or set PRECHECK_CHROMIUM)")
    profile = tempfile.mkdtemp(prefix="precheck-chromium-")
    process = subprocess.Popen([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    connection = None
    try:
        url = _devtools_url(process, timeout_s)
        connection = _Connection(url)
        yield Browser(connection)
    finally:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.send("Browser.close", timeout_s=5)
            connection.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
        shutil.rmtree(profile, ignore_errors=True)


def _devtools_url(process: subprocess.Popen, timeout_s: float) -> str:
    found: list[str] = []
    seen: list[str] = []

    def reader() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            seen.append(line)
            match = _LISTENING.search(line)
            if match:
                found.append(match.group(1))
                break
        # keep draining so Chromium never blocks on a full stderr pipe
        for _ in process.stderr:
            pass

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not found:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise BrowserError("Chromium did not start: " + "".join(seen[-10:]))
        time.sleep(0.05)
    return found[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports.browser", description="screenshot an HTML report")
    parser.add_argument("html", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--mobile", action="store_true")
    parser.add_argument("--viewport-only", action="store_true", help="capture the viewport, not the whole page")
    args = parser.parse_args(argv)
    with open_browser() as browser:
        page = browser.open(args.html.resolve().as_uri(), width=args.width, height=args.height, mobile=args.mobile,
                            scale=2.0 if args.mobile else 1.0)
        broken = [i for i in page.images() if not i["naturalWidth"]]
        page.screenshot(args.out, full_page=not args.viewport_only)
        log = page.finish()
    for problem in [*log.errors, *(f"image not loaded: {i['src']}" for i in broken)]:
        print(problem, file=sys.stderr)
    print(args.out)
    return 1 if log.errors or broken else 0


if __name__ == "__main__":
    sys.exit(main())
