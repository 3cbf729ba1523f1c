import Foundation

/// A 2-D map of points (t-SNE, PCA) coloured by group: no ticks (the axes have no units), equal scale
/// on both axes so distances look as computed, a legend beside the square plot.
struct ScatterMap: Sendable {
    var title: String
    /// `group` indexes `groupNames`; -1 (or any index outside it) = ungrouped, drawn grey.
    var points: [(x: Double, y: Double, group: Int)]
    var groupNames: [String]
    /// Groups beyond the largest this many share one "other" colour and legend entry.
    var maxLegendEntries: Int = 12
}

extension ScatterMap {
    /// A legend class: a named group, "other" (small groups pooled) or ungrouped.
    struct Class: Equatable {
        var name: String
        var color: String
        var count: Int
    }

    /// Which class each group index falls in: the `maxLegendEntries` largest groups keep their own colour
    /// (in `groupNames` order, so colours stay put between charts of the same groups), the rest share "other".
    func classes(counts: [Int: Int]) -> (named: [Int: Int], classes: [Class], other: Int?, ungrouped: Int?) {
        let present = counts.keys.filter { $0 >= 0 && $0 < groupNames.count }
        let kept = Set(present.sorted { (counts[$0] ?? 0, $1) > (counts[$1] ?? 0, $0) }.prefix(max(0, maxLegendEntries)))
        var classes: [Class] = []
        var named: [Int: Int] = [:]
        for group in kept.sorted() {
            named[group] = classes.count
            classes.append(Class(name: groupNames[group], color: Palette.color(classes.count), count: counts[group] ?? 0))
        }
        var other: Int?
        let pooled = present.filter { !kept.contains($0) }
        if !pooled.isEmpty {
            other = classes.count
            classes.append(Class(name: "other (\(pooled.count) groups)", color: Palette.other,
                                 count: pooled.reduce(0) { $0 + (counts[$1] ?? 0) }))
        }
        var ungrouped: Int?
        let loose = counts.filter { $0.key < 0 || $0.key >= groupNames.count }.values.reduce(0, +)
        if loose > 0 {
            ungrouped = classes.count
            classes.append(Class(name: "ungrouped", color: Palette.ungrouped, count: loose))
        }
        return (named, classes, other, ungrouped)
    }

    func render() -> String {
        let valid = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard let xMin = valid.map(\.x).min(), let xMax = valid.map(\.x).max(),
              let yMin = valid.map(\.y).min(), let yMax = valid.map(\.y).max() else {
            return SVGCanvas.placeholder(title: title)
        }
        let counts = valid.reduce(into: [Int: Int]()) { $0[$1.group, default: 0] += 1 }
        let (named, classes, other, ungrouped) = self.classes(counts: counts)
        func classIndex(_ group: Int) -> Int {
            if let index = named[group] { return index }
            if group >= 0 && group < groupNames.count, let other { return other }
            return ungrouped ?? 0
        }

        // Square plot on the left, legend column on the right (none for a single class).
        let showLegend = classes.count > 1
        let top = ChartStyle.titleBaseline + 16
        let side = showLegend ? 540.0 : 600.0
        let plotLeft = showLegend ? ChartStyle.outerMargin + 6 : (ChartStyle.width - side) / 2
        let chartHeight = top + side + ChartStyle.outerMargin
        let span = max(xMax - xMin, yMax - yMin)
        let pad = 8.0
        let scale = span > 0 ? (side - 2 * pad) / span : 1
        let cx = (xMin + xMax) / 2, cy = (yMin + yMax) / 2
        func px(_ x: Double) -> Double { plotLeft + side / 2 + (x - cx) * scale }
        func py(_ y: Double) -> Double { top + side / 2 - (y - cy) * scale }

        var canvas = SVGCanvas(width: ChartStyle.width, height: chartHeight)
        let frame = PlotFrame(left: plotLeft, top: top, width: side, height: side, chartHeight: chartHeight)
        frame.drawHeader(into: &canvas, title: title, legend: Legend([], width: 0))
        canvas.rect(x: plotLeft, y: top, width: side, height: side, fill: "#fcfcfc", cls: "frame",
                    extra: [.s("stroke", "#ddd")])

        // One group per class, larger classes first so small ones stay visible on top; grey classes at the bottom.
        var byClass = Array(repeating: [(x: Double, y: Double)](), count: classes.count)
        for point in valid { byClass[classIndex(point.group)].append((point.x, point.y)) }
        let order = classes.indices.sorted { a, b in
            let greyA = a == other || a == ungrouped, greyB = b == other || b == ungrouped
            if greyA != greyB { return greyA }
            return (classes[a].count, b) > (classes[b].count, a)
        }
        for index in order where !byClass[index].isEmpty {
            canvas.raw("<g class=\"points\" fill=\"\(classes[index].color)\" fill-opacity=\"0.6\">")
            for point in byClass[index] {
                canvas.raw("<circle cx=\"\(SVGCanvas.number(px(point.x)))\" cy=\"\(SVGCanvas.number(py(point.y)))\" r=\"1.6\"/>")
            }
            canvas.raw("</g>")
        }

        if showLegend {
            let x = plotLeft + side + 24
            let nameWidth = ChartStyle.width - x - ChartStyle.outerMargin - 20
            canvas.raw("<g class=\"legend\">")
            for (index, item) in classes.enumerated() {
                let y = top + 10 + Double(index) * 20
                canvas.rect(x: x, y: y - 5, width: 10, height: 10, fill: item.color, cls: "legend-swatch", extra: [.n("rx", 5)])
                let label = "\(item.name) (\(ValueFormat.integer.string(Double(item.count))))"
                let shown = TextMetrics.truncate(label, maxWidth: nameWidth, size: ChartStyle.legendSize)
                canvas.text(shown, x: x + 16, y: y + 4, size: ChartStyle.legendSize, anchor: "start", cls: "legend-label",
                            tooltip: shown == label ? nil : label)
            }
            canvas.raw("</g>")
        }
        let summary = classes.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        return canvas.render(title: title, description: "Map of \(valid.count) points in \(classes.count) colour classes: \(summary).")
    }
}
