import MoltscopeCore

/// SHA-256 of a text's UTF-8 bytes: the `content_hash` column (hex) and the key of exact-duplicate
/// grouping (its first 128 bits). The same digest as `Fingerprint.of(data:)` in MoltscopeCore
/// (a test checks); both use `SHA256.digest`, written over raw buffers for exactly this.
struct ContentHash: Hashable, Sendable {
    /// The first 128 bits of the digest, enough to group identical texts (a collision among a
    /// billion texts has probability below 10^-20).
    let high: UInt64
    let low: UInt64
    let hex: String

    init(_ text: String) {
        var text = text
        let digest = text.withUTF8 { SHA256.digest($0) }
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(digest[i]) }
        for i in 8..<16 { low = low << 8 | UInt64(digest[i]) }
        self.high = high
        self.low = low
        hex = SHA256.hex(digest)
    }

    static func == (a: ContentHash, b: ContentHash) -> Bool { a.high == b.high && a.low == b.low }
    func hash(into hasher: inout Hasher) {
        hasher.combine(high)
        hasher.combine(low)
    }
}
