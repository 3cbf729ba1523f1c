/// Estimated text widths, since an SVG written on a server cannot measure its fonts: margins and label
/// rotation are decided from these, so they err on the wide side.
enum TextMetrics {
    static func width(_ text: String, size: Double) -> Double {
        var units = 0.0
        for character in text {
            // Em fractions of DejaVu Sans, the widest of the usual system-ui fonts.
            if character.isNumber { units += 0.64 }
            else if ".,:;'|!il".contains(character) { units += 0.32 }
            else if "mwMW%".contains(character) { units += 0.92 }
            else if character.isUppercase { units += 0.72 }
            else if character == " " { units += 0.32 }
            else { units += 0.6 }
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
