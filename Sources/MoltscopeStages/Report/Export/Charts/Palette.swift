import Foundation

/// Colours: Okabe-Ito for categories (safe for the common colour-vision deficiencies; four extras for
/// maps with many groups) and viridis, perceptually uniform and monotonic in lightness, for heatmaps.
enum Palette {
    /// Okabe-Ito with yellow last (weak on white) and black kept; then Tableau's brown, pink, teal and light green.
    static let categorical = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442",
                              "#9C755F", "#FF9DA7", "#76B7B2", "#8CD17D"]
    static let ungrouped = "#c4c4c4"
    static let other = "#8a8a8a"
    static let empty = "#ececec"
    /// Dashed reference lines and error bars.
    static let reference = "#444444"

    static func color(_ index: Int) -> String { categorical[((index % categorical.count) + categorical.count) % categorical.count] }

    struct RGB: Sendable, Equatable {
        var r: Double, g: Double, b: Double   // 0...1

        var hex: String {
            func byte(_ c: Double) -> String { String(format: "%02x", Int((min(max(c, 0), 1) * 255).rounded())) }
            return "#" + byte(r) + byte(g) + byte(b)
        }

        /// WCAG relative luminance (linear-light), which decides black or white text on a cell.
        var luminance: Double {
            func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
            return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
        }

        /// The text colour with the higher contrast on this background.
        var textColor: String { luminance > 0.179 ? "#000000" : "#ffffff" }

        init(r: Double, g: Double, b: Double) { self.r = r; self.g = g; self.b = b }

        init?(hex: String) {
            let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
            guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
            self.init(r: Double(value >> 16 & 0xff) / 255, g: Double(value >> 8 & 0xff) / 255, b: Double(value & 0xff) / 255)
        }
    }

    /// matplotlib's viridis sampled at 9 even stops; interpolating between them stays within a shade of the original.
    static let viridisStops = ["#440154", "#472c7a", "#3b518b", "#2c718e", "#21908d", "#27ad81", "#5cc863", "#aadc32", "#fde725"]
        .compactMap { RGB(hex: $0) }

    /// Viridis at `t` in 0...1 (dark purple to yellow); out-of-range and non-finite values are clamped.
    static func viridis(_ t: Double) -> RGB {
        let clamped = t.isFinite ? min(max(t, 0), 1) : 0
        let position = clamped * Double(viridisStops.count - 1)
        let index = min(Int(position), viridisStops.count - 2)
        let f = position - Double(index)
        let a = viridisStops[index], b = viridisStops[index + 1]
        return RGB(r: a.r + (b.r - a.r) * f, g: a.g + (b.g - a.g) * f, b: a.b + (b.b - a.b) * f)
    }
}
