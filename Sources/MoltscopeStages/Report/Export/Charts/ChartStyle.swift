/// Sizes shared by every chart, in viewBox units (the SVG scales to the page width, about 1.3x on a wide page).
enum ChartStyle {
    static let width = 800.0
    static let titleSize = 16.0
    static let tickSize = 11.0
    static let axisTitleSize = 12.0
    static let legendSize = 11.0
    static let gridColor = "#e6e6e6"
    static let axisColor = "#777"
    static let textColor = "#333"
    static let outerMargin = 14.0
    /// Baseline of the chart title.
    static let titleBaseline = 24.0
}
