import Foundation

/// One table cell; nil numbers show "—". Numeric columns are right-aligned.
enum HTMLCell: Sendable {
    case text(String)
    case number(Double?, ValueFormat)
    case integer(Int?)

    var isNumeric: Bool {
        if case .text = self { return false }
        return true
    }

    var string: String {
        switch self {
        case .text(let text): return text
        case .number(let value, let format): return format.string(value)
        case .integer(let value): return value.map { ValueFormat.integer.string(Double($0)) } ?? "—"
        }
    }
}

/// A self-contained HTML page: inline CSS, no scripts, no external resources, so the report opens offline
/// and can be mailed as one file. The markup is also well-formed XML (void elements closed, no named entities).
struct HTMLPage: Sendable {
    private struct Section: Sendable {
        var id: String
        var title: String
        var body: String
    }

    private let title: String
    private let subtitle: String?
    /// Content added before the first section.
    private var preamble = ""
    private var sections: [Section] = []

    init(title: String, subtitle: String? = nil) {
        self.title = title
        self.subtitle = subtitle
    }

    /// Starts a section (listed in the contents); `intro` is plain text, paragraphs separated by blank lines.
    mutating func section(id: String, title: String, intro: String? = nil) {
        var anchor = Self.anchor(id)
        var suffix = 2
        while sections.contains(where: { $0.id == anchor }) || anchor == "contents" {
            anchor = Self.anchor(id) + "-\(suffix)"
            suffix += 1
        }
        sections.append(Section(id: anchor, title: title, body: ""))
        if let intro { paragraphs(intro) }
    }

    /// Escaped plain text; blank lines start new paragraphs.
    mutating func paragraph(_ text: String) { paragraphs(text) }

    /// Trusted markup (charts).
    mutating func html(_ fragment: String) { append(fragment + "\n") }

    /// A chart with its caption (escaped).
    mutating func figure(_ svg: String, caption: String) {
        append("<figure>\(svg)<figcaption>\(Self.escape(caption))</figcaption></figure>\n")
    }

    /// A table of at most `maxRows` rows, with a "first N of M rows" note when cut.
    mutating func table(columns: [String], rows: [[HTMLCell]], caption: String? = nil, maxRows: Int = 200) {
        let shown = rows.prefix(max(0, maxRows))
        let width = max(columns.count, rows.map(\.count).max() ?? 0)
        // A column is numeric when its cells are: its header and cells are right-aligned.
        let numeric = (0..<width).map { column in
            let cells = rows.compactMap { column < $0.count ? $0[column] : nil }
            return !cells.isEmpty && cells.allSatisfy(\.isNumeric)
        }
        var out = "<div class=\"table-wrap\"><table>"
        if let caption { out += "<caption>\(Self.escape(caption))</caption>" }
        out += "<thead><tr>"
        for column in 0..<width {
            let name = column < columns.count ? columns[column] : ""
            out += numeric[column] ? "<th class=\"num\">" : "<th>"
            out += Self.escape(name) + "</th>"
        }
        out += "</tr></thead><tbody>"
        for row in shown {
            out += "<tr>"
            for column in 0..<width {
                let cell = column < row.count ? row[column] : .text("")
                out += (numeric[column] ? "<td class=\"num\">" : "<td>") + Self.escape(cell.string) + "</td>"
            }
            out += "</tr>"
        }
        out += "</tbody></table></div>\n"
        if shown.count < rows.count {
            out += "<p class=\"note\">First \(ValueFormat.integer.string(Double(shown.count))) of "
                + "\(ValueFormat.integer.string(Double(rows.count))) rows.</p>\n"
        }
        append(out)
    }

    /// A small definition list (provenance: run ids, settings, dates).
    mutating func keyValues(_ items: [(String, String)]) {
        var out = "<dl class=\"kv\">"
        for (key, value) in items { out += "<dt>\(Self.escape(key))</dt><dd>\(Self.escape(value))</dd>" }
        append(out + "</dl>\n")
    }

    /// The whole document: head with inline style, header, contents, sections in order.
    func render() -> String {
        var out = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        out += "<title>\(Self.escape(title))</title>\n<style>\n\(Self.style)</style>\n</head>\n<body>\n"
        out += "<header>\n<h1>\(Self.escape(title))</h1>\n"
        if let subtitle { out += "<p class=\"subtitle\">\(Self.escape(subtitle))</p>\n" }
        out += "</header>\n"
        if !sections.isEmpty {
            out += "<nav id=\"contents\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n"
            for section in sections {
                out += "<li><a href=\"#\(section.id)\">\(Self.escape(section.title))</a></li>\n"
            }
            out += "</ol>\n</nav>\n"
        }
        out += "<main>\n"
        if !preamble.isEmpty { out += "<div class=\"preamble\">\n\(preamble)</div>\n" }
        for section in sections {
            out += "<section id=\"\(section.id)\">\n<h2>\(Self.escape(section.title))</h2>\n\(section.body)</section>\n"
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    /// Escapes text for HTML content and attribute values (the same rules as the charts' SVG).
    static func escape(_ text: String) -> String { SVGCanvas.escape(text) }

    private mutating func append(_ markup: String) {
        if sections.isEmpty { preamble += markup } else { sections[sections.count - 1].body += markup }
    }

    private mutating func paragraphs(_ text: String) {
        let blocks = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        for block in blocks { append("<p>\(Self.escape(block))</p>\n") }
    }

    /// An id safe in a URL fragment and an attribute: letters, digits, "-" and "_"; others become "-".
    private static func anchor(_ id: String) -> String {
        let mapped = String(id.lowercased().unicodeScalars.map { scalar -> Character in
            let ok = (scalar.value < 128 && (CharacterSet.alphanumerics.contains(scalar))) || scalar == "-" || scalar == "_"
            return ok ? Character(scalar) : "-"
        })
        let trimmed = mapped.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "section" : (trimmed.first?.isLetter == true ? trimmed : "s-" + trimmed)
    }

    /// A quiet, readable design; nothing in it loads anything.
    static let style = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #fff; color: #222; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
           font-size: 16px; line-height: 1.55; }
    header, nav, main { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
    header { padding-top: 32px; padding-bottom: 8px; border-bottom: 1px solid #e3e3e3; }
    h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 6px; }
    .subtitle { color: #666; margin: 0 0 12px; }
    h2 { font-size: 1.35rem; margin: 48px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #eee; }
    nav { margin-top: 20px; }
    nav h2 { font-size: 1rem; margin: 0 0 4px; border: none; text-transform: uppercase; letter-spacing: 0.05em; color: #666; }
    nav ol { margin: 0; padding-left: 1.4em; columns: 2; column-gap: 40px; }
    nav li { break-inside: avoid; }
    a { color: #0b5fa5; text-decoration: none; }
    a:hover { text-decoration: underline; }
    p { max-width: 72ch; }
    section { scroll-margin-top: 12px; }
    figure { margin: 20px 0 28px; }
    figure svg { display: block; width: 100%; height: auto; }
    figcaption { color: #555; font-size: 0.9rem; margin-top: 6px; max-width: 90ch; }
    .table-wrap { overflow-x: auto; margin: 16px 0 6px; }
    table { border-collapse: collapse; font-size: 0.9rem; min-width: 50%; }
    caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 6px; }
    th, td { padding: 5px 12px; text-align: left; vertical-align: top; border-bottom: 1px solid #e6e6e6; }
    thead th { border-bottom: 2px solid #bbb; background: #fafafa; position: sticky; top: 0; }
    tbody tr:nth-child(even) { background: #f6f7f9; }
    .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .note { color: #777; font-size: 0.85rem; margin-top: 2px; }
    dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 20px; font-size: 0.9rem; margin: 12px 0; }
    dl.kv dt { color: #666; }
    dl.kv dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    main { padding-bottom: 64px; }
    @media print { nav { display: none; } figure, table { break-inside: avoid; } h2 { break-after: avoid; } }

    """
}
