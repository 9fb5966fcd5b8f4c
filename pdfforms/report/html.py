"""The report's blocks → one self-contained HTML file: inline CSS and SVG, no scripts.

It opens offline in any browser, prints on A4 with the same large type, and
each table carries `data-key` (form/group/question) so programs, and the tests,
can find the numbers.
"""

from __future__ import annotations

from html import escape

from . import document as doc
from .charts import Chart, Label, Line, Rect, swatch
from .text import Words

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;
  font-size: 18px; line-height: 1.5; color: #111; background: #fff; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.8rem; margin: 3rem 0 1rem; border-bottom: 3px solid #111; padding-bottom: .3rem; }
h2 { font-size: 1.4rem; margin: 2.4rem 0 .6rem; }
h3 { font-size: 1.15rem; margin: 2rem 0 .3rem; }
.title h1 { font-size: 2.6rem; border: 0; margin: 1rem 0 .2rem; }
.subtitle { font-size: 1.3rem; margin: 0 0 2rem; }
p { margin: .3rem 0 .7rem; }
.note { font-size: .92rem; color: #333; }
.lead { font-weight: bold; margin-top: 1rem; }
p.hidden { font-style: italic; background: #eee; padding: .5rem .8rem;
  border-left: 4px solid #777; }
table { border-collapse: collapse; margin: .5rem 0 1.2rem; font-size: .95rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #bbb; vertical-align: middle; }
th { text-align: left; border-bottom: 2px solid #111; vertical-align: bottom; }
th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
th.cell, td.cell { text-align: center; white-space: nowrap; }
th.cell svg { display: block; margin: .25rem auto 0; }
tr.blank td:first-child, tr.hidden td:first-child { font-style: italic; }
tr.hidden td { background: #eee; color: #333; }
tr.total td { font-weight: bold; border-top: 2px solid #111; }
tr.caption td { font-weight: bold; border-top: 2px solid #111; border-bottom: 0;
  padding-top: .6rem; }
th svg { vertical-align: -2px; margin-right: .3rem; }
td.chart { padding-top: 0; padding-bottom: 0; }
dl.facts { display: grid; grid-template-columns: 14rem 1fr; gap: .4rem 1rem; font-size: 1.05rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
dl.facts dd div + div { margin-top: .15rem; }
ul.texts { list-style: none; padding: 0; }
ul.texts li { border-left: 4px solid #888; padding: .3rem .8rem; margin: .5rem 0;
  white-space: pre-wrap; background: #f7f7f7; }
nav ol { padding-left: 1.4rem; }
nav ol ol { list-style: circle; font-size: .95rem; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h1 { break-before: page; }
  .title h1 { break-before: auto; }
  h2, h3, .lead { break-after: avoid; }
  table, ul.texts li { break-inside: avoid; }
  nav { break-after: page; }
  tr.hidden td, p.hidden, ul.texts li { background: none; }
  @page { size: A4; margin: 18mm 16mm; }
}
"""


SCALE = 1.5  # charts are laid out in PDF points; on screen, beside 18 px text, larger


def _grey(level: float | None) -> str:
    if level is None:
        return "none"
    v = round(level * 255)
    return f"#{v:02x}{v:02x}{v:02x}"


def svg(chart: Chart) -> str:
    """A chart as inline SVG."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{chart.width * SCALE:g}" '
        f'height="{chart.height * SCALE:g}" viewBox="0 0 {chart.width:g} {chart.height:g}"'
        + (
            f' role="img" aria-label="{escape(chart.alt)}">'
            if chart.alt
            else ' aria-hidden="true">'
        )
    ]
    for s in chart.shapes:
        if isinstance(s, Rect):
            parts.append(
                f'<rect x="{s.x:.2f}" y="{s.y:.2f}" width="{s.w:.2f}" height="{s.h:.2f}" '
                f'fill="{_grey(s.fill)}" stroke="{_grey(s.stroke)}" stroke-width="{s.width:g}"/>'
            )
        elif isinstance(s, Line):
            parts.append(
                f'<line x1="{s.x1:.2f}" y1="{s.y1:.2f}" x2="{s.x2:.2f}" y2="{s.y2:.2f}" '
                f'stroke="{_grey(s.grey)}" stroke-width="{s.width:g}"/>'
            )
        elif isinstance(s, Label):
            parts.append(
                f'<text x="{s.x:.2f}" y="{s.y:.2f}" font-size="{s.size:g}" font-weight="bold" '
                f'fill="{_grey(s.grey)}" text-anchor="{s.anchor}">{escape(s.text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br>")


class _Writer:
    def __init__(self, words: Words):
        self.words = words

    def blocks(self, blocks: list) -> str:
        headings = [b for b in blocks if isinstance(b, doc.Heading) and b.level <= 2]
        out = []
        title_open = False
        for block in blocks:
            if isinstance(block, doc.Title):
                out.append('<header class="title">')
                out.append(f"<h1>{_text(block.title)}</h1>")
                out.append(f'<p class="subtitle">{_text(block.subtitle)}</p>')
                title_open = True
            elif isinstance(block, doc.Facts):
                out.append('<dl class="facts">')
                for label, lines in block.items:
                    out.append(f"<dt>{_text(label)}</dt><dd>")
                    out += [f"<div>{_text(line)}</div>" for line in lines]
                    out.append("</dd>")
                out.append("</dl>")
            elif isinstance(block, doc.Contents):
                if title_open:
                    out.append("</header>")
                    title_open = False
                out.append(f"<nav><h2>{_text(self.words('contents'))}</h2><ol>")
                inner = opened = False
                for h in headings:
                    link = f'<a href="#{h.anchor}">{_text(h.text)}</a>'
                    if h.level == 1:
                        out.append(("</ol>" if inner else "") + ("</li>" if opened else ""))
                        out.append(f"<li>{link}")
                        inner, opened = False, True
                    else:
                        out.append(("" if inner else "<ol>") + f"<li>{link}</li>")
                        inner = True
                out.append(("</ol>" if inner else "") + ("</li>" if opened else "") + "</ol></nav>")
            elif isinstance(block, doc.Heading):
                level = block.level
                out.append(f'<h{level} id="{block.anchor}">{_text(block.text)}</h{level}>')
            elif isinstance(block, doc.Para):
                out.append(f'<p class="{block.kind}">{_text(block.text)}</p>')
            elif isinstance(block, doc.Table):
                out.append(self.table(block))
            elif isinstance(block, doc.TextList):
                out.append(f'<ul class="texts" data-key="{escape(block.key)}">')
                out += [f"<li>{escape(item)}</li>" for item in block.items]
                out.append("</ul>")
        if title_open:
            out.append("</header>")
        return "\n".join(out)

    def table(self, block: doc.Table) -> str:
        out = [f'<table data-key="{escape(block.key)}"><thead><tr>']
        for col in block.columns:
            cls = ' class="num"' if col.kind not in ("label", "chart") else ""
            cls = ' class="cell"' if col.kind == "cell" else cls
            mark = svg(swatch(col.swatch, 12)) if col.swatch is not None else ""
            header = "" if col.kind == "chart" else _text(col.header)
            if col.kind == "chart":
                out.append(f'<th><span class="visually-hidden">{_text(col.header)}</span></th>')
            else:
                out.append(f"<th{cls}>{header}{mark}</th>")
        out.append("</tr></thead><tbody>")
        for cells, style in zip(block.rows, block.styles or [""] * len(block.rows), strict=True):
            if style == "caption":
                span = len(block.columns)
                out.append(f'<tr class="caption"><td colspan="{span}">{_text(cells[0])}</td></tr>')
                continue
            out.append(f'<tr class="{style}">' if style else "<tr>")
            for col, value in zip(block.columns, cells, strict=True):
                if col.kind == "chart":
                    picture = svg(value) if isinstance(value, Chart) else ""
                    out.append(f'<td class="chart">{picture}</td>')
                elif col.kind in ("label", "cell"):
                    cls = ' class="cell"' if col.kind == "cell" else ""
                    out.append(f"<td{cls}>{_text(doc.cell_text(col, value, self.words))}</td>")
                else:
                    out.append(
                        f'<td class="num">{_text(doc.cell_text(col, value, self.words))}</td>'
                    )
            out.append("</tr>")
        out.append("</tbody></table>")
        return "".join(out)


def write_html(blocks: list, words: Words, title: str) -> str:
    """The whole report as one HTML document."""
    lang = words.lang
    css = CSS + ".visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; "
    css += "clip: rect(0 0 0 0); white-space: nowrap; }\n"
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n<main>\n"
        + _Writer(words).blocks(blocks)
        + "\n</main>\n</body>\n</html>\n"
    )
