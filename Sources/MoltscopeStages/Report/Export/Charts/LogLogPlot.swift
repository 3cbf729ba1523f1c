import Foundation

/// Points on log10 x and y axes (degree distributions, rank-frequency), with dashed reference lines such as
/// a fitted power law.
struct LogLogPlot: Sendable {
    /// Points with a non-positive (or non-finite) x or y cannot be placed and are dropped.
    struct Series: Sendable {
        var name: String
        var points: [(x: Double, y: Double)]
    }

    /// A straight line in log-log space, drawn dashed (e.g. a fitted power law).
    struct Line: Sendable {
        var name: String
        var from: (x: Double, y: Double)
        var to: (x: Double, y: Double)
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    var lines: [Line] = []
}

extension LogLogPlot {
    static func placeable(_ x: Double, _ y: Double) -> Bool { x > 0 && y > 0 && x.isFinite && y.isFinite }

    /// Each series' points that a log axis can show.
    func validPoints() -> [[(x: Double, y: Double)]] {
        series.map { $0.points.filter { Self.placeable($0.x, $0.y) } }
    }

    func validLines() -> [Line] {
        lines.filter { Self.placeable($0.from.x, $0.from.y) && Self.placeable($0.to.x, $0.to.y) }
    }

    func render() -> String {
        let pointsBySeries = validPoints()
        let drawnLines = validLines()
        let all = pointsBySeries.flatMap { $0 }
        guard !all.isEmpty else { return SVGCanvas.placeholder(title: title) }
        let xs = all.map(\.x) + drawnLines.flatMap { [$0.from.x, $0.to.x] }
        let ys = all.map(\.y) + drawnLines.flatMap { [$0.from.y, $0.to.y] }
        guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else {
            return SVGCanvas.placeholder(title: title)
        }

        var entries: [Legend.Entry] = series.enumerated().map { .init(name: $1.name, color: Palette.color($0), swatch: .dot) }
        entries += drawnLines.enumerated().map { .init(name: $1.name, color: Self.lineColor($0), swatch: .dashed) }
        let legend = Legend(entries.count > 1 ? entries : [], width: ChartStyle.width - 2 * ChartStyle.outerMargin)

        let yAxis = LogTicks(min: yMin, max: yMax, maxTicks: 8)
        let yLabels = yAxis.exponents.map(LogTicks.label(exponent:))
        let frame = PlotFrame.make(legend: legend,
                                   yLabelWidth: yLabels.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0,
                                   plotHeight: 340)
        let xAxis = LogTicks(min: xMin, max: xMax, maxTicks: max(2, Int(frame.width / 60)))
        func px(_ x: Double) -> Double { xAxis.position(x, start: frame.left, end: frame.right) }
        func py(_ y: Double) -> Double { yAxis.position(y, start: frame.bottom, end: frame.top) }

        var canvas = SVGCanvas(width: ChartStyle.width, height: frame.chartHeight)
        frame.drawHeader(into: &canvas, title: title, legend: legend)
        drawMinorGrid(into: &canvas, frame: frame, x: xAxis, y: yAxis)
        frame.drawYAxis(into: &canvas, ticks: yAxis.exponents.map { (py(pow(10, Double($0))), LogTicks.label(exponent: $0)) },
                        title: yLabel)
        frame.drawXAxis(into: &canvas, ticks: xAxis.exponents.map { (px(pow(10, Double($0))), LogTicks.label(exponent: $0)) },
                        title: xLabel, grid: true)

        for (index, points) in pointsBySeries.enumerated() where !points.isEmpty {
            canvas.raw("<g class=\"series\" fill=\"\(Palette.color(index))\" fill-opacity=\"0.75\">")
            for point in points {
                canvas.raw("<circle cx=\"\(SVGCanvas.number(px(point.x)))\" cy=\"\(SVGCanvas.number(py(point.y)))\" r=\"2.5\"/>")
            }
            canvas.raw("</g>")
        }
        for (index, line) in drawnLines.enumerated() {
            canvas.line(x1: px(line.from.x), y1: py(line.from.y), x2: px(line.to.x), y2: py(line.to.y),
                        stroke: Self.lineColor(index), width: 2, dash: "6 4", cls: "fit", tooltip: line.name)
        }
        let dropped = series.reduce(0) { $0 + $1.points.count } - all.count
        let names = series.map(\.name).joined(separator: ", ")
        return canvas.render(title: title, description: "Log-log plot of \(all.count) points (\(names)); \(xLabel) from "
                             + "\(ValueFormat.number.string(xMin)) to \(ValueFormat.number.string(xMax)), \(yLabel) from "
                             + "\(ValueFormat.number.string(yMin)) to \(ValueFormat.number.string(yMax))"
                             + (dropped > 0 ? "; \(dropped) points with non-positive values left out." : "."))
    }

    /// Reference lines take the dark grey first, then palette colours from the far end, away from the series'.
    static func lineColor(_ index: Int) -> String {
        index == 0 ? Palette.reference : Palette.color(Palette.categorical.count - 1 - index)
    }

    /// Faint lines at 2...9 x 10^k where decades are wide enough to tell them apart.
    private func drawMinorGrid(into canvas: inout SVGCanvas, frame: PlotFrame, x: LogTicks, y: LogTicks) {
        canvas.raw("<g class=\"minor-grid\">")
        if frame.width / Double(x.upperExponent - x.lowerExponent) >= 100 {
            for k in x.lowerExponent..<x.upperExponent {
                for m in 2...9 {
                    let px = x.position(Double(m) * pow(10, Double(k)), start: frame.left, end: frame.right)
                    canvas.line(x1: px, y1: frame.top, x2: px, y2: frame.bottom, stroke: "#f3f3f3", cls: "minor")
                }
            }
        }
        if frame.height / Double(y.upperExponent - y.lowerExponent) >= 100 {
            for k in y.lowerExponent..<y.upperExponent {
                for m in 2...9 {
                    let py = y.position(Double(m) * pow(10, Double(k)), start: frame.bottom, end: frame.top)
                    canvas.line(x1: frame.left, y1: py, x2: frame.right, y2: py, stroke: "#f3f3f3", cls: "minor")
                }
            }
        }
        canvas.raw("</g>")
    }
}
