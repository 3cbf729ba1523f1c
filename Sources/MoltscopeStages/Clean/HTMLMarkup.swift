/// What the cleaner knows of HTML: which tags to recognise (only real HTML tags, so that text like
/// `<thinking>` or `<your name here>` stays), which of them break lines, whose contents are dropped,
/// and the character references it decodes.
enum HTMLMarkup {
    /// Tags that end a line of text (block elements and `<br>`).
    static let blockTags: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "head", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "tfoot", "thead", "tr", "ul",
    ]

    /// Tags that are removed without a line break (`<td>`/`<th>` become a space).
    static let inlineTags: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "col", "colgroup", "data", "del", "dfn", "em",
        "font", "i", "img", "input", "ins", "kbd", "label", "link", "mark", "meta", "q", "s", "samp", "small",
        "source", "span", "strike", "strong", "sub", "sup", "td", "th", "time", "tt", "u", "var", "wbr",
        "audio", "video", "picture", "button", "select", "option", "textarea", "iframe", "svg", "path", "g",
        "noscript", "title", "base",
    ]

    /// Elements whose contents are not text.
    static let droppedContent: Set<String> = ["script", "style", "template"]

    static func isKnown(_ name: String) -> Bool {
        blockTags.contains(name) || inlineTags.contains(name) || droppedContent.contains(name)
    }

    /// Named character references decoded (the common ones; others stay as written).
    static let namedEntities: [String: [Unicode.Scalar]] = {
        let table: [(String, UInt32)] = [
            ("amp", 0x26), ("lt", 0x3C), ("gt", 0x3E), ("quot", 0x22), ("apos", 0x27), ("nbsp", 0xA0),
            ("AMP", 0x26), ("LT", 0x3C), ("GT", 0x3E), ("QUOT", 0x22),
            ("copy", 0xA9), ("reg", 0xAE), ("trade", 0x2122), ("hellip", 0x2026), ("mdash", 0x2014),
            ("ndash", 0x2013), ("lsquo", 0x2018), ("rsquo", 0x2019), ("sbquo", 0x201A), ("ldquo", 0x201C),
            ("rdquo", 0x201D), ("bdquo", 0x201E), ("laquo", 0xAB), ("raquo", 0xBB), ("lsaquo", 0x2039),
            ("rsaquo", 0x203A), ("euro", 0x20AC), ("pound", 0xA3), ("yen", 0xA5), ("cent", 0xA2),
            ("curren", 0xA4), ("deg", 0xB0), ("plusmn", 0xB1), ("times", 0xD7), ("divide", 0xF7),
            ("middot", 0xB7), ("bull", 0x2022), ("para", 0xB6), ("sect", 0xA7), ("shy", 0xAD), ("iexcl", 0xA1),
            ("iquest", 0xBF), ("ordf", 0xAA), ("ordm", 0xBA), ("sup1", 0xB9), ("sup2", 0xB2), ("sup3", 0xB3),
            ("frac12", 0xBD), ("frac14", 0xBC), ("frac34", 0xBE), ("micro", 0xB5), ("acute", 0xB4),
            ("uml", 0xA8), ("macr", 0xAF), ("cedil", 0xB8), ("not", 0xAC), ("brvbar", 0xA6),
            ("ensp", 0x2002), ("emsp", 0x2003), ("thinsp", 0x2009), ("zwnj", 0x200C), ("zwj", 0x200D),
            ("lrm", 0x200E), ("rlm", 0x200F), ("dagger", 0x2020), ("Dagger", 0x2021), ("permil", 0x2030),
            ("prime", 0x2032), ("Prime", 0x2033), ("larr", 0x2190), ("uarr", 0x2191), ("rarr", 0x2192),
            ("darr", 0x2193), ("harr", 0x2194), ("lArr", 0x21D0), ("rArr", 0x21D2), ("hArr", 0x21D4),
            ("minus", 0x2212), ("le", 0x2264), ("ge", 0x2265), ("ne", 0x2260), ("asymp", 0x2248),
            ("infin", 0x221E), ("sum", 0x2211), ("prod", 0x220F), ("radic", 0x221A), ("part", 0x2202),
            ("isin", 0x2208), ("forall", 0x2200), ("exist", 0x2203), ("empty", 0x2205), ("and", 0x2227),
            ("or", 0x2228), ("cap", 0x2229), ("cup", 0x222A), ("int", 0x222B), ("there4", 0x2234),
            ("sim", 0x223C), ("equiv", 0x2261), ("sub", 0x2282), ("sup", 0x2283), ("loz", 0x25CA),
            ("spades", 0x2660), ("clubs", 0x2663), ("hearts", 0x2665), ("diams", 0x2666), ("check", 0x2713),
            ("star", 0x2606), ("starf", 0x2605), ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3),
            ("delta", 0x3B4), ("epsilon", 0x3B5), ("lambda", 0x3BB), ("mu", 0x3BC), ("pi", 0x3C0),
            ("sigma", 0x3C3), ("tau", 0x3C4), ("phi", 0x3C6), ("omega", 0x3C9), ("Delta", 0x394),
            ("Sigma", 0x3A3), ("Omega", 0x3A9), ("agrave", 0xE0), ("aacute", 0xE1), ("acirc", 0xE2),
            ("atilde", 0xE3), ("auml", 0xE4), ("aring", 0xE5), ("aelig", 0xE6), ("ccedil", 0xE7),
            ("egrave", 0xE8), ("eacute", 0xE9), ("ecirc", 0xEA), ("euml", 0xEB), ("igrave", 0xEC),
            ("iacute", 0xED), ("icirc", 0xEE), ("iuml", 0xEF), ("ntilde", 0xF1), ("ograve", 0xF2),
            ("oacute", 0xF3), ("ocirc", 0xF4), ("otilde", 0xF5), ("ouml", 0xF6), ("oslash", 0xF8),
            ("ugrave", 0xF9), ("uacute", 0xFA), ("ucirc", 0xFB), ("uuml", 0xFC), ("yacute", 0xFD),
            ("yuml", 0xFF), ("szlig", 0xDF), ("Agrave", 0xC0), ("Aacute", 0xC1), ("Acirc", 0xC2),
            ("Atilde", 0xC3), ("Auml", 0xC4), ("Aring", 0xC5), ("AElig", 0xC6), ("Ccedil", 0xC7),
            ("Egrave", 0xC8), ("Eacute", 0xC9), ("Ecirc", 0xCA), ("Euml", 0xCB), ("Iacute", 0xCD),
            ("Ntilde", 0xD1), ("Oacute", 0xD3), ("Ocirc", 0xD4), ("Otilde", 0xD5), ("Ouml", 0xD6),
            ("Oslash", 0xD8), ("Uacute", 0xDA), ("Uuml", 0xDC), ("oelig", 0x153), ("OElig", 0x152),
            ("scaron", 0x161), ("Scaron", 0x160),
        ]
        var map: [String: [Unicode.Scalar]] = [:]
        for (name, value) in table { map[name] = [Unicode.Scalar(value)!] }
        return map
    }()

    /// A numeric character reference's scalar, as HTML reads it: NUL, surrogates and values beyond
    /// Unicode become U+FFFD, and 0x80-0x9F are read as Windows-1252 (what such pages meant).
    static func numericReference(_ value: UInt32) -> Unicode.Scalar {
        if (0x80...0x9F).contains(value) {
            let windows1252: [UInt32: UInt32] = [
                0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
                0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
                0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
                0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
            ]
            return Unicode.Scalar(windows1252[value] ?? 0xFFFD)!
        }
        if value == 0 { return "\u{FFFD}" }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }
}
