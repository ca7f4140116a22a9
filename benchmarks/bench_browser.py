"""The dashboard's speed as the browser feels it: page loads and slider moves in Chromium.

Run ``.venv/bin/python benchmarks/bench_browser.py``. It serves ``app.py`` with
``streamlit run`` on a free loopback port, drives Debian's headless Chromium
(``/usr/bin/chromium``) through Playwright at 1440×900, and prints, in milliseconds,
medians and 95th percentiles of:

* page loads of the default page, the Equilibrium tab and the Regime map tab, each in a
  fresh browser context (a new session), after one warm-up load that is not counted:

  - *first content*: the page's title drawn (the first render of the app's own content);
  - *first contentful paint*: the browser's own Paint Timing entry (Streamlit's frame);
  - *full render*: the page settled (see below);

* slider moves on the Equilibrium and the Regime map tabs: a key press (ArrowLeft or
  ArrowRight on the sidebar's first slider) until the page has settled again.

The page has *settled* when the server has reported the end of the script run (a
``script_finished`` message on the websocket, which counts fragment reruns too), the
running indicator is gone, no element is marked stale, no skeleton is shown, every
chart on the page has drawn (plotly's SVG is there; an ECharts chart has its canvas and is
no longer marked busy), and nothing outside the drawn charts has changed for
200 ms. The time taken is the first frame from which all this but the quiet 200 ms held
without a break, or the page's last change if that came later: the quiet window only
confirms that the page has settled and is not counted. Every time is taken inside the page
with ``performance.now()``, so Playwright's own latency is not counted.

``--root PATH`` serves another checkout's ``app.py`` with the same measures, so that two
versions are timed back to back by one ruler.

``--json PATH`` also writes the figures as JSON; ``--floor`` also times page loads and
slider moves on a page of one slider and one line of text, the least any Streamlit page
takes here, and on the same page with one chart drawn by plotly or by ECharts. A page load
also reports when the page opened its connection to the server.
Targets: first content under 1.5 s, full render under 2.5 s; a key press until settled
under 250 ms on Equilibrium and under 400 ms on the Regime map.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the server helper lives beside the browser tests

from tests.e2e.server import ARGS, CHROMIUM, ServerError, serve  # noqa: E402

VIEWPORT = {"width": 1440, "height": 900}
PAGES = {"default page": "/", "Equilibrium": "/?tab=Equilibrium",
         "Regime map": "/?tab=Regime+map"}
TARGETS_MS = {"first content": 1500.0, "full render": 2500.0,
              "slider Equilibrium": 250.0, "slider Regime map": 400.0}

#: Installed before any page script: counts ``script_finished`` messages on Streamlit's
#: websocket (field 6 of ForwardMsg, read by a minimal protobuf scan) and notes when keys
#: go down and when the app's title first appears.
PROBE = r"""
(() => {
  window.__finished = [];
  window.__keyAt = null;
  window.__firstContent = null;
  window.__lastChange = 0;
  const varint = (b, i) => { let v = 0, s = 0, c;
    do { c = b[i++]; v += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80); return [v, i]; };
  const scan = (buf) => {
    const b = new Uint8Array(buf); let i = 0;
    try {
      while (i < b.length) {
        let tag; [tag, i] = varint(b, i);
        const field = Math.floor(tag / 8), wire = tag % 8;
        if (wire === 0) { let v; [v, i] = varint(b, i);
          if (field === 6) window.__finished.push(performance.now()); }
        else if (wire === 2) { let n; [n, i] = varint(b, i); i += n; }
        else if (wire === 1) i += 8; else if (wire === 5) i += 4; else return;
      }
    } catch (e) { /* a frame we cannot read is not a script end */ }
  };
  const Native = window.WebSocket;
  window.__connectAt = null;
  window.WebSocket = function (...args) {
    if (window.__connectAt === null) window.__connectAt = performance.now();
    const ws = new Native(...args);
    ws.addEventListener("message", (ev) => {
      if (ev.data instanceof ArrayBuffer) scan(ev.data);
      else if (ev.data instanceof Blob) ev.data.arrayBuffer().then(scan);
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
  document.addEventListener("keydown", () => { window.__keyAt = performance.now(); }, true);
  window.__okSince = null;
  // Changes inside a drawn chart (plotly's relayouts, ECharts' canvas and hover layers)
  // are not waited for; the chart's first drawing is, through the settled check below.
  new MutationObserver((records) => {
    const now = performance.now();
    if (window.__firstContent === null && document.querySelector("h1"))
      window.__firstContent = now;
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (!el || !el.closest('.js-plotly-plot, [data-testid="stEChartsChart"]')) {
        window.__lastChange = now; return; }
    }
  }).observe(document, {childList: true, subtree: true, attributes: true,
                        characterData: true});
})();
"""

#: Milliseconds without a change of the page after which the last change is taken as the
#: moment it settled (Streamlit applies a run's messages over several frames).
QUIET_MS = 200

#: The moment the page settled after ``window.__finished`` reached ``runs`` entries, or false.
SETTLED = """
([runs, quiet]) => {
  const now = performance.now();
  const ready = () => {
    if (window.__finished.length < runs) return false;
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    if (document.querySelector('[data-testid$="Skeleton"]')) return false;
    if (!document.querySelector('[data-testid="stMain"] h1')) return false;
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
      if (!chart.querySelector('.main-svg')) return false;
    for (const chart of document.querySelectorAll('[data-testid="stEChartsChart"]'))
      if (chart.getAttribute('aria-busy') === 'true' || !chart.querySelector('canvas'))
        return false;
    return true;
  };
  if (!ready()) { window.__okSince = null; return false; }
  if (window.__okSince === null) window.__okSince = now;
  if (now - window.__lastChange < quiet) return false;
  // The quiet window only confirms that the page has settled; it is not counted.
  const settled = Math.max(window.__okSince, window.__lastChange);
  window.__okSince = null;
  return settled;
}
"""


def _settle(page: Any, runs: int, timeout_ms: float = 60_000) -> float:
    handle = page.wait_for_function(SETTLED, arg=[runs, QUIET_MS], polling="raf",
                                    timeout=timeout_ms)
    return float(handle.json_value())


def load_once(browser: Any, url: str) -> dict[str, float]:
    """One page load in a fresh context: first content, browser FCP, full render (ms)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(PROBE)
        page = context.new_page()
        page.goto(url, wait_until="commit")
        full = _settle(page, 1)
        fcp = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0]"
                            " || {startTime: NaN}).startTime")
        first, finished, connect = page.evaluate(
            "() => [window.__firstContent, window.__finished[0], window.__connectAt]")
        return {"connection opened": float(connect), "first content": float(first),
                "first contentful paint": float(fcp), "script finished": float(finished),
                "full render": full}
    finally:
        context.close()


def slider_moves(browser: Any, url: str, moves: int) -> list[float]:
    """Key press on the sidebar's first slider until the page settles, ``moves`` times."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(PROBE)
        page = context.new_page()
        page.goto(url, wait_until="commit")
        _settle(page, 1)
        slider = page.get_by_test_id("stSidebar").get_by_role("slider").first
        slider.focus()
        times = []
        for k in range(moves):
            runs = int(page.evaluate("() => window.__finished.length"))
            before = slider.get_attribute("aria-valuetext")
            # back and forth, so that a slider near its end never stops moving
            slider.press("ArrowLeft" if (k // 5) % 2 == 0 else "ArrowRight")
            done = _settle(page, runs + 1)
            if slider.get_attribute("aria-valuetext") == before:
                raise SystemExit(f"the slider did not move on {url}")
            times.append(done - float(page.evaluate("() => window.__keyAt")))
        return times
    finally:
        context.close()


def summarise(times: Sequence[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p95": p95, "n": len(ordered)}


#: The least a Streamlit page can do on a slider move: one slider and one line of text.
FLOOR_PAGE = "one-slider page"
FLOOR_APP = """
import streamlit as st
st.title("floor")
value = st.sidebar.slider("x", 0.0, 1.0, 0.5, 0.01)
st.write(f"value {value}")
"""
#: The same page with one two-bar chart that the slider moves, in each chart library the
#: dashboard uses: what the library itself costs a page load and a slider move.
CHART_APPS = {
    "one-slider page, one plotly chart": FLOOR_APP + """
import plotly.graph_objects as go
st.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[1, value])))
""",
    "one-slider page, one ECharts chart": FLOOR_APP + """
st.echarts_chart({"xAxis": {"type": "category", "data": ["a", "b"]}, "yAxis": {"type": "value"},
                  "series": [{"type": "bar", "data": [1, value]}]})
""",
}


def floor(loads: int, moves: int, source: str = FLOOR_APP
          ) -> tuple[dict[str, Any], dict[str, float]]:
    """Page loads and slider moves on the app ``source`` (:data:`FLOOR_APP`), measured as
    the dashboard's are."""
    import tempfile

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "app.py").write_text(source, encoding="utf-8")
        with serve(Path(folder)) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            try:
                load_once(browser, url + "/")  # warm-up, as for the dashboard
                runs = [load_once(browser, url + "/") for _ in range(loads)]
                pages = {key: summarise([r[key] for r in runs]) for key in runs[0]}
                return pages, summarise(slider_moves(browser, url + "/", moves))
            finally:
                browser.close()


def measure(loads: int, moves: int, root: Path = ROOT) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {"loads": {}, "sliders": {}}
    with serve(root) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            for path in PAGES.values():  # warm-up: imports, caches, the browser's own cache
                load_once(browser, url + path)
            for name, path in PAGES.items():
                runs = [load_once(browser, url + path) for _ in range(loads)]
                results["loads"][name] = {key: summarise([r[key] for r in runs])
                                          for key in runs[0]}
            for name in ("Equilibrium", "Regime map"):
                results["sliders"][name] = summarise(slider_moves(browser, url + PAGES[name],
                                                                  moves))
        finally:
            browser.close()
    return results


def table(results: dict[str, Any]) -> str:
    lines = [f"{'measure':<52} {'median':>9} {'p95':>9} {'n':>4}  target"]

    def row(name: str, s: dict[str, float], target: float | None) -> None:
        goal = "" if target is None else (f"< {target:.0f} ms "
                                          f"{'met' if s['median'] < target else 'MISSED'}")
        lines.append(f"{name:<52} {s['median']:7.0f}ms {s['p95']:7.0f}ms {s['n']:>4}  {goal}")

    for page, figures in results["loads"].items():
        for key, s in figures.items():
            row(f"load {page}: {key}", s, None if page.startswith(FLOOR_PAGE)
                else TARGETS_MS.get(key))
    for tab, s in results["sliders"].items():
        row(f"slider key press until settled, {tab}", s, TARGETS_MS[f"slider {tab}"])
    if "floor" in results:
        row("slider key press until settled, one-slider page", results["floor"], None)
    for name, s in results.get("chart floors", {}).items():
        row(f"slider key press until settled, {name}", s, None)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=5, help="page loads per page (5)")
    parser.add_argument("--moves", type=int, default=20, help="slider moves per tab (20)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--floor", action="store_true",
                        help="also time loads and slider moves of a page of one slider and "
                             "one line of text: the least any Streamlit page takes here")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the checkout whose app.py is served (this one); another "
                             "checkout is timed with this benchmark's own measures")
    args = parser.parse_args(argv)
    try:
        results = measure(args.loads, args.moves, args.root.resolve())
        if args.floor:
            results["loads"][FLOOR_PAGE], results["floor"] = floor(args.loads, args.moves)
            results["chart floors"] = {}
            for name, source in CHART_APPS.items():
                results["loads"][name], results["chart floors"][name] = floor(
                    args.loads, args.moves, source)
    except ServerError as exc:
        raise SystemExit(str(exc)) from None
    results["machine"] = {"cpus": os.cpu_count(), "load average": os.getloadavg()}
    print(table(results))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
