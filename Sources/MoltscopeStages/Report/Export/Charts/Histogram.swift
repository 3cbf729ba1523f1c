import Foundation

/// Counts of values in equal bins, with dashed vertical markers (a threshold, the median).
struct Histogram: Sendable {
    var title: String
    var xLabel: String
    var yLabel: String = "documents"
    /// Non-finite values are dropped.
    var values: [Double]
    var bins: Int = 30
    /// nil: min...max of the values. Values outside a given range are left out (the description says how many).
    var range: ClosedRange<Double>? = nil
    /// Vertical dashed lines, e.g. a threshold 0.6 or the median.
    var markers: [(label: String, x: Double)] = []
}

extension Histogram {
    /// The binned data: bin edges `lower...upper` in `counts.count` equal bins; the upper edge falls in the last bin.
    struct Binned: Equatable {
        var lower: Double
        var upper: Double
        var counts: [Int]
        /// Finite values outside the range.
        var outside: Int

        var width: Double { (upper - lower) / Double(max(1, counts.count)) }
    }

    /// nil when no finite value (or no usable range) is left.
    func binned() -> Binned? {
        let finite = values.filter(\.isFinite)
        guard let dataMin = finite.min(), let dataMax = finite.max() else { return nil }
        var lower = range?.lowerBound ?? dataMin
        var upper = range?.upperBound ?? dataMax
        guard lower.isFinite, upper.isFinite, (upper - lower).isFinite else { return nil }
        if upper <= lower {
            // A single value: one bin around it.
            let pad = lower == 0 ? 0.5 : abs(lower) * 0.05
            lower -= pad
            upper += pad
        }
        let count = min(max(bins, 1), 10_000)
        var counts = Array(repeating: 0, count: count)
        var outside = 0
        let width = (upper - lower) / Double(count)
        for value in finite {
            guard value >= lower && value <= upper else { outside += 1; continue }
            counts[min(count - 1, max(0, Int((value - lower) / width)))] += 1
        }
        return Binned(lower: lower, upper: upper, counts: counts, outside: outside)
    }

    func render() -> String {
        guard let binned = binned(), binned.counts.contains(where: { $0 > 0 }) else { return SVGCanvas.placeholder(title: title) }
        let maxCount = Double(binned.counts.max() ?? 1)
        let shownMarkers = markers.filter { $0.x.isFinite && $0.x >= binned.lower && $0.x <= binned.upper }
        // Headroom for marker labels, which sit at the top of the plot.
        let yTicks = NiceTicks(min: 0, max: shownMarkers.isEmpty ? maxCount : maxCount * 1.18, target: 5, minStep: 1)
        let yLabels = ValueFormat.integer.tickLabels(yTicks.values, step: yTicks.step)
        let frame = PlotFrame.make(legend: Legend([], width: 0),
                                   yLabelWidth: yLabels.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0,
                                   plotHeight: 280)
        let yMap = LinearMap(domain: (yTicks.lower, yTicks.upper), range: (frame.bottom, frame.top))
        let xMap = LinearMap(domain: (binned.lower, binned.upper), range: (frame.left, frame.right))

        let xTicks = FittedTicks(min: binned.lower, max: binned.upper, width: frame.width, format: .number, inside: true)

        var canvas = SVGCanvas(width: ChartStyle.width, height: frame.chartHeight)
        frame.drawHeader(into: &canvas, title: title, legend: Legend([], width: 0))
        frame.drawYAxis(into: &canvas, ticks: zip(yTicks.values, yLabels).map { (yMap($0), $1) }, title: yLabel)
        frame.drawXAxis(into: &canvas, ticks: zip(xTicks.values, xTicks.labels).map { (xMap($0), $1) }, title: xLabel)

        let binWidth = frame.width / Double(binned.counts.count)
        let gap = min(1, binWidth * 0.15)
        canvas.raw("<g class=\"bars\">")
        for (index, count) in binned.counts.enumerated() where count > 0 {
            let from = binned.lower + Double(index) * binned.width
            let to = from + binned.width
            let closing = index == binned.counts.count - 1 ? "]" : ")"
            let y = yMap(Double(count))
            canvas.rect(x: frame.left + Double(index) * binWidth + gap / 2, y: y, width: binWidth - gap, height: frame.bottom - y,
                        fill: Palette.color(0), cls: "bin",
                        tooltip: "[\(ValueFormat.number.string(from)), \(ValueFormat.number.string(to))\(closing): \(count) \(yLabel)")
        }
        canvas.raw("</g>")

        // Markers: labels in rows at the top, a new row when one would overlap the previous label.
        var rowEnds: [Double] = []
        canvas.raw("<g class=\"markers\">")
        for marker in shownMarkers.sorted(by: { $0.x < $1.x }) {
            let x = xMap(marker.x)
            canvas.line(x1: x, y1: frame.top, x2: x, y2: frame.bottom, stroke: Palette.color(3), width: 1.5, dash: "5 4",
                        cls: "marker", tooltip: "\(marker.label): \(ValueFormat.number.string(marker.x))")
            let width = TextMetrics.width(marker.label, size: ChartStyle.tickSize)
            let leftward = x + 4 + width > frame.right
            let start = leftward ? x - 4 - width : x + 4
            let row = rowEnds.firstIndex { $0 < start - 4 } ?? rowEnds.count
            if row == rowEnds.count { rowEnds.append(0) }
            rowEnds[row] = start + width
            canvas.text(marker.label, x: leftward ? x - 4 : x + 4, y: frame.top + 12 + Double(row) * 14, size: ChartStyle.tickSize,
                        anchor: leftward ? "end" : "start", fill: Palette.color(3), cls: "marker-label")
        }
        canvas.raw("</g>")
        let total = binned.counts.reduce(0, +)
        return canvas.render(title: title, description: "Histogram of \(total) \(yLabel) by \(xLabel) in \(binned.counts.count) bins "
                             + "from \(ValueFormat.number.string(binned.lower)) to \(ValueFormat.number.string(binned.upper))"
                             + (binned.outside > 0 ? "; \(binned.outside) values outside the range left out." : "."))
    }
}
