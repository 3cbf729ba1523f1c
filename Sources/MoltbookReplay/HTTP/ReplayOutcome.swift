/// What the server does with one request: answer it, possibly late, possibly cut short.
struct ReplayOutcome: Sendable {
    enum Delivery: Sendable {
        case whole
        /// Headers with the full Content-Length, half the body, then close (a truncated transfer).
        case truncated
        /// Close the connection without a word.
        case drop
    }

    var response: ReplayResponse
    var delivery: Delivery = .whole
    var delayMilliseconds = 0
}
