import Foundation

/// Collects the markup of one chart. Every number goes through `number` and every text through `escape`,
/// so no attribute can carry "nan", "inf" or 17-digit noise and no label can break the XML.
struct SVGCanvas {
    /// One attribute, already formatted.
    struct Attribute {
        let name: String
        let value: String

        /// A coordinate or size: finite, rounded to 2 decimals.
        static func n(_ name: String, _ value: Double) -> Attribute { Attribute(name: name, value: SVGCanvas.number(value)) }
        /// Any other value (colours, classes, anchors), escaped.
        static func s(_ name: String, _ value: String) -> Attribute { Attribute(name: name, value: SVGCanvas.escape(value)) }
    }

    let width: Double
    let height: Double
    private(set) var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Appends `<name attrs/>`, or with text content and/or a `<title>` child (a browser tooltip).
    mutating func element(_ name: String, _ attributes: [Attribute], text: String? = nil, tooltip: String? = nil) {
        body += "<" + name
        for attribute in attributes { body += " \(attribute.name)=\"\(attribute.value)\"" }
        if text == nil && tooltip == nil {
            body += "/>"
            return
        }
        body += ">"
        if let tooltip { body += "<title>\(Self.escape(tooltip))</title>" }
        if let text { body += Self.escape(text) }
        body += "</\(name)>"
    }

    /// A text label; `rotate` turns it (degrees) around its anchor point.
    mutating func text(_ string: String, x: Double, y: Double, size: Double = 11, anchor: String = "middle",
                       weight: String? = nil, fill: String = "#333", rotate: Double? = nil, cls: String? = nil,
                       tooltip: String? = nil) {
        var attributes: [Attribute] = [.n("x", x), .n("y", y), .n("font-size", size), .s("text-anchor", anchor), .s("fill", fill)]
        if let weight { attributes.append(.s("font-weight", weight)) }
        if let rotate { attributes.append(.s("transform", "rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))")) }
        if let cls { attributes.append(.s("class", cls)) }
        element("text", attributes, text: string, tooltip: tooltip)
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil, cls: String? = nil, tooltip: String? = nil) {
        var attributes: [Attribute] = [.n("x1", x1), .n("y1", y1), .n("x2", x2), .n("y2", y2), .s("stroke", stroke),
                                       .n("stroke-width", width)]
        if let dash { attributes.append(.s("stroke-dasharray", dash)) }
        if let cls { attributes.append(.s("class", cls)) }
        element("line", attributes, tooltip: tooltip)
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, cls: String? = nil,
                       extra: [Attribute] = [], tooltip: String? = nil) {
        var attributes: [Attribute] = [.n("x", x), .n("y", y), .n("width", max(0, width)), .n("height", max(0, height)),
                                       .s("fill", fill)]
        if let cls { attributes.append(.s("class", cls)) }
        element("rect", attributes + extra, tooltip: tooltip)
    }

    /// Raw markup from this canvas's own helpers (group open/close tags).
    mutating func raw(_ markup: String) { body += markup }

    /// The whole `<svg>`: responsive (viewBox, width 100%), accessible (role, title, desc), system font.
    func render(title: String, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\""
            + " width=\"100%\" role=\"img\" class=\"chart\""
            + " style=\"font-family: system-ui, sans-serif; height: auto; max-width: 100%; background: #fff\">"
            + "<title>\(Self.escape(title))</title><desc>\(Self.escape(description))</desc>"
            + body + "</svg>"
    }

    /// The chart that has nothing to draw: its title and "no data", so the report still says what is missing.
    static func placeholder(title: String, message: String = "no data") -> String {
        var canvas = SVGCanvas(width: ChartStyle.width, height: 110)
        canvas.rect(x: 0.5, y: 0.5, width: ChartStyle.width - 1, height: 109, fill: "#fafafa", cls: "frame",
                    extra: [.s("stroke", "#ddd")])
        canvas.text(title, x: ChartStyle.width / 2, y: 40, size: ChartStyle.titleSize, weight: "600", fill: "#222", cls: "title")
        canvas.text(message, x: ChartStyle.width / 2, y: 74, size: 13, fill: "#888", cls: "no-data")
        return canvas.render(title: title, description: "\(title): \(message).")
    }

    /// A finite number with at most 2 decimals and no trailing zeros; non-finite becomes 0 (callers drop such data earlier).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (min(max(value, -1e9), 1e9) * 100).rounded() / 100
        if rounded == 0 { return "0" }
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return NumberText.trimmed(String(format: "%.2f", rounded))
    }

    /// XML-escapes text and attribute values; drops characters XML 1.0 cannot hold (control characters from posts).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
