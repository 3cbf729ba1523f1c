import Foundation

/// Bars per category, grouped when there are several series, with optional error bars (low...high, e.g. a 95% CI).
/// `xLabel` names the category axis and `yLabel` the value axis, whichever way the bars run.
struct BarChart: Sendable {
    struct Series: Sendable {
        var name: String
        /// One per category; nil = no bar.
        var values: [Double?]
        var low: [Double?]? = nil
        var high: [Double?]? = nil
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var categories: [String]
    var series: [Series]
    var format: ValueFormat = .number
    /// Horizontal bars, for long category names.
    var horizontal: Bool = false
    /// Value text at the end of each bar.
    var showValues: Bool = true
}

extension BarChart {
    /// A bar to draw: category, series and value, with its error interval when both ends are finite.
    struct Bar {
        var category: Int
        var series: Int
        var value: Double
        var low: Double?
        var high: Double?
    }

    func bars() -> [Bar] {
        var out: [Bar] = []
        for (s, series) in self.series.enumerated() {
            for category in categories.indices {
                guard category < series.values.count, let value = series.values[category], value.isFinite else { continue }
                func end(_ array: [Double?]?) -> Double? {
                    guard let array, category < array.count, let v = array[category], v.isFinite else { return nil }
                    return v
                }
                let low = end(series.low), high = end(series.high)
                out.append(Bar(category: category, series: s, value: value,
                               low: low != nil && high != nil ? low : nil, high: low != nil && high != nil ? high : nil))
            }
        }
        return out
    }

    func render() -> String {
        let bars = self.bars()
        guard !bars.isEmpty else { return SVGCanvas.placeholder(title: title) }
        let extent: [Double] = bars.flatMap { bar -> [Double] in [bar.value, bar.low, bar.high].compactMap { $0 } } + [0]
        guard var low = extent.min(), var high = extent.max() else { return SVGCanvas.placeholder(title: title) }
        // Room for the value text past the longest bar, so it stays inside the plot.
        if showValues {
            let pad = (high - low) * (horizontal ? 0.14 : 0.08)
            if high > 0 { high += pad }
            if low < 0 { low -= pad }
        }
        let legend = Legend(series.count > 1 ? series.enumerated().map { .init(name: $1.name, color: Palette.color($0), swatch: .box) } : [],
                            width: ChartStyle.width - 2 * ChartStyle.outerMargin)
        return horizontal ? renderHorizontal(bars, low: low, high: high, legend: legend)
                          : renderVertical(bars, low: low, high: high, legend: legend)
    }

    private var seriesCount: Int { max(1, series.count) }

    private func renderVertical(_ bars: [Bar], low: Double, high: Double, legend: Legend) -> String {
        let ticks = NiceTicks(min: low, max: high, target: 5, minStep: format == .integer ? 1 : 0)
        let labels = format.tickLabels(ticks.values, step: ticks.step)
        let yLabelWidth = labels.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0
        // Category names: level when they fit the band, else turned 40° (and cut at 160 units).
        let probe = PlotFrame.make(legend: legend, yLabelWidth: yLabelWidth, plotHeight: 300)
        let band = probe.width / Double(max(1, categories.count))
        let names = categories.map { TextMetrics.truncate($0, maxWidth: 160, size: ChartStyle.tickSize) }
        let widest = names.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0
        let rotated = widest > band - 6
        let labelHeight = rotated ? widest * 0.643 + 14 : 16
        let frame = PlotFrame.make(legend: legend, yLabelWidth: yLabelWidth, plotHeight: 300, xLabelHeight: labelHeight)
        let yMap = LinearMap(domain: (ticks.lower, ticks.upper), range: (frame.bottom, frame.top))
        // Turned labels need about 20 units between neighbours not to touch; level ones fit their band.
        let every = max(1, Int(((rotated ? 20 : 13) / band).rounded(.up)))

        var canvas = SVGCanvas(width: ChartStyle.width, height: frame.chartHeight)
        frame.drawHeader(into: &canvas, title: title, legend: legend)
        frame.drawYAxis(into: &canvas, ticks: zip(ticks.values, labels).map { (yMap($0), $1) }, title: yLabel)
        let categoryTicks = names.enumerated().filter { $0.offset % every == 0 }
            .map { (x: frame.left + (Double($0.offset) + 0.5) * band, label: $0.element) }
        frame.drawXAxis(into: &canvas, ticks: categoryTicks, title: xLabel, rotated: rotated, labelHeight: labelHeight)

        let inner = band * (seriesCount > 1 ? 0.84 : 0.7)
        let barWidth = inner / Double(seriesCount)
        let zero = yMap(0)
        let valueSize = 10.0
        // Values are written on every bar or on none: only some would read as if the others were missing.
        let room = (seriesCount > 1 ? barWidth : band) - 2
        let writeValues = showValues && bars.allSatisfy { TextMetrics.width(format.string($0.value), size: valueSize) <= room }
        canvas.raw("<g class=\"bars\">")
        for bar in bars {
            let x = frame.left + Double(bar.category) * band + (band - inner) / 2 + Double(bar.series) * barWidth
            let y = yMap(bar.value)
            let text = format.string(bar.value)
            canvas.rect(x: x + 0.5, y: min(y, zero), width: barWidth - 1, height: abs(zero - y), fill: Palette.color(bar.series),
                        cls: "bar", tooltip: tooltip(bar, text))
            if let l = bar.low, let h = bar.high {
                let cx = x + barWidth / 2, cap = min(5, barWidth * 0.3)
                canvas.raw("<g class=\"errorbar\">")
                canvas.line(x1: cx, y1: yMap(l), x2: cx, y2: yMap(h), stroke: Palette.reference, width: 1.2)
                canvas.line(x1: cx - cap, y1: yMap(l), x2: cx + cap, y2: yMap(l), stroke: Palette.reference, width: 1.2)
                canvas.line(x1: cx - cap, y1: yMap(h), x2: cx + cap, y2: yMap(h), stroke: Palette.reference, width: 1.2)
                canvas.raw("</g>")
            }
            if writeValues {
                // Above the bar (or above its error bar); below it for negative values.
                let top = min(y, bar.high.map { yMap($0) } ?? y), under = max(y, bar.low.map { yMap($0) } ?? y)
                let ty = bar.value >= 0 ? top - 4 : under + valueSize + 2
                canvas.text(text, x: x + barWidth / 2, y: ty, size: valueSize, fill: "#444", cls: "bar-value")
            }
        }
        canvas.raw("</g>")
        if ticks.lower < 0 {
            canvas.line(x1: frame.left, y1: zero, x2: frame.right, y2: zero, stroke: ChartStyle.axisColor, cls: "zero")
        }
        return canvas.render(title: title, description: description(bars))
    }

    private func renderHorizontal(_ bars: [Bar], low: Double, high: Double, legend: Legend) -> String {
        let names = categories.map { TextMetrics.truncate($0, maxWidth: 300, size: ChartStyle.tickSize) }
        let labelWidth = names.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0
        let barHeight = seriesCount > 1 ? 14.0 : 18.0
        let band = barHeight * Double(seriesCount) + 8
        let frame = PlotFrame.make(legend: legend, yLabelWidth: labelWidth, plotHeight: band * Double(categories.count))
        let fitted = FittedTicks(min: low, max: high, width: frame.width, format: format, minStep: format == .integer ? 1 : 0)
        let ticks = fitted.ticks
        let xMap = LinearMap(domain: (ticks.lower, ticks.upper), range: (frame.left, frame.right))

        var canvas = SVGCanvas(width: ChartStyle.width, height: frame.chartHeight)
        frame.drawHeader(into: &canvas, title: title, legend: legend)
        frame.drawXAxis(into: &canvas, ticks: zip(fitted.values, fitted.labels).map { (xMap($0), $1) }, title: yLabel, grid: true)
        frame.drawYAxis(into: &canvas, ticks: names.enumerated().map { (frame.top + (Double($0.offset) + 0.5) * band, $0.element) },
                        title: xLabel, grid: false)

        let zero = xMap(0)
        canvas.raw("<g class=\"bars\">")
        for bar in bars {
            let y = frame.top + Double(bar.category) * band + 4 + Double(bar.series) * barHeight
            let x = xMap(bar.value)
            let text = format.string(bar.value)
            canvas.rect(x: min(x, zero), y: y + 0.5, width: abs(x - zero), height: barHeight - 1, fill: Palette.color(bar.series),
                        cls: "bar", tooltip: tooltip(bar, text))
            if let l = bar.low, let h = bar.high {
                let cy = y + barHeight / 2, cap = min(4, barHeight * 0.3)
                canvas.raw("<g class=\"errorbar\">")
                canvas.line(x1: xMap(l), y1: cy, x2: xMap(h), y2: cy, stroke: Palette.reference, width: 1.2)
                canvas.line(x1: xMap(l), y1: cy - cap, x2: xMap(l), y2: cy + cap, stroke: Palette.reference, width: 1.2)
                canvas.line(x1: xMap(h), y1: cy - cap, x2: xMap(h), y2: cy + cap, stroke: Palette.reference, width: 1.2)
                canvas.raw("</g>")
            }
            if showValues {
                let end = max(x, bar.high.map { xMap($0) } ?? x), start = min(x, bar.low.map { xMap($0) } ?? x)
                let size = min(10.5, barHeight * 0.65)
                if bar.value >= 0 {
                    canvas.text(text, x: end + 4, y: y + barHeight / 2 + size * 0.36, size: size, anchor: "start", fill: "#444",
                                cls: "bar-value")
                } else {
                    canvas.text(text, x: start - 4, y: y + barHeight / 2 + size * 0.36, size: size, anchor: "end", fill: "#444",
                                cls: "bar-value")
                }
            }
        }
        canvas.raw("</g>")
        if ticks.lower < 0 {
            canvas.line(x1: zero, y1: frame.top, x2: zero, y2: frame.bottom, stroke: ChartStyle.axisColor, cls: "zero")
        }
        return canvas.render(title: title, description: description(bars))
    }

    private func tooltip(_ bar: Bar, _ text: String) -> String {
        var tip = "\(categories[bar.category])"
        if series.count > 1 { tip += " / \(series[bar.series].name)" }
        tip += ": \(text)"
        if let l = bar.low, let h = bar.high { tip += " (\(format.string(l))–\(format.string(h)))" }
        return tip
    }

    private func description(_ bars: [Bar]) -> String {
        let top = bars.max { $0.value < $1.value }.map { "largest \(categories[$0.category]) \(format.string($0.value))" } ?? ""
        return "Bar chart of \(yLabel) for \(categories.count) \(xLabel)"
            + (series.count > 1 ? " in \(series.count) series (\(series.map(\.name).joined(separator: ", ")))" : "")
            + "; \(top)."
    }
}
