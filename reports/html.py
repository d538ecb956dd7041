"""Self-contained HTML pages: one file, charts embedded as base64 PNG, no scripts, no external resources.

Everything interpolated is escaped. Each chart is a ``<figure>`` with its takeaway as a (visually hidden) heading,
the image with its alt text, and the names of its SVG and CSV files beside the page as caption; a chart
that was not drawn is listed with the reason.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence

from reports.style import Chart, Skipped

CSS = """
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#1a1a1a;max-width:980px;margin:2em auto;
padding:0 1.2em;line-height:1.45;background:#fff}
h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #0072B2;padding-bottom:.2em}
h3{font-size:1.05em;margin:.2em 0}.lede{color:#444;font-size:1.05em}.meta{color:#555;font-size:.85em}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.8em 0}
th,td{text-align:left;padding:.35em .5em;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
figure{margin:1.6em 0;padding:0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.85em;color:#444}.files{font-size:.8em;color:#666}
.skipped{background:#fff8e6;border-left:4px solid #E69F00;padding:.5em .8em;margin:.5em 0;font-size:.9em}
ul.caveats li{margin:.3em 0}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def page(title: str, body: Iterable[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def figure(chart: Chart) -> str:
    png = chart.files["png"].read_bytes()
    data = base64.b64encode(png).decode("ascii")
    files = ", ".join(f"{chart.files[k].parent.name}/{chart.files[k].name}" for k in ("svg", "csv"))
    return (
        f'<figure id="{esc(chart.name)}">\n<h3 class="sr-only">{esc(chart.title)}</h3>\n'
        f'<img src="data:image/png;base64,{data}" alt="{esc(chart.alt)}">\n'
        f'<figcaption class="files">Numbers drawn and vector image beside this page: {esc(files)}.</figcaption>\n'
        "</figure>"
    )


def skipped(item: Skipped) -> str:
    return f'<p class="skipped"><strong>Not drawn: {esc(item.title)}.</strong> {esc(item.reason)}.</p>'


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{esc(v)}</td>' if i in numeric else f"<td>{esc(v)}</td>" for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"


def bullets(items: Iterable[str], css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<ul{cls}>\n" + "\n".join(f"<li>{esc(i)}</li>" for i in items) + "\n</ul>"


def charts_section(items: Sequence[Chart | Skipped]) -> list[str]:
    return [figure(i) if isinstance(i, Chart) else skipped(i) for i in items]
