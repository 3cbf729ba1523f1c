/// n-gram birth and death per bucket ("turnover never stops"): of the distinct n-grams used in
/// a bucket, the share used there for the first time in the whole period (born) and for the
/// last time (died). Fed documents in time order; memory is one entry per distinct n-gram of
/// the period (first and last use) plus one bucket's distinct set.
///
/// The first bucket's births and the last bucket's deaths are censored (everything is new at
/// the start and nothing is seen after the end): their rates are reported as nil.
struct NGramTurnover {
    struct Row: Sendable {
        var index: Int64
        var n: Int
        var distinct: Int
        var born: Int
        var died: Int
        var birthRate: Double?
        var deathRate: Double?
    }

    let buckets: [TimeBucket]
    let maxN: Int

    /// Per n: first and last use (micros) of each n-gram, by hash.
    private var uses: [[UInt64: (first: Int64, last: Int64)]]
    /// Per bucket width and n: the bucket being filled and its distinct n-grams so far.
    private var current: [[(index: Int64, seen: Set<UInt64>)]]
    /// Per bucket width and n: distinct counts of the buckets already closed.
    private var distinct: [[[Int64: Int]]]

    init(buckets: [TimeBucket], maxN: Int) {
        self.buckets = buckets
        self.maxN = maxN
        uses = Array(repeating: [:], count: maxN)
        current = Array(repeating: Array(repeating: (Int64.min, []), count: maxN), count: buckets.count)
        distinct = Array(repeating: Array(repeating: [:], count: maxN), count: buckets.count)
    }

    /// One document, in time order.
    mutating func add(_ tokens: PhraseTokens, time: Int64) {
        for n in 1...maxN where tokens.count >= n {
            var hashes: [UInt64] = []
            hashes.reserveCapacity(tokens.count - n + 1)
            for start in 0...(tokens.count - n) {
                let hash = n == 1 ? tokens.hashes[start] : tokens.ngram(start, n)
                hashes.append(hash)
                if let use = uses[n - 1][hash] {
                    uses[n - 1][hash] = (use.first, max(use.last, time))
                } else {
                    uses[n - 1][hash] = (time, time)
                }
            }
            for (k, bucket) in buckets.enumerated() {
                let b = bucket.index(ofMicros: time)
                if current[k][n - 1].index != b {
                    close(k, n)
                    current[k][n - 1] = (b, [])
                }
                current[k][n - 1].seen.formUnion(hashes)
            }
        }
    }

    private mutating func close(_ k: Int, _ n: Int) {
        let bucket = current[k][n - 1]
        guard bucket.index != Int64.min else { return }
        distinct[k][n - 1][bucket.index, default: 0] += bucket.seen.count
    }

    /// The rows of every bucket width; births and deaths counted from first and last uses.
    mutating func finish() -> [[Row]] {
        for k in buckets.indices { for n in 1...maxN { close(k, n); current[k][n - 1] = (Int64.min, []) } }
        var rows: [[Row]] = []
        for (k, bucket) in buckets.enumerated() {
            var born: [[Int64: Int]] = Array(repeating: [:], count: maxN)
            var died: [[Int64: Int]] = Array(repeating: [:], count: maxN)
            for n in 1...maxN {
                for use in uses[n - 1].values {
                    born[n - 1][bucket.index(ofMicros: use.first), default: 0] += 1
                    died[n - 1][bucket.index(ofMicros: use.last), default: 0] += 1
                }
            }
            var widthRows: [Row] = []
            for n in 1...maxN {
                let indices = distinct[k][n - 1].keys.sorted()
                for index in indices {
                    let total = distinct[k][n - 1][index]!
                    let b = born[n - 1][index] ?? 0, d = died[n - 1][index] ?? 0
                    widthRows.append(Row(index: index, n: n, distinct: total, born: b, died: d,
                                         birthRate: index == indices.first || total == 0 ? nil : Double(b) / Double(total),
                                         deathRate: index == indices.last || total == 0 ? nil : Double(d) / Double(total)))
                }
            }
            rows.append(widthRows.sorted { ($0.index, $0.n) < ($1.index, $1.n) })
        }
        return rows
    }
}
