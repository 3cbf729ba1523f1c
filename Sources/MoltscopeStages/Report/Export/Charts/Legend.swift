/// A legend laid out in centred rows between the title and the plot, so it can never cover data.
struct Legend {
    enum Swatch { case line, dashed, box, dot }

    struct Entry {
        var name: String
        var color: String
        var swatch: Swatch
    }

    static let rowHeight = 18.0
    private static let swatchWidth = 18.0
    private static let maxNameWidth = 220.0

    let entries: [Entry]
    /// Each entry's row and left x.
    private let placed: [(row: Int, x: Double)]
    let rows: Int

    /// Lays entries out in rows no wider than `width` (the chart width minus margins), each row centred on `center`.
    init(_ entries: [Entry], width: Double, center: Double = ChartStyle.width / 2) {
        self.entries = entries
        var rowsOfWidths: [[Double]] = [[]]
        var used = 0.0
        for entry in entries {
            let w = Self.entryWidth(entry)
            if used + w > width && !(rowsOfWidths.last ?? []).isEmpty {
                rowsOfWidths.append([])
                used = 0
            }
            rowsOfWidths[rowsOfWidths.count - 1].append(w)
            used += w
        }
        var placed: [(Int, Double)] = []
        for (row, widths) in rowsOfWidths.enumerated() {
            var x = center - widths.reduce(0, +) / 2
            for w in widths {
                placed.append((row, x))
                x += w
            }
        }
        self.placed = placed
        rows = entries.isEmpty ? 0 : rowsOfWidths.count
    }

    /// Height the legend takes (0 without entries).
    var height: Double { Double(rows) * Self.rowHeight }

    private static func label(_ entry: Entry) -> String {
        TextMetrics.truncate(entry.name, maxWidth: maxNameWidth, size: ChartStyle.legendSize)
    }

    private static func entryWidth(_ entry: Entry) -> Double {
        swatchWidth + 6 + TextMetrics.width(label(entry), size: ChartStyle.legendSize) + 18
    }

    /// Draws the rows with their first baseline at `top + 12`.
    func draw(into canvas: inout SVGCanvas, top: Double) {
        guard !entries.isEmpty else { return }
        canvas.raw("<g class=\"legend\">")
        for (entry, place) in zip(entries, placed) {
            let y = top + Double(place.row) * Self.rowHeight + 8
            let x = place.x
            switch entry.swatch {
            case .line:
                canvas.line(x1: x, y1: y, x2: x + Self.swatchWidth, y2: y, stroke: entry.color, width: 2.5, cls: "legend-swatch")
            case .dashed:
                canvas.line(x1: x, y1: y, x2: x + Self.swatchWidth, y2: y, stroke: entry.color, width: 2, dash: "5 3",
                            cls: "legend-swatch")
            case .box:
                canvas.rect(x: x + 3, y: y - 6, width: 12, height: 12, fill: entry.color, cls: "legend-swatch")
            case .dot:
                canvas.rect(x: x + 5, y: y - 4, width: 8, height: 8, fill: entry.color, cls: "legend-swatch",
                            extra: [.n("rx", 4)])
            }
            let name = Self.label(entry)
            canvas.text(name, x: x + Self.swatchWidth + 6, y: y + 4, size: ChartStyle.legendSize, anchor: "start",
                        cls: "legend-label", tooltip: name == entry.name ? nil : entry.name)
        }
        canvas.raw("</g>")
    }
}
