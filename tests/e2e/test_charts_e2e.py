"""Results, monthly report and progression pages and their charts in real Chromium, at 1366×768 and 820×1180.

Fails on overflow, not only on "the page loaded": the page must not scroll sideways, no element
may have content sticking out of it or hidden in a scroll box (scrollWidth > clientWidth), and
inside every chart (an SVG image, opened on its own) every text must lie within the picture,
tick labels must not run together, legend entries must not overlap, and the radar's
dimension labels must stay clear of its scale. Screenshots: build/screenshots/web_charts_*.png.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.web_fixtures import chromium, demo_server, login, new_page, shot  # noqa: F401

pytestmark = pytest.mark.e2e

SIZES = ((1366, 768), (820, 1180))

PAGE_OVERFLOW_JS = """() => {
  const bad = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) bad.push(`page scrolls sideways ${doc.scrollWidth}>${doc.clientWidth}`);
  for (const el of document.querySelectorAll('body *')) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.display === 'inline' || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      const what = `${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth}>${el.clientWidth}`;
      bad.push(`${what}: ${(el.innerText || '').slice(0, 60)}`);
    }
    if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth) {
      bad.push(`clipped text: ${el.innerText.slice(0, 60)}`);
    }
  }
  const imgs = [...document.querySelectorAll('img')].filter(i => i.naturalWidth === 0);
  if (imgs.length) bad.push(`${imgs.length} images did not load`);
  return bad;
}"""

SVG_CHECK_JS = """() => {
  const svg = document.querySelector('svg');
  const W = svg.viewBox.baseVal && svg.viewBox.baseVal.width || svg.width.baseVal.value;
  const H = svg.viewBox.baseVal && svg.viewBox.baseVal.height || svg.height.baseVal.value;
  const bad = [];
  const box = t => t.getBBox();
  const inside = (b) => b.x >= -0.5 && b.y >= -0.5 && b.x + b.width <= W + 0.5 && b.y + b.height <= H + 0.5;
  const texts = [...svg.querySelectorAll('text')]
    .filter(t => t.textContent.trim() && getComputedStyle(t).display !== 'none');
  for (const t of texts) {
    // getBBox is in the text's own user space; transform it to the SVG's
    const r = t.getBoundingClientRect(), s = svg.getBoundingClientRect();
    const b = {x: (r.x - s.x) * W / s.width, y: (r.y - s.y) * H / s.height,
               width: r.width * W / s.width, height: r.height * H / s.height};
    if (!inside(b)) bad.push(`text outside the picture: "${t.textContent.trim().slice(0, 40)}"`);
  }
  const rects = sel => [...svg.querySelectorAll(sel)].filter(t => t.textContent.trim())
    .map(t => [t.textContent.trim(), t.getBoundingClientRect()]);
  const overlaps = (list, what) => {
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      const [a, ra] = list[i], [b, rb] = list[j];
      if (ra.left < rb.right - 1 && rb.left < ra.right - 1 && ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1)
        bad.push(`${what} run together: "${a.slice(0, 30)}" / "${b.slice(0, 30)}"`);
    }
  };
  overlaps(rects('.axis.x .guides text, .axis.x > text'), 'x tick labels');
  overlaps(rects('.axis.y .guides text, .axis.y > text'), 'y tick labels');
  overlaps(rects('.legends .legend text'), 'legend entries');
  for (const [t] of rects('.legends .legend text, .axis text, .title')) {
    if (t.endsWith('…')) bad.push(`truncated: "${t}"`);
  }
  if (svg.querySelector('.radar, .graph.radar-graph, .radar-graph')) {
    overlaps([...rects('.axis.x text'), ...rects('.axis.y text')], 'radar labels and scale');
  }
  return bad;
}"""


def ids(server) -> dict[str, str]:
    from backend.admin import youth_of
    from backend.extensions import db
    from backend.programmes.models import Programme

    with server.app.app_context():
        out = {
            "mads": youth_of("ung.mads").id,
            "utop": db.session.scalar(select(Programme.id).where(Programme.name == "Unge på Toppen")),
        }
        db.session.remove()
    return out


def check_charts(page, new_page, where: str) -> list[str]:  # noqa: F811 - the fixture
    """Open every chart of the page as its own document and run the SVG checks."""
    problems = []
    srcs = [s for s in page.locator("img").evaluate_all("els => els.map(e => e.src)") if s.startswith("data:image/svg")]
    viewer = new_page(1400, 1000)
    for i, src in enumerate(srcs):
        viewer.goto(src)
        problems += [f"{where} chart {i + 1}: {p}" for p in viewer.evaluate(SVG_CHECK_JS)]
        shot(viewer, f"chart_{where}_{i + 1}", full_page=False)
    return problems


def test_results_and_progression_pages_do_not_overflow(demo_server, new_page):  # noqa: F811
    known = ids(demo_server)
    pages = {
        "results": "/results",
        "programme_month": f"/results/programme?programme={known['utop']}",
        "target_groups": "/results/target-groups",
        "targets": "/results/targets",
        "monthly_report": "/results/report",
        "progression": f"/youth/{known['mads']}/progression",
    }
    problems = []
    for width, height in SIZES:
        page = new_page(width, height)
        login(page, demo_server, "tovholder.ahmed")
        for name, path in pages.items():
            page.goto(demo_server.url + path)
            page.wait_for_load_state()
            assert page.locator("h1").count() == 1, (name, page.url)
            problems += [f"{name} at {width}×{height}: {p}" for p in page.evaluate(PAGE_OVERFLOW_JS)]
            shot(page, f"charts_{name}_{width}x{height}")
        for name in ("results", "progression"):
            page.goto(demo_server.url + pages[name])
            problems += check_charts(page, new_page, name) if width == SIZES[0][0] else []
    assert problems == [], "\n".join(problems)
