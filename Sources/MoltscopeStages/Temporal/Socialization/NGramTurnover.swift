/// n-gram birth and death per bucket ("turnover never stops"): of the distinct n-grams used in
/// a bucket, the share used there for the first time in the whole period (born) and for the
/// last time (died). Fed documents in time order; memory is one entry per distinct n-gram of
/// the period (its first and last use), whatever the number of buckets.
///
/// The first bucket's births and the last bucket's deaths are censored (everything is new at
/// the start and nothing is seen after the end): their rates are reported as nil.
///
/// Memory is bounded by `maxTracked` n-grams: when more are tracked, only n-grams whose mixed
/// hash falls in half the hash space are kept from then on (then a quarter, ...), the adaptive
/// distinct sampling of Gibbons (2001). An n-gram is in or out for the whole period, so its
/// first and last use stay exact; counts are scaled by the inverse sampling rate, which makes
/// them estimates and the rates ratios of estimates. Below the bound everything is exact.
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
    /// n-grams tracked at most (all n together); 0: no bound.
    let maxTracked: Int
    /// n-grams are kept when the top `level` bits of their mixed hash are zero: 1 in 2^level.
    private(set) var level = 0
    private var tracked = 0

    /// Per n: first and last use (micros) of each n-gram, by hash.
    private var uses: [[UInt64: (first: Int64, last: Int64)]]
    /// Per bucket width: the bucket being filled, and its distinct n-grams so far per n.
    private var open: [Int64]
    private var openCounts: [[Int]]
    /// Per bucket width and n: distinct counts of the buckets already closed, scaled to every
    /// n-gram (exact below the bound).
    private var distinct: [[[Int64: Double]]]

    init(buckets: [TimeBucket], maxN: Int, maxTracked: Int = 0) {
        self.buckets = buckets
        self.maxN = maxN
        self.maxTracked = maxTracked
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
                guard isSampled(hash) else { continue }
                if let position = uses[n - 1].index(forKey: hash) {
                    let use = uses[n - 1].values[position]
                    for k in buckets.indices where buckets[k].index(ofMicros: use.last) != indices[k] { openCounts[k][n - 1] += 1 }
                    uses[n - 1].values[position] = (use.first, max(use.last, time))
                } else {
                    uses[n - 1][hash] = (time, time)
                    for k in buckets.indices { openCounts[k][n - 1] += 1 }
                    tracked += 1
                }
            }
        }
        while maxTracked > 0, tracked > maxTracked, level < 63 { halveTheSample() }
    }

    /// The inverse sampling rate: what one tracked n-gram stands for.
    var scale: Double { Double(UInt64(1) << UInt64(level)) }

    private func isSampled(_ hash: UInt64) -> Bool {
        level == 0 || Self.mixed(hash) >> UInt64(64 - level) == 0
    }

    /// Keeps the n-grams of half the sampled hash space. The open buckets' distinct counts are
    /// recounted exactly (an n-gram used in the open bucket has its last use there).
    private mutating func halveTheSample() {
        level += 1
        tracked = 0
        for n in 0..<maxN {
            uses[n] = uses[n].filter { isSampled($0.key) }
            tracked += uses[n].count
            for k in buckets.indices where open[k] != .min {
                openCounts[k][n] = uses[n].values.reduce(0) { $0 + (buckets[k].index(ofMicros: $1.last) == open[k] ? 1 : 0) }
            }
        }
    }

    /// SplitMix64's finalizer: the sample must not follow any pattern of the word hashes.
    private static func mixed(_ hash: UInt64) -> UInt64 {
        var z = hash &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func close(_ k: Int) {
        guard open[k] != .min else { return }
        for n in 1...maxN where openCounts[k][n - 1] > 0 {
            distinct[k][n - 1][open[k], default: 0] += Double(openCounts[k][n - 1]) * scale
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
                    // Estimates taken at different sampling levels may disagree a little; a bucket
                    // never has more births or deaths than distinct n-grams.
                    let b = min(total, Double(born[index] ?? 0) * scale), d = min(total, Double(died[index] ?? 0) * scale)
                    widthRows.append(Row(index: index, n: n, distinct: Int(total.rounded()), born: Int(b.rounded()),
                                         died: Int(d.rounded()),
                                         birthRate: index == indices.first ? nil : b / total,
                                         deathRate: index == indices.last ? nil : d / total))
                }
            }
            rows.append(widthRows.sorted { ($0.index, $0.n) < ($1.index, $1.n) })
        }
        return rows
    }
}
