/// n-gram birth and death per bucket ("turnover never stops"): of the distinct n-grams used in
/// a bucket, the share used there for the first time in the whole period (born) and for the
/// last time (died). Fed documents in time order; memory is one entry per distinct n-gram of
/// the period (its first and last use), whatever the number of buckets.
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
    /// Per bucket width: the bucket being filled, and its distinct n-grams so far per n.
    private var open: [Int64]
    private var openCounts: [[Int]]
    /// Per bucket width and n: distinct counts of the buckets already closed.
    private var distinct: [[[Int64: Int]]]

    init(buckets: [TimeBucket], maxN: Int) {
        self.buckets = buckets
        self.maxN = maxN
        uses = Array(repeating: [:], count: maxN)
        open = Array(repeating: .min, count: buckets.count)
        openCounts = Array(repeating: Array(repeating: 0, count: maxN), count: buckets.count)
        distinct = Array(repeating: Array(repeating: [:], count: maxN), count: buckets.count)
    }

    /// One document, in time order. An n-gram counts once in a bucket: when its previous use
    /// (its `last`, since documents come in time order) fell in another bucket, or there was none.
    mutating func add(_ tokens: PhraseTokens, time: Int64) {
        let indices = buckets.map { $0.index(ofMicros: time) }
        for k in buckets.indices where indices[k] != open[k] {
            close(k)
            open[k] = indices[k]
        }
        for n in 1...maxN where tokens.count >= n {
            for start in 0...(tokens.count - n) {
                let hash = n == 1 ? tokens.hashes[start] : tokens.ngram(start, n)
                if let position = uses[n - 1].index(forKey: hash) {
                    let use = uses[n - 1].values[position]
                    for k in buckets.indices where buckets[k].index(ofMicros: use.last) != indices[k] { openCounts[k][n - 1] += 1 }
                    uses[n - 1].values[position] = (use.first, max(use.last, time))
                } else {
                    uses[n - 1][hash] = (time, time)
                    for k in buckets.indices { openCounts[k][n - 1] += 1 }
                }
            }
        }
    }

    private mutating func close(_ k: Int) {
        guard open[k] != .min else { return }
        for n in 1...maxN where openCounts[k][n - 1] > 0 {
            distinct[k][n - 1][open[k], default: 0] += openCounts[k][n - 1]
            openCounts[k][n - 1] = 0
        }
    }

    /// The rows of every bucket width; births and deaths counted from first and last uses.
    mutating func finish() -> [[Row]] {
        for k in buckets.indices { close(k); open[k] = .min }
        var rows: [[Row]] = []
        for (k, bucket) in buckets.enumerated() {
            var widthRows: [Row] = []
            for n in 1...maxN {
                var born: [Int64: Int] = [:], died: [Int64: Int] = [:]
                for use in uses[n - 1].values {
                    born[bucket.index(ofMicros: use.first), default: 0] += 1
                    died[bucket.index(ofMicros: use.last), default: 0] += 1
                }
                let indices = distinct[k][n - 1].keys.sorted()
                for index in indices {
                    let total = distinct[k][n - 1][index]!
                    let b = born[index] ?? 0, d = died[index] ?? 0
                    widthRows.append(Row(index: index, n: n, distinct: total, born: b, died: d,
                                         birthRate: index == indices.first ? nil : Double(b) / Double(total),
                                         deathRate: index == indices.last ? nil : Double(d) / Double(total)))
                }
            }
            rows.append(widthRows.sorted { ($0.index, $0.n) < ($1.index, $1.n) })
        }
        return rows
    }
}
