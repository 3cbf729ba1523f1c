import Foundation
import Synchronization
import MoltscopeNumerics
import Testing

struct HashedWordVectorsTests {
    /// Few buckets for many words with counts 1 to 5 (weights 1 + log(count)): each bucket's sum
    /// rounds differently in another order. A dictionary's order follows its storage (Swift seeds
    /// each table with its address), which differs between threads; the text's order does not.
    @Test func theSameTextAlwaysGetsTheSameBits() {
        let text = (0..<200).flatMap { Array(repeating: "word\($0)", count: 1 + $0 % 5) }.joined(separator: " ")
        let first = HashedWordVectors.embed(text, dimensions: 16).map(\.bitPattern)
        let differing = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            if HashedWordVectors.embed(text, dimensions: 16).map(\.bitPattern) != first { differing.withLock { $0 += 1 } }
        }
        #expect(differing.withLock { $0 } == 0)
    }
}
