import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import MoltscopeStages

/// A parsed SVG or XHTML fragment: every element in document order with its attributes, text and ancestors.
struct XMLTree {
    struct Node {
        var name: String
        var attributes: [String: String]
        var text: String
        /// Names and classes of the enclosing elements, outermost first.
        var ancestors: [(name: String, cls: String)]

        var cls: String { attributes["class"] ?? "" }
        func hasClass(_ name: String) -> Bool { cls.split(separator: " ").contains { $0 == name } }
        func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
    }

    var nodes: [Node]

    /// nil when the markup is not well-formed XML.
    init?(_ markup: String) {
        let collector = Collector()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = collector
        guard parser.parse() else { return nil }
        nodes = collector.nodes
    }

    func elements(_ name: String, cls: String? = nil) -> [Node] {
        nodes.filter { $0.name == name && (cls.map($0.hasClass) ?? true) }
    }

    /// The root's viewBox as (width, height).
    var viewBox: (width: Double, height: Double)? {
        guard let parts = nodes.first?.attributes["viewBox"]?.split(separator: " ").compactMap({ Double($0) }),
              parts.count == 4 else { return nil }
        return (parts[2], parts[3])
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var nodes: [Node] = []
        private var open: [Int] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let ancestors = open.map { (nodes[$0].name, nodes[$0].cls) }
            nodes.append(Node(name: elementName, attributes: attributeDict, text: "", ancestors: ancestors))
            open.append(nodes.count - 1)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            _ = open.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let last = open.last { nodes[last].text += string }
        }
    }
}

/// Charts used by several tests, one of each kind, with some awkward values mixed in.
enum SampleCharts {
    static let day0 = 1_769_731_200.0   // 2026-01-30 00:00 UTC

    static var line: LineChart {
        var toxic: [(x: Double, y: Double?)] = []
        var spam: [(x: Double, y: Double?)] = []
        for hour in 0..<72 {
            let x = day0 + Double(hour) * 3600
            let wave = 0.1 + 0.5 * Double(hour % 24) / 24
            toxic.append((x, hour == 30 || hour == 31 ? nil : wave))
            spam.append((x, hour == 50 ? Double.nan : 0.05 + 0.01 * Double(hour % 5)))
        }
        return LineChart(title: "Share of toxic documents", xLabel: "time (UTC)", yLabel: "share of documents",
                         series: [.init(name: "toxic", points: toxic), .init(name: "spam", points: spam)],
                         xAxis: .time, yFormat: .percent)
    }

    static var heatmap: Heatmap {
        Heatmap(title: "Topic share by day", rowLabel: "topic", columnLabel: "day",
                rows: ["crypto", "philosophy", "memes", "agents helping agents"],
                columns: ["Jan 30", "Jan 31", "Feb 1", "Feb 2", "Feb 3"],
                values: [[0.10, 0.20, 0.30, nil, 0.5], [0.02, 0.04, 0.06, 0.08, 0.1], [0.6, 0.7, 0.8, 0.83, .nan],
                         [0, 0.01, 0.02, 0.03, 0.04]],
                legendLabel: "share of the day's documents")
    }

    /// Deterministic noise for sample data (a 64-bit LCG), in -1...1.
    static func noise(_ state: inout UInt64) -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }

    /// 14 blobs of 40 points and 40 ungrouped points.
    static var scatter: ScatterMap {
        var points: [(x: Double, y: Double, group: Int)] = []
        var state: UInt64 = 42
        for index in 0..<600 {
            let group = index % 15 == 14 ? -1 : index % 14
            let angle = Double(group + 1) * 0.45
            let radius = group < 0 ? 0.0 : 20 + Double(group % 3) * 9
            let spread = group < 0 ? 35.0 : 4.0
            let dx = (noise(&state) + noise(&state) + noise(&state)) * spread
            let dy = (noise(&state) + noise(&state) + noise(&state)) * spread
            points.append((cos(angle) * radius + dx, sin(angle) * radius * 0.8 + dy, group))
        }
        return ScatterMap(title: "t-SNE of documents", points: points, groupNames: (0..<14).map { "cluster \($0)" })
    }

    static var logLog: LogLogPlot {
        var inDegree: [(x: Double, y: Double)] = []
        for k in 1...40 {
            let x = Double(k) * 25
            inDegree.append((x, 1e-2 * pow(x / 10, -2)))
        }
        inDegree += [(0, 0.1), (-5, 1), (10, 0)]
        var outDegree: [(x: Double, y: Double)] = []
        for k in 1...20 {
            outDegree.append((Double(k) * 40, 5e-3 * pow(Double(k) * 4, -1.5)))
        }
        return LogLogPlot(title: "Degree distribution", xLabel: "degree", yLabel: "share of agents",
                          series: [.init(name: "in-degree", points: inDegree), .init(name: "out-degree", points: outDegree)],
                          lines: [.init(name: "power law α = 2", from: (10, 1e-2), to: (1000, 1e-6))])
    }

    static var bars: BarChart {
        BarChart(title: "Toxicity by submolt", xLabel: "submolt", yLabel: "share toxic",
                 categories: ["general", "crypto", "philosophy"],
                 series: [.init(name: "trained", values: [0.12, 0.3, nil], low: [0.1, 0.25, nil], high: [0.14, 0.35, nil]),
                          .init(name: "zero-shot", values: [0.1, 0.28, 0.05])],
                 format: .percent)
    }

    static var horizontalBars: BarChart {
        BarChart(title: "Most active submolts", xLabel: "submolt", yLabel: "documents",
                 categories: ["m/general", "m/a-very-long-submolt-name-that-needs-room", "m/crypto", "m/introductions"],
                 series: [.init(name: "documents", values: [12_345, 8_000, 950, 40])], format: .integer, horizontal: true)
    }

    static var histogram: Histogram {
        var values: [Double] = []
        for index in 0..<500 {
            let spread = Double(index % 97) / 97
            values.append(spread * Double(index % 13) / 12)
        }
        values += [.nan, .infinity]
        return Histogram(title: "Toxicity scores", xLabel: "score", values: values, bins: 25,
                         markers: [("threshold 0.6", 0.6), ("median", 0.22)])
    }

    static var all: [(name: String, svg: String)] {
        [("line", Charts.line(line)), ("heatmap", Charts.heatmap(heatmap)), ("scatter", Charts.scatter(scatter)),
         ("logLog", Charts.logLog(logLog)), ("bars", Charts.bars(bars)), ("horizontal", Charts.bars(horizontalBars)),
         ("histogram", Charts.histogram(histogram))]
    }
}

@Suite("Report: SVG charts")
struct ChartsTests {
    // MARK: Shared checks

    /// Parses, and checks the root is an accessible, responsive SVG whose coordinates are all finite and inside its viewBox.
    @discardableResult
    static func checkedTree(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> XMLTree {
        let tree = try #require(XMLTree(svg), "not well-formed: \(svg.prefix(300))", sourceLocation: sourceLocation)
        let root = try #require(tree.nodes.first, sourceLocation: sourceLocation)
        #expect(root.name == "svg", sourceLocation: sourceLocation)
        #expect(root.attributes["role"] == "img", sourceLocation: sourceLocation)
        #expect(root.attributes["width"] == "100%", sourceLocation: sourceLocation)
        #expect(root.attributes["style"]?.contains("font-family: system-ui, sans-serif") == true, sourceLocation: sourceLocation)
        #expect(tree.nodes.dropFirst().first?.name == "title", sourceLocation: sourceLocation)
        #expect(tree.nodes.dropFirst(2).first?.name == "desc", sourceLocation: sourceLocation)
        let lower = svg.lowercased()
        for bad in ["\"nan", "\"inf", "\"-inf", " nan", " inf", "nan\"", "inf\""] {
            #expect(!lower.contains(bad), "found \(bad)", sourceLocation: sourceLocation)
        }
        let box = try #require(tree.viewBox, sourceLocation: sourceLocation)
        let tolerance = 0.01
        for node in tree.nodes {
            for (name, limit) in [("x", box.width), ("x1", box.width), ("x2", box.width), ("cx", box.width),
                                  ("y", box.height), ("y1", box.height), ("y2", box.height), ("cy", box.height)] {
                guard let raw = node.attributes[name] else { continue }
                let value = try #require(Double(raw), "\(node.name) \(name)=\(raw)", sourceLocation: sourceLocation)
                #expect((raw.split(separator: ".").dropFirst().first?.count ?? 0) <= 2, "\(name)=\(raw) has more than 2 decimals",
                        sourceLocation: sourceLocation)
                #expect(value.isFinite && value >= -tolerance && value <= limit + tolerance,
                        "\(node.name) \(name)=\(raw) outside 0...\(limit)", sourceLocation: sourceLocation)
            }
            if let w = node.number("width"), node.name != "svg" {
                #expect(w >= 0 && (node.number("x") ?? 0) + w <= box.width + tolerance, "\(node.name) width", sourceLocation: sourceLocation)
            }
            if let h = node.number("height"), node.name != "svg" {
                #expect(h >= 0 && (node.number("y") ?? 0) + h <= box.height + tolerance, "\(node.name) height", sourceLocation: sourceLocation)
            }
            if node.name == "path", let d = node.attributes["d"] {
                let numbers = d.split(whereSeparator: { "MLZ ,".contains($0) }).map { Double($0) }
                #expect(numbers.allSatisfy { $0 != nil }, "path d \(d.prefix(80))", sourceLocation: sourceLocation)
                let values = numbers.compactMap { $0 }
                for (index, value) in values.enumerated() {
                    let limit = index % 2 == 0 ? box.width : box.height
                    #expect(value.isFinite && value >= 0 && value <= limit, "path point \(value)", sourceLocation: sourceLocation)
                }
            }
        }
        return tree
    }

    /// Tick labels of one axis with their pixel positions, in drawing order.
    static func ticks(_ tree: XMLTree, axis: String) -> [(label: String, position: Double)] {
        tree.elements("text", cls: "tick-label").filter { $0.hasClass(axis) }.compactMap { node in
            guard let position = node.number(axis == "x" ? "x" : "y") else { return nil }
            return (node.text, position)
        }
    }

    static func isNiceStep(_ step: Double) -> Bool {
        let magnitude = pow(10, floor(log10(step) + 1e-9))
        let mantissa = step / magnitude
        return [1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-6 }
    }

    // MARK: Every chart

    @Test(arguments: SampleCharts.all.map(\.name))
    func everyChartIsWellFormedAndInsideItsViewBox(_ name: String) throws {
        let svg = try #require(SampleCharts.all.first { $0.name == name }?.svg)
        let tree = try Self.checkedTree(svg)
        #expect(!svg.contains("no data"))
        #expect(tree.elements("text", cls: "title").count == 1)
    }

    // MARK: Line chart

    @Test func lineChartDrawsOnePathPerSegment() throws {
        let tree = try Self.checkedTree(Charts.line(SampleCharts.line))
        // "toxic" breaks at hours 30-31 (two segments), "spam" at the NaN of hour 50 (two segments).
        #expect(tree.elements("path", cls: "line").count == 4)
        #expect(tree.elements("text", cls: "legend-label").map(\.text) == ["toxic", "spam"])

        var chart = SampleCharts.line
        chart.series = [.init(name: "one", points: [(1, 1), (2, nil), (3, 2), (4, nil), (5, 3), (6, 4), (7, 5)])]
        chart.xAxis = .linear
        chart.markers = true
        let single = try Self.checkedTree(Charts.line(chart))
        #expect(single.elements("path", cls: "line").count == 1)
        #expect(single.elements("circle", cls: "lone").count == 2)
        #expect(single.elements("circle", cls: "marker").count == 5)
        #expect(single.elements("text", cls: "legend-label").isEmpty, "one series needs no legend")
    }

    @Test func lineChartYTicksAreNiceCoverTheDataAndRunUpwards() throws {
        var chart = SampleCharts.line
        chart.series = [.init(name: "share", points: (0..<10).map { (Double($0), 0.83 * Double($0) / 9) })]
        chart.xAxis = .linear
        let tree = try Self.checkedTree(Charts.line(chart))
        let ticks = Self.ticks(tree, axis: "y")
        let values = try ticks.map { tick in try #require(Double(tick.label.dropLast()), "label \(tick.label)") / 100 }
        #expect(ticks.allSatisfy { $0.label.hasSuffix("%") })
        #expect(values.first == 0)
        #expect(try #require(values.last) >= 0.83)
        #expect(values.count >= 4 && values.count <= 8)
        let steps = zip(values.dropFirst(), values).map { $0 - $1 }
        let step = try #require(steps.first)
        #expect(steps.allSatisfy { abs($0 - step) < 1e-9 })
        #expect(Self.isNiceStep(step))
        // Larger values sit higher up, i.e. at smaller y.
        #expect(zip(ticks.dropFirst(), ticks).allSatisfy { $0.position < $1.position })

        // The path's highest point (0.83) lies between the 80% and 100% ticks.
        let path = try #require(tree.elements("path", cls: "line").first?.attributes["d"])
        let ys = path.split(separator: " ").enumerated().filter { $0.offset % 2 == 1 }.compactMap { Double($0.element) }
        let top = try #require(ys.min())
        let y80 = try #require(ticks.first { $0.label == "80%" }?.position) - 4
        let y100 = try #require(ticks.first { $0.label == "100%" }?.position) - 4
        #expect(top < y80 && top > y100)
        #expect(abs(top - (y80 + (y100 - y80) * (0.83 - 0.8) / 0.2)) < 0.05)
    }

    @Test func lineChartWithoutZeroBaselineFitsTheData() throws {
        var chart = SampleCharts.line
        chart.series = [.init(name: "score", points: [(0, 1012), (1, 1047), (2, 1031)])]
        chart.xAxis = .linear
        chart.yFormat = .number
        chart.yStartsAtZero = false
        let tree = try Self.checkedTree(Charts.line(chart))
        let labels = Self.ticks(tree, axis: "y").map(\.label)
        #expect(labels.first == "1,010")
        #expect(labels.last == "1,050")
    }

    // MARK: Time axis

    @Test func timeTicksFallOnWholeUTCHoursAndDays() throws {
        let day0 = SampleCharts.day0
        #expect(TimeTicks.label(day0, withTime: true) == "Jan 30")
        #expect(TimeTicks.label(day0 + 6 * 3600, withTime: true) == "Jan 30 06:00")
        #expect(TimeTicks.label(day0 + 2 * 86400, withTime: false) == "Feb 1")

        // Three days and a bit: day ticks; six hours: hour ticks with times.
        for (start, end, expectsTimes) in [(day0 + 1234, day0 + 9.4 * 86400, false), (day0 + 100, day0 + 6 * 3600 + 500, true)] {
            let ticks = TimeTicks(from: start, to: end, axisWidth: 650, fontSize: 11)
            #expect(ticks.values.count >= 3 && ticks.values.count <= 12)
            #expect(ticks.values.allSatisfy { $0 >= start && $0 <= end && $0.truncatingRemainder(dividingBy: 3600) == 0 })
            for (value, label) in zip(ticks.values, ticks.labels) {
                let hasTime = label.contains(":")
                #expect(label.range(of: #"^(Jan|Feb) \d{1,2}( \d{2}:00)?$"#, options: .regularExpression) != nil, "label \(label)")
                #expect(hasTime == (value.truncatingRemainder(dividingBy: 86400) != 0))
            }
            #expect(ticks.labels.contains { $0.contains(":") } == expectsTimes)
        }

        // The calendar arithmetic agrees with Foundation's over leap years and centuries.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for seconds in stride(from: -2_000_000_000.0, through: 4_200_000_000, by: 9_876_543.21) {
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: seconds))
            let civil = TimeTicks.civil(seconds)
            #expect(civil.year == parts.year && civil.month == parts.month && civil.day == parts.day, "\(seconds)")
        }
    }

    @Test func timeAxisLabelsInTheChart() throws {
        let tree = try Self.checkedTree(Charts.line(SampleCharts.line))
        let ticks = Self.ticks(tree, axis: "x")
        #expect(ticks.count >= 3)
        #expect(ticks.allSatisfy { $0.label.range(of: #"^(Jan|Feb) \d{1,2}( \d{2}:00)?$"#, options: .regularExpression) != nil })
        #expect(zip(ticks.dropFirst(), ticks).allSatisfy { $0.position > $1.position })
    }

    // MARK: Heatmap

    @Test func heatmapColoursFollowTheValues() throws {
        let chart = SampleCharts.heatmap
        let tree = try Self.checkedTree(Charts.heatmap(chart))
        let cells = tree.elements("rect", cls: "cell")
        #expect(cells.count == chart.rows.count * chart.columns.count)
        // The nil and the NaN cell are grey.
        let empty = cells.filter { $0.hasClass("empty") }
        #expect(empty.count == 2)
        #expect(empty.allSatisfy { $0.attributes["fill"] == Palette.empty })

        func cell(_ row: Int, _ column: Int) throws -> XMLTree.Node { try #require(cells[safe: row * chart.columns.count + column]) }
        func luminance(_ node: XMLTree.Node) throws -> Double {
            try #require(Palette.RGB(hex: node.attributes["fill"] ?? "")).luminance
        }
        let minimum = try cell(3, 0), maximum = try cell(2, 3)   // 0 and 0.83
        #expect(try luminance(minimum) < luminance(maximum))
        #expect(try luminance(try cell(0, 1)) < luminance(try cell(0, 2)))
        // Value text: white on the dark minimum, black on the bright maximum.
        let texts = tree.elements("text", cls: "cell-value")
        #expect(texts.count == cells.count - empty.count)
        #expect(texts.first { $0.text == "83%" }?.attributes["fill"] == "#000000")
        #expect(texts.first { $0.text == "0%" }?.attributes["fill"] == "#ffffff")
        #expect(tree.elements("text", cls: "tick-label").filter { $0.hasClass("y") }.map(\.text) == chart.rows)

        var hidden = chart
        hidden.showValues = false
        #expect(try Self.checkedTree(Charts.heatmap(hidden)).elements("text", cls: "cell-value").isEmpty)
    }

    @Test func viridisGetsLighterAlongTheScale() throws {
        let luminances = stride(from: 0.0, through: 1.0, by: 0.02).map { Palette.viridis($0).luminance }
        #expect(zip(luminances.dropFirst(), luminances).allSatisfy { $0 > $1 })
        #expect(Palette.viridis(0).hex == "#440154")
        #expect(Palette.viridis(1).hex == "#fde725")
        #expect(Palette.viridis(.nan).hex == "#440154")
    }

    // MARK: Scatter

    @Test func scatterDrawsEveryValidPointAndPoolsSmallGroups() throws {
        var chart = SampleCharts.scatter
        chart.points += [(.nan, 1, 0), (1, .infinity, 1)]
        let tree = try Self.checkedTree(Charts.scatter(chart))
        let circles = tree.elements("circle")
        #expect(circles.count == 600)
        #expect(circles.allSatisfy { $0.attributes["r"] == "1.6" })
        #expect(circles.allSatisfy { node in node.ancestors.contains { $0.cls == "points" } })
        let legend = tree.elements("text", cls: "legend-label").map(\.text)
        // 14 groups, 12 legend colours: the two smallest share "other"; index -1 is "ungrouped".
        #expect(legend.count == 14)
        #expect(legend.contains { $0.hasPrefix("other (2 groups)") })
        #expect(legend.last?.hasPrefix("ungrouped") == true)
        let fills = Set(tree.nodes.filter { $0.hasClass("points") }.compactMap { $0.attributes["fill"] })
        #expect(fills.count == 14)
        #expect(fills.contains(Palette.ungrouped) && fills.contains(Palette.other))
        #expect(tree.elements("g", cls: "points").allSatisfy { $0.attributes["fill-opacity"] == "0.6" })

        let box = try #require(tree.viewBox)
        #expect(box.height > 0.6 * box.width, "the map is square-ish")
    }

    // MARK: Log-log

    @Test func logLogDropsNonPositivePointsAndTicksAtPowersOfTen() throws {
        let chart = SampleCharts.logLog
        #expect(chart.validPoints().map(\.count) == [40, 20])
        let tree = try Self.checkedTree(Charts.logLog(chart))
        #expect(tree.elements("circle").count == 60)
        let x = Self.ticks(tree, axis: "x").map(\.label)
        let y = Self.ticks(tree, axis: "y").map(\.label)
        #expect(x == ["10", "100", "1k"])
        #expect(y == ["10⁻⁶", "10⁻⁵", "10⁻⁴", "0.001", "0.01"])
        #expect(LogTicks.label(exponent: 4) == "10k")
        #expect(LogTicks.label(exponent: 0) == "1")
        #expect(LogTicks.label(exponent: -1) == "0.1")
        #expect(LogTicks.label(exponent: 6) == "1M")
    }

    @Test func logLogFitLineLandsOnTheAxisMapping() throws {
        let tree = try Self.checkedTree(Charts.logLog(SampleCharts.logLog))
        let x = Self.ticks(tree, axis: "x"), y = Self.ticks(tree, axis: "y")
        // Pixel per decade from the tick labels (text y sits 4 below the tick line).
        let x10 = try #require(x.first { $0.label == "10" }?.position), x1k = try #require(x.first { $0.label == "1k" }?.position)
        let yA = try #require(y.first { $0.label == "0.01" }?.position) - 4
        let yB = try #require(y.first { $0.label == "10⁻⁴" }?.position) - 4
        func px(_ value: Double) -> Double { x10 + (log10(value) - 1) / 2 * (x1k - x10) }
        func py(_ value: Double) -> Double { yA + (log10(value) + 2) / -2 * (yB - yA) }
        // The axes run exactly from decade to decade: 10 and 1k at the x axis' ends, 10⁻⁶ and 0.01 at the y axis'.
        let axes = tree.elements("line", cls: "axis")
        let yAxis = try #require(axes.first { node in node.ancestors.contains { $0.cls == "y-axis" } })
        let xAxis = try #require(axes.first { node in node.ancestors.contains { $0.cls == "x-axis" } })
        #expect(abs(try #require(yAxis.number("y1")) - yA) < 0.02)
        #expect(abs(try #require(yAxis.number("y2")) - (try #require(y.first { $0.label == "10⁻⁶" }?.position) - 4)) < 0.02)
        #expect(abs(try #require(xAxis.number("x1")) - x10) < 0.02)
        #expect(abs(try #require(xAxis.number("x2")) - x1k) < 0.02)
        let fit = try #require(tree.elements("line", cls: "fit").first)
        #expect(abs(try #require(fit.number("x1")) - px(10)) < 0.02)
        #expect(abs(try #require(fit.number("y1")) - py(1e-2)) < 0.02)
        #expect(abs(try #require(fit.number("x2")) - px(1000)) < 0.02)
        #expect(abs(try #require(fit.number("y2")) - py(1e-6)) < 0.02)
        #expect(fit.attributes["stroke-dasharray"] != nil)
        #expect(tree.elements("text", cls: "legend-label").map(\.text) == ["in-degree", "out-degree", "power law α = 2"])
    }

    // MARK: Bars

    @Test func barsDrawOneRectPerValueWithErrorBars() throws {
        let tree = try Self.checkedTree(Charts.bars(SampleCharts.bars))
        let bars = tree.elements("rect", cls: "bar")
        #expect(bars.count == 5)
        #expect(tree.elements("g", cls: "errorbar").count == 2)
        #expect(tree.elements("text", cls: "bar-value").map(\.text).sorted() == ["10%", "12%", "28%", "30%", "5%"])
        // Heights grow with the value and all bars stand on the same baseline.
        let trained = bars.filter { $0.attributes["fill"] == Palette.color(0) }
        let heights = try trained.map { try #require($0.number("height")) }
        #expect(heights.count == 2 && heights[0] < heights[1])
        let baselines = try bars.map { try #require($0.number("y")) + (try #require($0.number("height"))) }
        #expect(Set(baselines.map { ($0 * 10).rounded() }).count == 1)
        let y = Self.ticks(tree, axis: "y").map(\.label)
        #expect(y.first == "0%" && y.allSatisfy { $0.hasSuffix("%") })
    }

    @Test func horizontalAndNegativeBars() throws {
        let tree = try Self.checkedTree(Charts.bars(SampleCharts.horizontalBars))
        let bars = tree.elements("rect", cls: "bar")
        #expect(bars.count == 4)
        let widths = try bars.map { try #require($0.number("width")) }
        #expect(widths == widths.sorted(by: >))
        #expect(tree.elements("text", cls: "bar-value").map(\.text) == ["12,345", "8,000", "950", "40"])
        let x = Self.ticks(tree, axis: "x")
        #expect(zip(x.dropFirst(), x).allSatisfy { $0.position > $1.position })

        let negative = BarChart(title: "Change", xLabel: "topic", yLabel: "change", categories: ["a", "b"],
                                series: [.init(name: "Δ", values: [-0.4, 0.6])])
        let vertical = try Self.checkedTree(Charts.bars(negative))
        let rects = vertical.elements("rect", cls: "bar")
        let zero = try #require(vertical.elements("line", cls: "zero").first?.number("y1"))
        #expect(abs(try #require(rects.first?.number("y")) - zero) < 0.01, "the negative bar hangs from zero")
        #expect(try #require(Self.ticks(vertical, axis: "y").first?.label).hasPrefix("-"))
    }

    // MARK: Histogram

    @Test func histogramCountsEveryFiniteValue() throws {
        let chart = SampleCharts.histogram
        let binned = try #require(chart.binned())
        #expect(binned.counts.count == 25)
        #expect(binned.counts.reduce(0, +) == 500)
        let tree = try Self.checkedTree(Charts.histogram(chart))
        let rects = tree.elements("rect", cls: "bin")
        #expect(rects.count == binned.counts.filter { $0 > 0 }.count)
        // Heights proportional to the counts.
        let nonEmpty = binned.counts.filter { $0 > 0 }
        let ratios = try zip(rects, nonEmpty).map { try #require($0.number("height")) / Double($1) }
        let ratio = try #require(ratios.first)
        #expect(ratios.allSatisfy { abs($0 - ratio) < 0.02 })
        #expect(tree.elements("line", cls: "marker").count == 2)
        #expect(Set(tree.elements("text", cls: "marker-label").map(\.text)) == ["threshold 0.6", "median"])

        var ranged = chart
        ranged.range = 0.2...0.8
        ranged.values = [0.1, 0.2, 0.5, 0.8, 0.9, .nan]
        ranged.bins = 3
        let cut = try #require(ranged.binned())
        #expect(cut.counts == [1, 1, 1] && cut.outside == 2)
        #expect(Histogram(title: "one", xLabel: "x", values: [3, 3, 3]).binned()?.counts.reduce(0, +) == 3)
        // A narrow range still gets labelled ends.
        let narrow = try Self.checkedTree(Charts.histogram(Histogram(title: "n", xLabel: "x", values: [0.3101, 0.3102, 0.3104])))
        #expect(Self.ticks(narrow, axis: "x").count >= 2)
    }

    // MARK: Escaping and invalid data

    @Test func textIsEscapedAndRoundTrips() throws {
        let nasty = "a<b & \"c\" 'd'>"
        var bars = SampleCharts.bars
        bars.title = nasty
        bars.categories[0] = nasty
        bars.series[0].name = nasty
        var heatmap = SampleCharts.heatmap
        heatmap.title = nasty
        heatmap.rows[0] = nasty
        for svg in [Charts.bars(bars), Charts.heatmap(heatmap),
                    Charts.line(LineChart(title: nasty, xLabel: nasty, yLabel: nasty, series: [])),
                    Charts.histogram(Histogram(title: nasty, xLabel: nasty, values: [1, 2], markers: [(nasty, 1.5)]))] {
            let tree = try Self.checkedTree(svg)
            #expect(tree.elements("title").first?.text == nasty)
            #expect(tree.nodes.contains { $0.name == "text" && $0.text == nasty })
            #expect(!svg.contains("a<b"))
        }
        #expect(SVGCanvas.escape("x\u{0}y\u{1b}z\tw") == "xyz\tw", "control characters XML cannot hold are dropped")
    }

    @Test func invalidOrEmptyDataRendersNoDataPlaceholders() throws {
        let nan = Double.nan, inf = Double.infinity
        let empty: [String] = [
            Charts.line(LineChart(title: "L", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(nan, 1), (1, nil), (2, inf)])])),
            Charts.line(LineChart(title: "L", xLabel: "x", yLabel: "y", series: [])),
            Charts.heatmap(Heatmap(title: "H", rowLabel: "r", columnLabel: "c", rows: ["a"], columns: ["b"], values: [[nan]], legendLabel: "v")),
            Charts.heatmap(Heatmap(title: "H", rowLabel: "r", columnLabel: "c", rows: [], columns: [], values: [], legendLabel: "v")),
            Charts.scatter(ScatterMap(title: "S", points: [(nan, 1, 0), (1, -inf, 0)], groupNames: ["g"])),
            Charts.logLog(LogLogPlot(title: "LL", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(0, 1), (-1, 2), (1, 0), (nan, 1)])])),
            Charts.bars(BarChart(title: "B", xLabel: "x", yLabel: "y", categories: ["a"], series: [.init(name: "s", values: [nan])])),
            Charts.bars(BarChart(title: "B", xLabel: "x", yLabel: "y", categories: [], series: [])),
            Charts.histogram(Histogram(title: "Hi", xLabel: "x", values: [nan, inf, -inf])),
            Charts.histogram(Histogram(title: "Hi", xLabel: "x", values: [1, 2], range: 5...6)),
        ]
        for svg in empty {
            let tree = try Self.checkedTree(svg)
            #expect(tree.elements("text", cls: "no-data").first?.text == "no data")
            #expect(tree.elements("text", cls: "title").count == 1)
        }
        // Partly invalid data draws the valid part.
        let mixed = [
            Charts.line(LineChart(title: "L", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(0, 1), (1, nan), (2, inf), (3, 2), (4, 3)])])),
            Charts.bars(BarChart(title: "B", xLabel: "x", yLabel: "y", categories: ["a", "b"], series: [.init(name: "s", values: [inf, 2], low: [nan, 1], high: [1, inf])])),
            Charts.heatmap(Heatmap(title: "H", rowLabel: "r", columnLabel: "c", rows: ["a", "b"], columns: ["x"], values: [[1], [inf]], legendLabel: "v")),
            Charts.histogram(Histogram(title: "Hi", xLabel: "x", values: [1, 1, 1], bins: 0, markers: [("m", nan)])),
            Charts.logLog(LogLogPlot(title: "LL", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(5, 5)])],
                                     lines: [.init(name: "bad", from: (0, 1), to: (10, 1))])),
        ]
        for svg in mixed {
            let tree = try Self.checkedTree(svg)
            #expect(tree.elements("text", cls: "no-data").isEmpty)
        }
        #expect(SVGCanvas.number(.nan) == "0" && SVGCanvas.number(-.infinity) == "0")
        #expect(SVGCanvas.number(1.005) == "1.01" || SVGCanvas.number(1.005) == "1")
        #expect(SVGCanvas.number(-0.001) == "0" && SVGCanvas.number(12.5) == "12.5" && SVGCanvas.number(3) == "3")
    }

    @Test func extremeValuesStayFiniteAndDoNotTrap() throws {
        let huge = 1e300, tiny = 1e-300
        let svgs = [
            Charts.line(LineChart(title: "L", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(-huge, huge), (huge, -huge), (0, tiny)])])),
            Charts.line(LineChart(title: "L", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(-1e308, 1), (1e308, 2)])], xAxis: .time)),
            Charts.line(LineChart(title: "L", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(5, 7), (5, 7)])], yStartsAtZero: false)),
            Charts.bars(BarChart(title: "B", xLabel: "x", yLabel: "y", categories: ["a", "b"], series: [.init(name: "s", values: [1e308, -1e308])])),
            Charts.histogram(Histogram(title: "H", xLabel: "x", values: [-1e308, 1e308, 0])),
            Charts.logLog(LogLogPlot(title: "LL", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(tiny, huge), (huge, tiny)])])),
            Charts.heatmap(Heatmap(title: "H", rowLabel: "r", columnLabel: "c", rows: ["a"], columns: ["b", "c"], values: [[-1e308, 1e308]], legendLabel: "v")),
            Charts.scatter(ScatterMap(title: "S", points: [(-1e308, 1e308, 0), (1e308, -1e308, 5)], groupNames: ["g"])),
        ]
        for svg in svgs { try Self.checkedTree(svg) }
    }

    // MARK: Numbers

    @Test func valueFormats() {
        #expect(ValueFormat.number.string(1234) == "1,234")
        #expect(ValueFormat.number.string(0.57) == "0.57")
        #expect(ValueFormat.number.string(0.000012) == "1.2e-5")
        #expect(ValueFormat.number.string(12.345) == "12.3")
        #expect(ValueFormat.number.string(-1_234_567) == "-1,234,567")
        #expect(ValueFormat.percent.string(0.23) == "23%")
        #expect(ValueFormat.percent.string(0.025) == "2.5%")
        #expect(ValueFormat.percent.string(0.0012) == "0.12%")
        #expect(ValueFormat.percent.string(0.99999) == "100%")
        #expect(ValueFormat.integer.string(12_345.4) == "12,345")
        #expect(ValueFormat.integer.string(nil) == "—" && ValueFormat.number.string(.nan) == "—")
        #expect(ValueFormat.integer.string(-0.2) == "0")
    }

    @Test func niceTicksAndTheirLabels() {
        let shares = NiceTicks(min: 0, max: 0.83, target: 5)
        #expect(abs(shares.step - 0.2) < 1e-12 && shares.upper >= 0.83 && shares.lower == 0)
        #expect(ValueFormat.percent.tickLabels(shares.values, step: shares.step) == ["0%", "20%", "40%", "60%", "80%", "100%"])
        let counts = NiceTicks(min: 0, max: 3, target: 6, minStep: 1)
        #expect(counts.values == [0, 1, 2, 3])
        let halves = NiceTicks(min: 0, max: 2.3, target: 5)
        #expect(ValueFormat.number.tickLabels(halves.values, step: halves.step) == ["0", "0.5", "1", "1.5", "2", "2.5"])
        let big = NiceTicks(min: 0, max: 4_300_000, target: 5)
        #expect(ValueFormat.number.tickLabels(big.values, step: big.step) == ["0", "1M", "2M", "3M", "4M", "5M"])
        let tiny = NiceTicks(min: 0, max: 0.000043, target: 5)
        #expect(ValueFormat.number.tickLabels(tiny.values, step: tiny.step) == ["0", "1e-5", "2e-5", "3e-5", "4e-5", "5e-5"])
        let thousands = NiceTicks(min: 0, max: 12_345, target: 5)
        #expect(ValueFormat.number.tickLabels(thousands.values, step: thousands.step).last == "14,000")
        for (low, high) in [(0.0, 0.0), (5.0, 5.0), (-3.0, -3.0), (-7.0, 13.0), (1e-9, 3e-9), (0.1, 1e6)] {
            let ticks = NiceTicks(min: low, max: high, target: 6)
            #expect(ticks.lower <= low && ticks.upper >= high && ticks.upper > ticks.lower, "\(low)...\(high)")
            #expect(ticks.values.count >= 2 && ticks.values.count <= 13)
            #expect(Self.isNiceStep(ticks.step))
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
