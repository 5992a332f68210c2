"""A native chart on a slide (followup's chart of actions by status): python-pptx's chart part, its embedded
workbook written reproducibly, and the graphic frame that shows it with its alternative text."""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.parts.chart import ChartPart
from pptx.util import Pt

from ...theme import ink_on
from .spec import emu

if TYPE_CHECKING:
    from .spec import ChartSpec


def chart_frame(package: Any, slide: Any, spec: ChartSpec, shape_id: int, when: datetime) -> str:
    """Add the chart of `spec` to the package, related to the slide part; return the p:graphicFrame markup
    that shows it in its box (`shape_id` unused on the slide). `when` dates the embedded workbook, so the
    deck stays the same bytes build after build."""
    data = CategoryChartData()  # type: ignore[no-untyped-call]
    data.categories = spec.categories
    for name, values in spec.series:
        data.add_series(name, [value or None for value in values])  # type: ignore[no-untyped-call]  # no "0" label
    kind = XL_CHART_TYPE.BAR_STACKED
    name = package.next_partname(ChartPart.partname_template)
    part = ChartPart.load(name, CT.DML_CHART, package, data.xml_bytes(kind))  # type: ignore[no-untyped-call]
    part.chart_workbook.update_from_xlsx_blob(_workbook(spec, when))
    chart = part.chart
    chart.font.size = Pt(spec.size)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.overlap = 100
    plot.has_data_labels = True
    plot.data_labels.show_value = True
    plot.data_labels.font.size = Pt(spec.size * 0.9)
    for series, colour in zip(plot.series, spec.colours, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#").upper())  # type: ignore[no-untyped-call]
        # The count on each segment in white or black, whichever reads on the segment's colour.
        series.data_labels.font.color.rgb = RGBColor.from_string(ink_on(colour).lstrip("#"))  # type: ignore[no-untyped-call]
    # Categories read top to bottom in the sources' order (a bar chart draws the first at the bottom).
    chart.category_axis.reverse_order = True
    chart.value_axis.has_major_gridlines = False
    chart.value_axis.visible = False
    rid = slide.relate_to(part, RT.CHART)
    box = spec.box
    return (
        f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="Chart" descr={quoteattr(spec.alt)}/>'
        '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
        f'<p:xfrm><a:off x="{emu(box.x)}" y="{emu(box.y)}"/><a:ext cx="{emu(box.w)}" cy="{emu(box.h)}"/></p:xfrm>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}"/>'
        "</a:graphicData></a:graphic></p:graphicFrame>"
    )


def _workbook(spec: ChartSpec, when: datetime) -> bytes:
    """The chart's data as the workbook PowerPoint edits it in, laid out as python-pptx's chart XML refers to
    it (categories in column A from row 2, a series per column from B), dated `when`, not the clock."""
    import xlsxwriter  # type: ignore[import-untyped]  # python-pptx's own dependency for chart workbooks

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"created": when.replace(tzinfo=None)})
    sheet = book.add_worksheet()
    sheet.write_column(1, 0, spec.categories)  # the zeros stay: the workbook is the data
    for n, (name, values) in enumerate(spec.series, start=1):
        sheet.write(0, n, name)
        sheet.write_column(1, n, values)
    book.close()
    return out.getvalue()
