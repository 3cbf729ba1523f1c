/// Estimated text widths, since an SVG written on a server cannot measure its fonts: margins and label
/// rotation are decided from these, so they err on the wide side.
enum TextMetrics {
    static func width(_ text: String, size: Double) -> Double {
        var units = 0.0
        for character in text {
            if character.isNumber || character == "." || character == "," { units += 0.56 }
            else if "il|':;!".contains(character) { units += 0.3 }
            else if character.isUppercase || "mwMW%".contains(character) { units += 0.72 }
            else if character == " " { units += 0.3 }
            else { units += 0.58 }
        }
        return units * size
    }

    /// Shortens to `maxWidth` with an ellipsis; the caller keeps the full text as a tooltip.
    static func truncate(_ text: String, maxWidth: Double, size: Double) -> String {
        guard width(text, size: size) > maxWidth else { return text }
        var kept = ""
        for character in text {
            if width(kept + String(character) + "…", size: size) > maxWidth { break }
            kept.append(character)
        }
        return kept.trimmingTrailingSpaces() + "…"
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
