"""Self-contained HTML pages: one file, charts embedded as base64 PNG, no scripts, no external resources.

Everything interpolated is escaped (a `Safe` cell was escaped when it was built: text with links). Each chart
is a ``<figure>`` with its takeaway as a (visually hidden) heading, the image with its alt text, and links to
its CSV and SVG files beside the page as caption; a chart that was not drawn is listed with the reason. The
page reads on a phone (390 px): long words wrap, and a table of more than three columns turns each row into a
card of labelled lines.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from reports.style import Chart, Skipped

CSS = """
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#1a1a1a;max-width:980px;margin:2em auto;
padding:0 1.2em;line-height:1.45;background:#fff}
h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #0072B2;padding-bottom:.2em}
h3{font-size:1.05em;margin:.2em 0}.lede{color:#444;font-size:1.05em}.meta{color:#555;font-size:.85em}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.8em 0}
th,td{text-align:left;padding:.35em .5em;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
figure{margin:1.6em 0;padding:0}figure img{max-width:100%;height:auto;border:1px solid #eee;box-sizing:border-box}
figcaption{font-size:.85em;color:#444}.files{font-size:.8em;color:#666}a{color:#0060a0}
.skipped,.warning{background:#fff8e6;border-left:4px solid #E69F00;padding:.5em .8em;margin:.5em 0;font-size:.9em}
ul.caveats li{margin:.3em 0}code{font-size:.92em;overflow-wrap:anywhere}
details.unchanged{margin:.6em 0;font-size:.9em;color:#333}details.unchanged summary{cursor:pointer}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
td,th,p,li,h1,h2,figcaption{overflow-wrap:anywhere}
@media (max-width:640px){
body{margin:.8em auto;padding:0 .7em;font-size:15px;line-height:1.4}h1{font-size:1.35em}h2{font-size:1.15em}
table{font-size:.8em;table-layout:fixed}th,td{padding:.3em .25em}td.num{white-space:normal}
table.wide thead{display:none}table.wide tr{display:block;border-bottom:2px solid #ccc;padding:.3em 0}
table.wide td{display:block;border:none;padding:.1em .25em;text-align:left}
table.wide td[data-label]::before{content:attr(data-label) ": ";font-weight:bold;color:#555}
table.wide td:first-child{font-weight:bold}table.wide td:first-child::before{content:none}
}
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


class Safe(str):
    """HTML already escaped and assembled here (a cell with links): `table` puts it in as it is."""


def link(text: object, href: str) -> Safe:
    """``<a href>`` with escaped text and address."""
    return Safe(f'<a href="{esc(href)}">{esc(text)}</a>')


def file_link(path: Path, page_dir: Path, text: str | None = None) -> Safe:
    """A link to a file beside the page or in a results folder, by its path relative to the page's folder."""
    return link(text or path.name, Path(os.path.relpath(path, page_dir)).as_posix())


def files_line(lead: str, links: Sequence[Safe]) -> str:
    """A small line of links to data files (``lead``: what they are), or "" when there are none."""
    return f'<p class="files">{esc(lead)}: {", ".join(links)}.</p>' if links else ""


def page(title: str, body: Iterable[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def figure(chart: Chart) -> str:
    png = chart.files["png"].read_bytes()
    data = base64.b64encode(png).decode("ascii")
    links = ", ".join(
        f'<a href="{esc(chart.files[k].parent.name)}/{esc(chart.files[k].name)}">{esc(label)}</a>'
        for k, label in (("csv", f"numbers drawn ({chart.files['csv'].name})"),
                         ("svg", f"vector image ({chart.files['svg'].name})"))
    )
    return (
        f'<figure id="{esc(chart.name)}">\n<h3 class="sr-only">{esc(chart.title)}</h3>\n'
        f'<img src="data:image/png;base64,{data}" alt="{esc(chart.alt)}">\n'
        f'<figcaption class="files">Beside this page in {esc(chart.files["csv"].parent.name)}/: {links}.</figcaption>\n'
        "</figure>"
    )


def skipped(item: Skipped) -> str:
    return f'<p class="skipped"><strong>Not drawn: {esc(item.title)}.</strong> {esc(item.reason)}.</p>'


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[int] = (),
          code: Sequence[int] = ()) -> str:
    """A table; `numeric` columns right-aligned, `code` columns (parameter names) in monospace.

    Each cell carries its column's header as ``data-label``: a table of more than three columns is marked
    ``wide`` and, on a narrow screen, shows each row as a card of labelled lines instead of overflowing.
    """
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            text = v if isinstance(v, Safe) else f"<code>{esc(v)}</code>" if i in code else esc(v)
            cls = ' class="num"' if i in numeric else ""
            label = f' data-label="{esc(headers[i])}"' if i < len(headers) else ""
            cells.append(f"<td{cls}{label}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    wide = ' class="wide"' if len(headers) > 3 else ""
    return f"<table{wide}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"


def bullets(items: Iterable[str], css: str = "") -> str:
    """A list; a `Safe` item goes in as it is, as in `table`."""
    cls = f' class="{css}"' if css else ""
    return f"<ul{cls}>\n" + "\n".join(f"<li>{i if isinstance(i, Safe) else esc(i)}</li>" for i in items) + "\n</ul>"


def charts_section(items: Sequence[Chart | Skipped]) -> list[str]:
    return [figure(i) if isinstance(i, Chart) else skipped(i) for i in items]
