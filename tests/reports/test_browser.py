"""report.html in headless Chromium (Debian's package): it renders, images load, and the console stays silent.

Skips with a reason where /usr/bin/chromium is missing (`.ci/run` installs it). Console messages are read
from Chromium's log (--enable-logging=stderr), which prints each one as ``CONSOLE``; a control page with a
deliberate console.error proves the capture works before the report is judged by it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reports import write_report

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]
IMAGE_PROBE = """<script>window.addEventListener("load", () => {
  const imgs = [...document.images];
  const bad = imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length;
  console.log("fedsim-images total=" + imgs.length + " bad=" + bad);
});</script>"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no headless browser: /usr/bin/chromium is missing "
                                                      "(apt-get install chromium; .ci/run installs it)"),
]


def render(page: Path, shot: Path, profile: Path, height: int = 3000) -> list[str]:
    """Screenshot `page`; return its console messages."""
    proc = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", f"--window-size=1100,{height}", f"--screenshot={shot}",
         page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return re.findall(r":CONSOLE[:(]\d+\)?\] (.*)", proc.stderr)


def test_console_capture_and_image_probe_work(tmp_path: Path) -> None:
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><html><body><p>x</p><img src="data:image/png;base64,AAAA" alt="broken">'
                    f'<script>console.error("control-error")</script>{IMAGE_PROBE}</body></html>')
    messages = render(page, tmp_path / "control.png", tmp_path / "profile")
    assert any("control-error" in m for m in messages)
    assert any("fedsim-images total=1 bad=1" in m for m in messages)


def test_report_renders_with_images_and_no_console_errors(run_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    shutil.copytree(run_dir, folder)
    report = write_report(folder)
    html = report.read_text()
    assert '<figure id="camera_map">' in html and 'alt="Choropleth map of the United States' in html  # cameras per 100k
    shot = tmp_path / "report.png"
    messages = render(report, shot, tmp_path / "profile")
    assert messages == [], f"console messages: {messages}"
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=int)
    assert pixels.shape[0] >= 2900
    not_white = (pixels < 245).any(axis=2).mean()
    assert not_white > 0.02, f"screenshot nearly blank ({not_white:.3%} non-white pixels)"
    blue = (np.abs(pixels - np.array([0, 114, 178])) < 20).all(axis=2).mean()
    assert blue > 0.001, "no chart colours (Okabe-Ito blue) in the screenshot"

    probed = tmp_path / "probed.html"
    probed.write_text(report.read_text().replace("</body>", IMAGE_PROBE + "</body>"))
    messages = render(probed, tmp_path / "probed.png", tmp_path / "profile2", height=800)
    counts = [m for m in messages if "fedsim-images" in m]
    assert counts, f"image probe did not report: {messages}"
    total, bad = map(int, re.search(r"total=(\d+) bad=(\d+)", counts[0]).groups())
    assert total >= 6 and bad == 0


# Reports every element that sticks out of the page's width or overflows its own box (text that does not fit).
LAYOUT_PROBE = """<script>window.addEventListener("load", () => {
  const w = document.documentElement.clientWidth;
  const bad = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || el.closest(".sr-only")) continue;
    const spills = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible";
    if (r.right > w + 1 || r.left < -1 || spills)
      bad.push(el.tagName.toLowerCase() + "[" + (el.textContent || "").trim().slice(0, 40) + "]");
  }
  console.log("fedsim-layout width=" + w + " scroll=" + document.documentElement.scrollWidth + " bad=" + bad.length
              + " " + bad.slice(0, 5).join(" | "));
});</script>"""


def shown_in_frame(page: Path, probe: str, width: int, tmp_path: Path, tag: str) -> str:
    """Chromium's log after showing `page`, with `probe` appended, `width` CSS px wide.

    Headless Chromium will not open a window narrower than 500 px, so the page is shown in an iframe of that
    width: its media queries and layout see a `width`-px viewport, as a phone's browser would give it.
    """
    probed = page.with_name(f"{tag}-{page.stem}-{width}.html")
    probed.write_text(page.read_text().replace("</body>", probe + "</body>"))
    frame = page.with_name(f"{tag}-frame-{page.stem}-{width}.html")
    frame.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{probed.name}" '
                     f'style="width:{width}px;height:2400px;border:0"></iframe></body></html>')
    proc = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / f'profile-{tag}-{page.stem}-{width}'}",
         f"--window-size={max(width, 600) + 40},2400", f"--screenshot={tmp_path / f'{tag}-{page.stem}-{width}.png'}",
         frame.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stderr


def layout_at(page: Path, width: int, tmp_path: Path) -> tuple[int, int, int, str]:
    """(viewport width, page scroll width, elements overflowing, the first few) of `page` shown `width` CSS px wide."""
    log = shown_in_frame(page, LAYOUT_PROBE, width, tmp_path, "layout")
    found = re.search(r"fedsim-layout width=(\d+) scroll=(\d+) bad=(\d+) ?([^\"]*)", log)
    assert found, f"layout probe did not report: {log[-2000:]}"
    return int(found.group(1)), int(found.group(2)), int(found.group(3)), found.group(4)


@pytest.fixture
def report_and_compare(run_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A report and a compare brief against a scenario with state laws everywhere."""
    from reports import write_compare
    from tests.reports.tables import write_run

    folder = tmp_path / "run"
    shutil.copytree(run_dir, folder)
    other = write_run(tmp_path / "laws", name="state-laws-everywhere", scale=0.7,
                      overrides=["policy.state_laws=[CA,IL,NC,VA,WA,MT,NH,VT]", "policy.federal_firewall=true"])
    return write_report(folder), write_compare([folder, other], tmp_path / "cmp")


@pytest.mark.parametrize("width", [390, 1400])
def test_report_and_compare_fit_a_phone_and_a_desktop(report_and_compare: tuple[Path, Path], tmp_path: Path,
                                                      width: int) -> None:
    for page in report_and_compare:
        shown, scroll, bad, first = layout_at(page, width, tmp_path)
        assert shown == width
        assert scroll <= width and bad == 0, f"{page.name} at {width} px: {bad} overflowing: {first}"


def test_layout_probe_sees_overflow(tmp_path: Path) -> None:
    page = tmp_path / "wide.html"
    page.write_text('<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width"></head><body>'
                    '<table><tr><td style="white-space:nowrap">' + "unbreakable-" * 60 + "</td></tr></table></body></html>")
    _, scroll, bad, _ = layout_at(page, 390, tmp_path)
    assert scroll > 390 or bad > 0


FIRST_PROBE = """<script>window.addEventListener("load", () => {
  console.log("fedsim-first " + document.querySelector("body p").innerText);
});</script>"""


def test_compare_focus_brief_opens_with_the_state_in_the_browser(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    from reports import write_compare

    page = write_compare([str(p) for p in focus_pair], tmp_path / "cmp", focus="NC")
    probed = page.with_name("probed.html")
    probed.write_text(page.read_text().replace("</body>", FIRST_PROBE + "</body>"))
    messages = render(probed, tmp_path / "cmp.png", tmp_path / "profile", height=900)
    first = [m for m in messages if "fedsim-first" in m]
    assert first, f"probe did not report: {messages}"
    assert re.search(r"fedsim-first In North Carolina, 'ban' changes ", first[0]), first[0]
    assert all("fedsim-first" in m for m in messages), f"console messages: {messages}"


# Where the answer's parts end on the page (CSS px from the top). A report: the question, the change, the first
# answer row. A compare brief (no question of its own): the first row of "How the scenarios differ" and the first
# line "In brief".
ANSWER_PROBE = """<script>window.addEventListener("load", () => {
  const end = el => el ? Math.round(el.getBoundingClientRect().bottom) : -1;
  const first = el => el ? (el.querySelector("tbody tr, li") || el) : null;
  const after = (tag, text) => {
    const head = [...document.querySelectorAll(tag)].find(e => e.textContent.startsWith(text));
    return head ? head.nextElementSibling : null;
  };
  const parts = document.querySelector(".answer")
    ? [end(document.querySelector(".answer .lede")), end(document.querySelector(".answer p:nth-of-type(2)")),
       end(first(after(".answer p", "The answer")))]
    : [end(document.querySelector(".lede")), end(first(after("h2", "How the scenarios differ"))),
       end(first(after("h2", "In brief")))];
  console.log("fedsim-answer " + parts.join(" "));
});</script>"""

# The first screen: an iPhone 12-15 shows 390 x 844 CSS px; a laptop browser window about 1400 x 800.
FIRST_SCREEN = {390: 844, 1400: 800}


def answer_ends(page: Path, width: int, tmp_path: Path) -> tuple[int, int, int]:
    log = shown_in_frame(page, ANSWER_PROBE, width, tmp_path, "answer")
    found = re.search(r"fedsim-answer (-?\d+) (-?\d+) (-?\d+)", log)
    assert found, f"answer probe did not report: {log[-2000:]}"
    return int(found.group(1)), int(found.group(2)), int(found.group(3))


@pytest.mark.parametrize("width", [390, 1400])
def test_the_first_screen_holds_the_question_the_change_and_the_answer(report_and_compare: tuple[Path, Path],
                                                                       tmp_path: Path, width: int) -> None:
    for page in report_and_compare:
        question, change, answer = answer_ends(page, width, tmp_path)
        print(f"{page.name} at {width} px: question ends {question}, change {change}, first answer line {answer}")
        assert 0 < question <= change <= answer, (page.name, question, change, answer)
        assert answer <= FIRST_SCREEN[width], f"{page.name} at {width} px: the answer ends at {answer} px, below the first screen"


@pytest.mark.parametrize("width", [390, 1400])
def test_a_focus_report_with_its_sharing_maps_and_source_links_fits(focus_pair: tuple[Path, Path], tmp_path: Path,
                                                                    width: int) -> None:
    """The report of a two-state world focused on NC: its first sentence about the state, then the question, the
    change and the answer on the first screen; the state's sharing map, the note where the folder holds another
    state's agency graph, and the sources table with its links, without overflow on a phone and a desktop."""
    folder = tmp_path / "base"
    shutil.copytree(focus_pair[0], folder)
    page = write_report(folder, focus="NC")
    html = page.read_text()
    assert '<figure id="focus_sharing">' in html and "<a href=\"https://" in html
    assert html.index('class="lede focus"') < html.index('class="answer"') < html.index("beside the nation")
    assert max(answer_ends(page, width, tmp_path)) <= FIRST_SCREEN[width]
    shown, scroll, bad, first = layout_at(page, width, tmp_path)
    assert shown == width
    assert scroll <= width and bad == 0, f"{page.name} at {width} px: {bad} overflowing: {first}"
