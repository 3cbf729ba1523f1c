import Foundation

/// What a fake server does next: the scripted modes in order, then its default mode. Shared by
/// the fake embedding and chat servers; thread-safe (requests arrive on server threads).
final class ModeScript<Mode: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var plan: [Mode] = []
    private var fallback: Mode

    init(fallback: Mode) { self.fallback = fallback }

    /// Answers the next requests with these modes, in order, then with `defaultMode`.
    func script(_ modes: [Mode]) { lock.withLock { plan = modes } }

    var defaultMode: Mode {
        get { lock.withLock { fallback } }
        set { lock.withLock { fallback = newValue } }
    }

    func next() -> Mode { lock.withLock { plan.isEmpty ? fallback : plan.removeFirst() } }
}
