import Foundation

/// Lines over a linear or UTC time x axis; a nil y breaks the line (a bucket without data is not zero).
struct LineChart: Sendable {
    struct Series: Sendable {
        var name: String
        /// y nil = gap (the line breaks there).
        var points: [(x: Double, y: Double?)]
    }

    enum XAxis: Sendable {
        /// x = seconds since 1970 UTC; ticks at whole hours/6h/days as fit, labelled "Jan 30" / "Jan 30 06:00" (UTC).
        case time
        case linear
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    var xAxis: XAxis = .linear
    var yFormat: ValueFormat = .number
    var yStartsAtZero: Bool = true
    /// A small circle at each point (useful for few points).
    var markers: Bool = false
}

extension LineChart {
    /// Each series' runs of consecutive valid points (x and y finite); a nil or non-finite y ends a run.
    func segments() -> [[[(x: Double, y: Double)]]] {
        series.map { series in
            var runs: [[(x: Double, y: Double)]] = [[]]
            for point in series.points.sorted(by: { $0.x < $1.x }) where point.x.isFinite {
                if let y = point.y, y.isFinite {
                    runs[runs.count - 1].append((point.x, y))
                } else if !(runs.last ?? []).isEmpty {
                    runs.append([])
                }
            }
            return runs.filter { !$0.isEmpty }
        }
    }

    func render() -> String {
        let runs = segments()
        let points = runs.flatMap { $0.flatMap { $0 } }
        guard let xMin = points.map(\.x).min(), let xMax = points.map(\.x).max(),
              let dataYMin = points.map(\.y).min(), let dataYMax = points.map(\.y).max() else {
            return SVGCanvas.placeholder(title: title)
        }
        var yMin = dataYMin, yMax = dataYMax
        if yStartsAtZero {
            yMin = min(yMin, 0)
            yMax = max(yMax, 0)
        }
        let legend = Legend(series.count > 1 ? series.enumerated().map { .init(name: $1.name, color: Palette.color($0), swatch: .line) } : [],
                            width: ChartStyle.width - 2 * ChartStyle.outerMargin)
        let plotHeight = 300.0
        let yTicks = NiceTicks(min: yMin, max: yMax, target: 5, minStep: yFormat == .integer ? 1 : 0)
        let yLabels = yFormat.tickLabels(yTicks.values, step: yTicks.step)
        let frame = PlotFrame.make(legend: legend,
                                   yLabelWidth: yLabels.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0,
                                   plotHeight: plotHeight)
        let yMap = LinearMap(domain: (yTicks.lower, yTicks.upper), range: (frame.bottom, frame.top))

        // The x axis: time ticks inside the data's span, or nice ticks widened around it.
        let xMap: LinearMap
        let xTicks: [(x: Double, label: String)]
        switch xAxis {
        case .time:
            let (start, end) = xMin < xMax ? (xMin, xMax) : (xMin - 3600, xMax + 3600)
            let ticks = TimeTicks(from: start, to: end, axisWidth: frame.width, fontSize: ChartStyle.tickSize)
            xMap = LinearMap(domain: (start, end), range: (frame.left, frame.right))
            xTicks = zip(ticks.values, ticks.labels).map { (xMap($0), $1) }
        case .linear:
            let fitted = FittedTicks(min: xMin, max: xMax, width: frame.width, format: .number)
            let map = LinearMap(domain: (fitted.ticks.lower, fitted.ticks.upper), range: (frame.left, frame.right))
            xMap = map
            xTicks = zip(fitted.values, fitted.labels).map { (map($0), $1) }
        }

        var canvas = SVGCanvas(width: ChartStyle.width, height: frame.chartHeight)
        frame.drawHeader(into: &canvas, title: title, legend: legend)
        frame.drawYAxis(into: &canvas, ticks: zip(yTicks.values, yLabels).map { (yMap($0), $1) }, title: yLabel)
        frame.drawXAxis(into: &canvas, ticks: xTicks, title: xLabel)

        for (index, seriesRuns) in runs.enumerated() {
            let color = Palette.color(index)
            let name = series[index].name
            canvas.raw("<g class=\"series\">")
            for run in seriesRuns {
                if run.count == 1, let point = run.first {
                    // A lone point between gaps has no line; a dot keeps it visible.
                    canvas.element("circle", [.n("cx", xMap(point.x)), .n("cy", yMap(point.y)), .n("r", 2.5), .s("fill", color),
                                              .s("class", "lone")], tooltip: name)
                    continue
                }
                let d = run.enumerated().map { offset, point in
                    (offset == 0 ? "M" : "L") + SVGCanvas.number(xMap(point.x)) + " " + SVGCanvas.number(yMap(point.y))
                }.joined(separator: " ")
                canvas.element("path", [.s("d", d), .s("fill", "none"), .s("stroke", color), .n("stroke-width", 2),
                                        .s("stroke-linejoin", "round"), .s("stroke-linecap", "round"), .s("class", "line")],
                               tooltip: name)
            }
            if markers {
                for point in seriesRuns.flatMap({ $0 }) {
                    canvas.element("circle", [.n("cx", xMap(point.x)), .n("cy", yMap(point.y)), .n("r", 3), .s("fill", color),
                                              .s("stroke", "#fff"), .n("stroke-width", 1), .s("class", "marker")],
                                   tooltip: "\(name): \(xText(point.x)), \(yFormat.string(point.y))")
                }
            }
            canvas.raw("</g>")
        }
        return canvas.render(title: title, description: description(yLow: dataYMin, yHigh: dataYMax, xLow: xMin, xHigh: xMax))
    }

    private func xText(_ x: Double) -> String {
        xAxis == .time ? TimeTicks.label(x, withTime: true) + " UTC" : ValueFormat.number.string(x)
    }

    private func description(yLow: Double, yHigh: Double, xLow: Double, xHigh: Double) -> String {
        let names = series.map(\.name).joined(separator: ", ")
        return "Line chart, \(series.count) series (\(names)). \(xLabel) from \(xText(xLow)) to \(xText(xHigh)); "
            + "\(yLabel) from \(yFormat.string(yLow)) to \(yFormat.string(yHigh))."
    }
}
