import Dispatch
import Foundation

/// How the server commands (`replay`, `fake-embedder`) run until interrupted: suspend until
/// SIGINT or SIGTERM arrives (handled here instead of ending the process, so the server can
/// close its sockets).
enum TerminationSignal {
    static func wait() async {
        let box = SignalSources()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            box.install(for: [SIGINT, SIGTERM]) { continuation.resume() }
        }
        box.cancel()
    }
}

/// Dispatch signal sources that call back once, whichever signal comes first.
private final class SignalSources: @unchecked Sendable {
    private let queue = DispatchQueue(label: "moltscope.replay.signals")
    private var sources: [DispatchSourceSignal] = []
    private var fired = false

    func install(for signals: [Int32], _ onSignal: @escaping @Sendable () -> Void) {
        queue.sync {
            for number in signals {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [self] in
                    guard !fired else { return }
                    fired = true
                    onSignal()
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    func cancel() {
        queue.sync {
            for source in sources { source.cancel() }
            sources.removeAll()
        }
    }
}
