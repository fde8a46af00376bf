"""report.html in a real browser: headless Debian chromium renders the findings and the MathML.

How it is measured (and why this way).  report.html itself has no script and needs none.
The test writes a *probe copy* of it next to it, the same page plus one small inline script
at the end that measures the rendered layout -- the height of the findings section, of the
first displayed equation (a fraction: a browser that sets MathML stacks numerator over
denominator, so the box is much taller than one line of text; a browser that does not
would lay the tags' text out on one line), whether ``<math>`` became a ``MathMLElement``,
and whether any MathML source shows as text -- and writes the numbers into a ``<pre>``.
``chromium --dump-dom`` prints the DOM after layout, the test reads the numbers back.
A screenshot of the original page (no probe) checks that the first screen is not blank.
Both runs use a fresh profile, no network, no GPU.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium not on PATH (Debian package 'chromium')")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--window-size=1280,1000"]

PROBE = """<script>
(function () {
  var f = document.getElementById('findings').getBoundingClientRect();
  var m = document.querySelector('#findings math[display="block"]');
  var r = m.getBoundingClientRect();
  var line = parseFloat(getComputedStyle(document.body).fontSize);
  var out = {findings_h: f.height, findings_w: f.width, math_h: r.height, math_w: r.width, line: line,
             is_mathml: (typeof MathMLElement !== 'undefined') && (m instanceof MathMLElement),
             n_math: document.querySelectorAll('math').length,
             raw: /<\\/?(math|mfrac|mrow|msub)\\b|&InvisibleTimes;/.test(document.body.innerText),
             errata: document.body.innerText.indexOf('The C8b typo') >= 0};
  var pre = document.createElement('pre'); pre.id = 'probe-result';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
})();
</script>"""


def _chromium(args, tmp_path, timeout=120):
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=timeout)


def _measure(page: str, tmp_path) -> dict:
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    proc = _chromium(["--virtual-time-budget=5000", "--dump-dom", probe.as_uri()], tmp_path)
    m = re.search(r'<pre id="probe-result">(.*?)</pre>', proc.stdout, re.S)
    assert m, f"no probe result from chromium: {proc.stderr[-500:]}"
    return json.loads(m.group(1).replace("&quot;", '"'))


@needs_chromium
def test_findings_and_mathml_render(quick_report, tmp_path):
    got = _measure((quick_report[0] / "report.html").read_text(encoding="utf-8"), tmp_path)
    assert got["is_mathml"], got
    assert got["errata"] and got["findings_h"] > 300 and got["findings_w"] > 600, got
    assert got["math_h"] > 1.6 * got["line"], got            # a fraction set in two levels, not one line
    assert not got["raw"], got                                # no MathML source visible as text
    assert got["n_math"] > 50, got


@needs_chromium
def test_negative_control_math_shown_as_source_is_detected(quick_report, tmp_path):
    """The same page with its MathML escaped into text: the probe must see raw source, flat lines."""
    page = (quick_report[0] / "report.html").read_text(encoding="utf-8")
    head, rest = page.split('<section id="findings">', 1)
    first = rest.index('<math display="block">')
    end = rest.index("</math>", first) + len("</math>")
    src = rest[first:end].replace("&", "&amp;").replace("<", "&lt;")
    broken = head + '<section id="findings">' + rest[:first] + '<math display="block"><mi>x</mi></math>' \
        + src + rest[end:]
    got = _measure(broken, tmp_path)
    assert got["raw"]
    flat = page.replace('<math display="block">', '<math display="block" style="display:none">', 1)
    got = _measure(flat, tmp_path)
    assert got["math_h"] < 1.6 * got["line"]               # a hidden equation has no height: fails the bar


@needs_chromium
def test_first_screen_screenshot_is_not_blank(quick_report, tmp_path):
    out = quick_report[0]
    shot = tmp_path / "first-screen.png"
    _chromium([f"--screenshot={shot}", (out / "report.html").as_uri()], tmp_path)
    assert shot.exists() and shot.stat().st_size > 20_000
    from PIL import Image

    img = Image.open(shot).convert("L")
    assert img.size == (1280, 1000)
    dark = sum(img.histogram()[:128])
    assert dark > 0.01 * 1280 * 1000                         # text on the page, not a white screen
