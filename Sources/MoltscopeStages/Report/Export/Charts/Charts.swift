/// The report's charts: each call returns one self-contained `<svg>` (no scripts, fonts or external
/// resources) that scales to the page width, or a small "no data" SVG when nothing valid is left.
enum Charts {
    static func line(_ chart: LineChart) -> String { chart.render() }
    static func heatmap(_ chart: Heatmap) -> String { chart.render() }
    static func scatter(_ chart: ScatterMap) -> String { chart.render() }
    static func logLog(_ chart: LogLogPlot) -> String { chart.render() }
    static func bars(_ chart: BarChart) -> String { chart.render() }
    static func histogram(_ chart: Histogram) -> String { chart.render() }
}
