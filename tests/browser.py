"""Open a page in headless Chromium and report what a reader would see go wrong.

No Python dependency: a copy of the page gets a probe script as the first thing in ``<head>``; it
records JavaScript errors, resources that failed to load (images, scripts, style sheets) and, after
the ``load`` event, every image with its ``naturalWidth``, and writes them as JSON into the DOM.
``chromium --headless --dump-dom`` prints that DOM.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PageCheck", "find_chromium", "check_page"]

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

_PROBE = """<script>(function () {
  var R = {errors: [], failed: [], images: []};
  window.addEventListener("error", function (e) {
    var t = e.target;
    if (t && t !== window && (t.src || t.href)) { R.failed.push((t.tagName || "") + " " + (t.src || t.href)); }
    else { R.errors.push(String(e.message) + " at " + e.filename + ":" + e.lineno); }
  }, true);
  window.addEventListener("unhandledrejection", function (e) { R.errors.push("unhandled rejection: " + String(e.reason)); });
  var ce = console.error;
  console.error = function () { R.errors.push("console.error: " + Array.prototype.join.call(arguments, " ")); return ce.apply(console, arguments); };
  window.addEventListener("load", function () { setTimeout(function () {
    for (var i = 0; i < document.images.length; i++) {
      var im = document.images[i];
      R.images.push({src: (im.currentSrc || im.src).slice(0, 160), complete: im.complete, width: im.naturalWidth});
    }
    var pre = document.createElement("pre"); pre.id = "newsscope-check"; pre.textContent = JSON.stringify(R);
    document.body.appendChild(pre);
  }, 300); });
})();</script>"""

_RESULT = re.compile(r'<pre id="newsscope-check">(.*?)</pre>', re.S)


@dataclass
class PageCheck:
    """What the browser saw on one page."""

    images: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def broken_images(self) -> list[dict]:
        """Images that did not load (``naturalWidth`` 0 or not complete)."""
        return [im for im in self.images if not im["complete"] or im["width"] <= 0]


def find_chromium() -> str | None:
    """Return the Chromium executable (``NEWSSCOPE_CHROMIUM`` or the first on PATH), or None."""
    env = os.environ.get("NEWSSCOPE_CHROMIUM")
    if env:
        return env if Path(env).is_file() else shutil.which(env)
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


def check_page(page: Path, chromium: str, *, budget_ms: int = 15000, timeout: float = 120.0) -> PageCheck:
    """Load ``page`` (a local HTML file) in headless Chromium and return what went wrong.

    Raises
    ------
    RuntimeError
        When Chromium produced no result (it crashed, or the page never fired ``load``).
    """
    page = Path(page).resolve()
    text = page.read_text(encoding="utf-8")
    m = re.search(r"<head[^>]*>", text, re.I)
    probed = text[: m.end()] + _PROBE + text[m.end():] if m else _PROBE + text
    probe_page = page.with_name(f".check-{page.name}")
    probe_page.write_text(probed, encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory(prefix="newsscope-chromium-") as profile:
            cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                   f"--virtual-time-budget={budget_ms}", "--dump-dom", probe_page.as_uri()]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    finally:
        probe_page.unlink(missing_ok=True)
    found = _RESULT.search(proc.stdout)
    if not found:
        raise RuntimeError(f"chromium gave no result for {page} (exit {proc.returncode}): {proc.stderr[-2000:]}")
    data = json.loads(html.unescape(found.group(1)))
    return PageCheck(images=data["images"], errors=data["errors"], failed=data["failed"])
