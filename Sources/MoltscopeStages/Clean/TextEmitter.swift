import Foundation

/// The last step of cleaning: receives the scalars that survive markup reduction and writes the
/// final UTF-8 text. It drops removed characters, collapses every run of horizontal whitespace to
/// one space and every run containing a line break to one newline, trims both ends, keeps a
/// zero-width joiner only between two emoji (so 👩‍💻 stays one emoji), and applies NFC at the end
/// when any scalar could compose (all scalars below U+0300 are already in NFC).
struct TextEmitter {
    private var bytes: [UInt8] = []
    private var pendingSpace = false
    private var pendingBreak = false
    private var pendingJoiner = false
    private var lastWasEmoji = false
    private var needsNFC = false

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func put(_ scalar: Unicode.Scalar) {
        let v = scalar.value
        if v == 0x0A {
            lineBreak()
            return
        }
        if ScalarClasses.isSpace(v) {
            if !bytes.isEmpty { pendingSpace = true }
            pendingJoiner = false
            lastWasEmoji = false
            return
        }
        if v == 0x200D {
            pendingJoiner = lastWasEmoji
            return
        }
        if ScalarClasses.isRemoved(v) { return }
        if !bytes.isEmpty {
            if pendingBreak {
                bytes.append(0x0A)
            } else if pendingSpace {
                bytes.append(0x20)
            }
        }
        pendingBreak = false
        pendingSpace = false
        let emoji = v >= 0x2000 && ScalarClasses.isEmojiPart(scalar)
        if pendingJoiner && emoji { bytes.append(contentsOf: [0xE2, 0x80, 0x8D]) }
        pendingJoiner = false
        lastWasEmoji = emoji
        if v < 0x80 {
            bytes.append(UInt8(v))
        } else {
            if v >= 0x300 { needsNFC = true }
            bytes.append(contentsOf: scalar.utf8)
        }
    }

    mutating func put<S: Sequence>(contentsOf scalars: S) where S.Element == Unicode.Scalar {
        for scalar in scalars { put(scalar) }
    }

    mutating func lineBreak() {
        if !bytes.isEmpty { pendingBreak = true }
        pendingJoiner = false
        lastWasEmoji = false
    }

    func finish() -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return needsNFC ? text.precomposedStringWithCanonicalMapping : text
    }
}
