"""The bench's browser step: the network page opened in Debian's headless Chromium (driven by
Playwright), timed until it is drawn and still."""

from __future__ import annotations

import os
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The page sets window.maillageReady on vis-network's first "afterDrawing" (physics is off and the
# positions are fixed, so the first complete drawing is the final one); settled also means that
# every node is in the network and that no node moves over the next animation frames.
_READY = "window.maillageReady === true && window.maillageNetwork.body.data.nodes.length === {n}"
_STILL = """async () => {
  const net = window.maillageNetwork, ids = net.body.data.nodes.getIds().slice(0, 200);
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const before = JSON.stringify(net.getPositions(ids));
  await frame(); await frame();
  return before === JSON.stringify(net.getPositions(ids)) && !net.physics.options.enabled;
}"""


def browser_settle(page: Path, nodes: int, timeout_s: float = 60.0) -> tuple[float | None, str | None]:
    """Seconds from opening ``page`` in headless Chromium (Debian's /usr/bin/chromium driven by
    Playwright) until the network is drawn and still; (None, why) when it cannot be measured."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return None, f"no Chromium at {CHROMIUM} (scripts/install-browser installs Debian's)"
    try:
        from playwright.sync_api import Error as PlaywrightError, sync_playwright
    except ImportError:
        return None, "the playwright package is not installed (pip install -e '.[test]')"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                tab = browser.new_page(viewport={"width": 1400, "height": 900})
                start = time.perf_counter()
                tab.goto(Path(page).resolve().as_uri())
                tab.wait_for_function(_READY.format(n=int(nodes)), timeout=timeout_s * 1000)
                while not tab.evaluate(_STILL):
                    if time.perf_counter() - start > timeout_s:
                        return None, f"the network was still moving after {timeout_s:.0f} s"
                return time.perf_counter() - start, None
            finally:
                browser.close()
    except PlaywrightError as e:
        return None, f"Chromium failed: {str(e).splitlines()[0]}"
