import Foundation

/// A rows x columns grid coloured by value on viridis, with a colour bar; nil cells are light grey.
struct Heatmap: Sendable {
    var title: String
    var rowLabel: String
    var columnLabel: String
    var rows: [String]
    var columns: [String]
    /// rows x columns; nil (or non-finite) = empty cell (light grey).
    var values: [[Double?]]
    var format: ValueFormat = .percent
    /// Writes the value in each cell, white or black by the cell's luminance (when it fits).
    var showValues: Bool = true
    /// Caption of the colour scale bar.
    var legendLabel: String
}

extension Heatmap {
    /// The finite value of a cell; ragged `values` arrays read as empty cells.
    func value(row: Int, column: Int) -> Double? {
        guard row < values.count, column < values[row].count, let value = values[row][column], value.isFinite else { return nil }
        return value
    }

    /// Colour of a value on the scale `low...high` (the data's range).
    static func color(_ value: Double, low: Double, high: Double) -> Palette.RGB {
        Palette.viridis(high > low ? (value - low) / (high - low) : 0.5)
    }

    func render() -> String {
        let finite = rows.indices.flatMap { row in columns.indices.compactMap { value(row: row, column: $0) } }
        guard let low = finite.min(), let high = finite.max() else { return SVGCanvas.placeholder(title: title) }

        // Colour-bar labels: nice ticks inside the data's range, or its two ends.
        let scaleTicks = NiceTicks(min: low, max: high, target: 4)
        var barTicks = scaleTicks.values.filter { $0 >= low - 1e-12 && $0 <= high + 1e-12 }
        var barLabels = format.tickLabels(barTicks, step: scaleTicks.step)
        if barTicks.count < 2 {
            barTicks = high > low ? [low, high] : [low]
            barLabels = barTicks.map { format.string($0) }
        }

        let rowLabelMax = 230.0
        let rowTexts = rows.map { TextMetrics.truncate($0, maxWidth: rowLabelMax, size: ChartStyle.tickSize) }
        let rowLabelWidth = rowTexts.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0
        let left = ChartStyle.outerMargin + 18 + 8 + rowLabelWidth + 6
        let rightMargin = ChartStyle.outerMargin + 10
        let plotWidth = ChartStyle.width - left - rightMargin
        let cellWidth = plotWidth / Double(max(1, columns.count))
        let cellHeight = min(34, max(16, cellWidth * 0.8))
        let top = ChartStyle.titleBaseline + 16
        let plotHeight = cellHeight * Double(rows.count)
        let bottom = top + plotHeight

        // Column labels: level when they fit the cell, else turned 40°; thinned when cells are very narrow.
        let columnMax = 150.0
        let columnTexts = columns.map { TextMetrics.truncate($0, maxWidth: columnMax, size: ChartStyle.tickSize) }
        let columnWidest = columnTexts.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0
        let rotated = columnWidest > cellWidth - 4
        let every = max(1, Int(((rotated ? 20 : 14) / cellWidth).rounded(.up)))
        let labelHeight = rotated ? columnWidest * 0.643 + 12 : 16
        // The colour scale sits in its own row under the column title.
        let scaleTop = bottom + 8 + labelHeight + 8 + 16 + 14
        let chartHeight = scaleTop + 12 + 22 + ChartStyle.outerMargin - 4

        var canvas = SVGCanvas(width: ChartStyle.width, height: chartHeight)
        let frame = PlotFrame(left: left, top: top, width: plotWidth, height: plotHeight, chartHeight: chartHeight)
        frame.drawHeader(into: &canvas, title: title, legend: Legend([], width: 0))

        let valueSize = min(11, cellHeight * 0.45)
        // Texts in every filled cell or in none, so a missing text never looks like a missing value.
        let writeValues = showValues && finite.allSatisfy { TextMetrics.width(format.string($0), size: valueSize) <= cellWidth - 4 }
        canvas.raw("<g class=\"cells\">")
        for (r, rowName) in rows.enumerated() {
            for (c, columnName) in columns.enumerated() {
                let x = left + Double(c) * cellWidth, y = top + Double(r) * cellHeight
                guard let value = value(row: r, column: c) else {
                    canvas.rect(x: x, y: y, width: cellWidth, height: cellHeight, fill: Palette.empty, cls: "cell empty",
                                extra: [.s("stroke", "#fff"), .n("stroke-width", 1)], tooltip: "\(rowName) / \(columnName): no value")
                    continue
                }
                let color = Self.color(value, low: low, high: high)
                let text = format.string(value)
                canvas.rect(x: x, y: y, width: cellWidth, height: cellHeight, fill: color.hex, cls: "cell",
                            extra: [.s("stroke", "#fff"), .n("stroke-width", 1)], tooltip: "\(rowName) / \(columnName): \(text)")
                if writeValues {
                    canvas.text(text, x: x + cellWidth / 2, y: y + cellHeight / 2 + valueSize * 0.36, size: valueSize,
                                fill: color.textColor, cls: "cell-value")
                }
            }
        }
        canvas.raw("</g>")

        // Row labels on the left, column labels under the grid, then the two axis titles.
        canvas.raw("<g class=\"y-axis\">")
        for (r, text) in rowTexts.enumerated() {
            canvas.text(text, x: left - 6, y: top + (Double(r) + 0.5) * cellHeight + 4, size: ChartStyle.tickSize, anchor: "end",
                        cls: "tick-label y", tooltip: text == rows[r] ? nil : rows[r])
        }
        canvas.text(TextMetrics.truncate(rowLabel, maxWidth: max(plotHeight, 120), size: ChartStyle.axisTitleSize),
                    x: ChartStyle.outerMargin + 10, y: top + plotHeight / 2, size: ChartStyle.axisTitleSize, fill: "#444",
                    rotate: -90, cls: "axis-title y")
        canvas.raw("</g><g class=\"x-axis\">")
        for (c, text) in columnTexts.enumerated() where c % every == 0 {
            let x = left + (Double(c) + 0.5) * cellWidth
            if rotated {
                canvas.text(text, x: x + 3, y: bottom + 12, size: ChartStyle.tickSize, anchor: "end", rotate: -40,
                            cls: "tick-label x", tooltip: text == columns[c] ? nil : columns[c])
            } else {
                canvas.text(text, x: x, y: bottom + 16, size: ChartStyle.tickSize, cls: "tick-label x")
            }
        }
        canvas.text(TextMetrics.truncate(columnLabel, maxWidth: plotWidth, size: ChartStyle.axisTitleSize),
                    x: left + plotWidth / 2, y: bottom + 8 + labelHeight + 8 + 10, size: ChartStyle.axisTitleSize, fill: "#444",
                    cls: "axis-title x")
        canvas.raw("</g>")

        let scaleWidth = min(260, plotWidth * 0.6)
        drawScale(into: &canvas, x: left + plotWidth - scaleWidth, top: scaleTop, width: scaleWidth, captionSpace: left + plotWidth - scaleWidth - 24,
                  low: low, high: high, ticks: Array(zip(barTicks, barLabels)))
        let cells = rows.count * columns.count
        return canvas.render(title: title, description: "Heatmap of \(rows.count) \(rowLabel) by \(columns.count) \(columnLabel); "
                             + "\(finite.count) of \(cells) cells have a value, from \(format.string(low)) to \(format.string(high)) "
                             + "(\(legendLabel)); darker is lower, yellow is higher.")
    }

    /// The horizontal colour bar (low on the left) in thin slices, so no gradient id can clash between charts on
    /// one page; its caption on the left, where a long one has room.
    private func drawScale(into canvas: inout SVGCanvas, x: Double, top: Double, width: Double, captionSpace: Double,
                           low: Double, high: Double, ticks: [(Double, String)]) {
        let slices = 60
        let sliceWidth = width / Double(slices)
        canvas.raw("<g class=\"color-scale\">")
        for index in 0..<slices {
            let t = (Double(index) + 0.5) / Double(slices)
            canvas.rect(x: x + Double(index) * sliceWidth, y: top, width: sliceWidth + 0.4, height: 12,
                        fill: Palette.viridis(t).hex, cls: "scale-slice")
        }
        canvas.rect(x: x, y: top, width: width, height: 12, fill: "none", cls: "scale-frame", extra: [.s("stroke", "#999")])
        for (value, label) in ticks {
            let tx = high > low ? x + (value - low) / (high - low) * width : x + width / 2
            canvas.line(x1: tx, y1: top + 12, x2: tx, y2: top + 16, stroke: ChartStyle.axisColor, cls: "tick")
            canvas.text(label, x: tx, y: top + 28, size: ChartStyle.tickSize, cls: "tick-label scale")
        }
        let caption = TextMetrics.truncate(legendLabel, maxWidth: max(60, captionSpace), size: ChartStyle.axisTitleSize)
        canvas.text(caption, x: x - 12, y: top + 10, size: ChartStyle.axisTitleSize, anchor: "end", fill: "#444", cls: "scale-title",
                    tooltip: caption == legendLabel ? nil : legendLabel)
        canvas.raw("</g>")
    }
}
