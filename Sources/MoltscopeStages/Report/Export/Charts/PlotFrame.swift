/// The plot rectangle of a chart with a title, an optional legend and two axes, and the drawing of
/// those axes. Margins come from the estimated width of the tick labels, so long labels never clip.
struct PlotFrame {
    let left: Double
    let top: Double
    let width: Double
    let height: Double
    /// Height of the whole chart.
    let chartHeight: Double

    var right: Double { left + width }
    var bottom: Double { top + height }

    /// Space under the plot: tick labels (`xLabelHeight`, more when rotated), then the axis title.
    static func make(legend: Legend, yLabelWidth: Double, plotHeight: Double, xLabelHeight: Double = 16,
                     rightMargin: Double = 24) -> PlotFrame {
        let top = ChartStyle.titleBaseline + 14 + legend.height + (legend.rows > 0 ? 6 : 0)
        let left = ChartStyle.outerMargin + 18 + 8 + min(yLabelWidth, 320) + 8
        let bottomSpace = 8 + xLabelHeight + 8 + 16 + ChartStyle.outerMargin - 4
        return PlotFrame(left: left, top: top, width: ChartStyle.width - left - rightMargin, height: plotHeight,
                         chartHeight: top + plotHeight + bottomSpace)
    }

    /// Where the title and legend go; the title is centred on the whole chart.
    func drawHeader(into canvas: inout SVGCanvas, title: String, legend: Legend) {
        let shown = TextMetrics.truncate(title, maxWidth: ChartStyle.width - 2 * ChartStyle.outerMargin, size: ChartStyle.titleSize)
        canvas.text(shown, x: ChartStyle.width / 2, y: ChartStyle.titleBaseline, size: ChartStyle.titleSize, weight: "600",
                    fill: "#222", cls: "title", tooltip: shown == title ? nil : title)
        legend.draw(into: &canvas, top: ChartStyle.titleBaseline + 12)
    }

    /// Horizontal grid lines and labels at `ticks` (pixel y, label), the axis line and the rotated axis title.
    func drawYAxis(into canvas: inout SVGCanvas, ticks: [(y: Double, label: String)], title: String, grid: Bool = true) {
        canvas.raw("<g class=\"y-axis\">")
        for tick in ticks {
            if grid {
                canvas.line(x1: left, y1: tick.y, x2: right, y2: tick.y, stroke: ChartStyle.gridColor, cls: "grid")
            }
            canvas.line(x1: left - 4, y1: tick.y, x2: left, y2: tick.y, stroke: ChartStyle.axisColor, cls: "tick")
            canvas.text(tick.label, x: left - 7, y: tick.y + 4, size: ChartStyle.tickSize, anchor: "end", cls: "tick-label y")
        }
        canvas.line(x1: left, y1: top, x2: left, y2: bottom, stroke: ChartStyle.axisColor, cls: "axis")
        let titleX = ChartStyle.outerMargin + 10
        let shown = TextMetrics.truncate(title, maxWidth: height + 40, size: ChartStyle.axisTitleSize)
        canvas.text(shown, x: titleX, y: top + height / 2, size: ChartStyle.axisTitleSize, fill: "#444", rotate: -90,
                    cls: "axis-title y", tooltip: shown == title ? nil : title)
        canvas.raw("</g>")
    }

    /// Tick marks and labels under the plot (`rotated`: turned 40° for long category names), the axis
    /// line and the axis title; `grid` adds vertical grid lines.
    func drawXAxis(into canvas: inout SVGCanvas, ticks: [(x: Double, label: String)], title: String, rotated: Bool = false,
                   labelHeight: Double = 16, grid: Bool = false) {
        canvas.raw("<g class=\"x-axis\">")
        for tick in ticks {
            if grid {
                canvas.line(x1: tick.x, y1: top, x2: tick.x, y2: bottom, stroke: ChartStyle.gridColor, cls: "grid")
            }
            canvas.line(x1: tick.x, y1: bottom, x2: tick.x, y2: bottom + 4, stroke: ChartStyle.axisColor, cls: "tick")
            if rotated {
                canvas.text(tick.label, x: tick.x + 3, y: bottom + 12, size: ChartStyle.tickSize, anchor: "end", rotate: -40,
                            cls: "tick-label x")
            } else {
                canvas.text(tick.label, x: tick.x, y: bottom + 18, size: ChartStyle.tickSize, cls: "tick-label x")
            }
        }
        canvas.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: ChartStyle.axisColor, cls: "axis")
        let shown = TextMetrics.truncate(title, maxWidth: width, size: ChartStyle.axisTitleSize)
        canvas.text(shown, x: left + width / 2, y: bottom + 8 + labelHeight + 8 + 10, size: ChartStyle.axisTitleSize,
                    fill: "#444", cls: "axis-title x", tooltip: shown == title ? nil : title)
        canvas.raw("</g>")
    }
}
