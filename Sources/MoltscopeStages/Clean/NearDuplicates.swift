/// Near-duplicate detection over compact MinHash signatures with LSH banding.
///
/// The signature's positions are cut into `bands` bands of `rows` positions; two documents become
/// a candidate pair when they agree on every position of some band (at the defaults, 16 bands of
/// 8 one-byte rows, a pair with Jaccard 0.8 is a candidate with probability 0.95, one with 0.5 with
/// probability 0.06). Each candidate pair is verified on the whole signature and joined in the
/// union-find when its estimated Jaccard reaches the threshold, so groups are the connected
/// components of verified pairs (single linkage).
///
/// Bands are bucketed by sorting (band key, row) pairs, one band at a time: 16 bytes per document
/// transiently, on top of the signatures themselves. Pairs already in one set are not compared
/// again. A bucket of more than 1,000 documents (only templated floods make those) compares each
/// member with at most 256 exemplars instead of with every other member.
struct NearDuplicateFinder: Sendable {
    struct Stats: Sendable, Equatable {
        var comparedPairs = 0
        var similarPairs = 0
        var largestBucket = 0
    }

    static let fullComparisonLimit = 1_000
    static let exemplarLimit = 256

    let permutations: Int
    let bands: Int
    let threshold: Double

    var rows: Int { permutations / bands }

    /// `signatures` holds `permutations` bytes per row; row i stands for set element `members[i]`.
    func link(signatures: [UInt8], members: [Int32], into sets: inout UnionFind) -> Stats {
        precondition(signatures.count == members.count * permutations)
        var stats = Stats()
        guard members.count >= 2 else { return stats }
        let k = permutations
        let r = rows
        let allowedMismatches = k - MinHasher.requiredMatches(threshold: threshold, of: k)
        signatures.withUnsafeBufferPointer { sig in
            func similar(_ x: Int, _ y: Int) -> Bool {
                var mismatches = 0
                let a = x * k, b = y * k
                for p in 0..<k where sig[a + p] != sig[b + p] {
                    mismatches += 1
                    if mismatches > allowedMismatches { return false }
                }
                return true
            }
            func compare(_ x: Int, _ y: Int) -> Bool {
                stats.comparedPairs += 1
                guard similar(x, y) else { return false }
                stats.similarPairs += 1
                sets.union(members[x], members[y])
                return true
            }

            var keys: [(key: UInt64, row: Int32)] = []
            keys.reserveCapacity(members.count)
            for band in 0..<bands {
                keys.removeAll(keepingCapacity: true)
                for row in 0..<members.count {
                    keys.append((Self.bandKey(sig, base: row * k + band * r, rows: r), Int32(row)))
                }
                keys.sort { $0.key != $1.key ? $0.key < $1.key : $0.row < $1.row }
                var start = 0
                while start < keys.count {
                    var end = start + 1
                    while end < keys.count, keys[end].key == keys[start].key { end += 1 }
                    let size = end - start
                    if size >= 2 {
                        stats.largestBucket = max(stats.largestBucket, size)
                        if size <= Self.fullComparisonLimit {
                            for x in (start + 1)..<end {
                                for y in start..<x {
                                    let a = Int(keys[x].row), b = Int(keys[y].row)
                                    if sets.find(members[a]) == sets.find(members[b]) { continue }
                                    _ = compare(a, b)
                                }
                            }
                        } else {
                            var exemplars: [Int] = []
                            for x in start..<end {
                                let a = Int(keys[x].row)
                                var joined = false
                                for b in exemplars {
                                    if sets.find(members[a]) == sets.find(members[b]) {
                                        joined = true
                                        continue
                                    }
                                    if compare(a, b) { joined = true }
                                }
                                if !joined, exemplars.count < Self.exemplarLimit { exemplars.append(a) }
                            }
                        }
                    }
                    start = end
                }
            }
        }
        return stats
    }

    /// A band's positions as one key: packed when they fit in 64 bits, hashed otherwise.
    @inline(__always)
    static func bandKey(_ sig: UnsafeBufferPointer<UInt8>, base: Int, rows: Int) -> UInt64 {
        if rows <= 8 {
            var key: UInt64 = 0
            for j in 0..<rows { key = key << 8 | UInt64(sig[base + j]) }
            return key
        }
        var h = Shingler.fnvOffset
        for j in 0..<rows { h = (h ^ UInt64(sig[base + j])) &* 0x100_0000_01B3 }
        return Shingler.mix(h)
    }
}
