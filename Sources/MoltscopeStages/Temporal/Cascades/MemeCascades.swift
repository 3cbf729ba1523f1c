/// Meme cascades as in Molt Dynamics: phrases of 3-5 words adopted by at least 10 distinct
/// agents, each with its first use, its adopters in order and its size.
///
/// Two passes over the documents in time order. The first counts every phrase in a fixed-size
/// sketch; the second keeps only phrases the sketch cannot rule out, with their adopters.
/// Boilerplate is left out: phrases with fewer than `minContentWords` words that are not
/// function words or numbers ("this is exactly", "if you want"), and phrases in more than
/// `maxDocumentShare` of all documents (stock phrasing, not a meme). A phrase inside a longer
/// cascade with at least 80% of its adopters is the same meme and is folded into it; a meme
/// longer than the longest n shows as overlapping n-grams with nearly the same adopters, which
/// are joined back into one phrase (with the adopters of its most adopted part).
///
/// Memory is bounded by `maxAdoptions`: pass 1 also counts, for every document count v, how
/// many phrases reached v, so before pass 2 it is known how many uses the candidates would
/// hold; when too many, only phrases in at least `admission` documents are followed. Those
/// cascades stay exact; smaller ones are left out, as a list of the largest cascades.
struct MemeCascades {
    struct Adoption: Sendable {
        var agent: Int32
        var time: Int64
        var document: String
    }

    struct Cascade: Sendable {
        var phrase: String
        var n: Int
        var documents: Int
        var lastUse: Int64
        /// Each adopter's first use, earliest first.
        var adoptions: [Adoption]
        var size: Int { adoptions.count }
    }

    let lengths: ClosedRange<Int>
    let minAgents: Int
    let minContentWords: Int
    let maxDocumentShare: Double
    /// Candidate phrase uses held at most in pass 2; 0: no bound.
    let maxAdoptions: Int
    static let foldShare = 0.8

    private var sketch: PhraseSketch
    private var documents = 0
    private var candidates: [UInt64: Candidate] = [:]
    /// How many phrases' sketch estimate reached each value (pass 1).
    private var reached = [Int](repeating: 0, count: Int(UInt16.max) + 1)
    /// Documents a phrase needs (by the sketch) to be followed in pass 2; set when pass 2 begins.
    private(set) var admission: Int?

    private struct Candidate {
        var phrase: String
        var n: Int
        var documents = 0
        var lastUse: Int64 = .min
        var adopters: [Int32: (time: Int64, document: String)] = [:]
    }

    /// Function words (a phrase needs `minContentWords` others).
    let fillers: Set<Substring>

    init(lengths: ClosedRange<Int>, minAgents: Int, minContentWords: Int, maxDocumentShare: Double, sketchBits: Int,
         fillers: Set<Substring>, maxAdoptions: Int = 0) {
        self.maxAdoptions = maxAdoptions
        self.fillers = fillers
        self.lengths = lengths
        self.minAgents = minAgents
        self.minContentWords = max(1, minContentWords)
        self.maxDocumentShare = maxDocumentShare
        sketch = PhraseSketch(bits: sketchBits)
    }

    /// Pass 1: one document's distinct phrases into the sketch.
    mutating func count(_ tokens: PhraseTokens) {
        documents += 1
        for hash in phrases(tokens).keys {
            sketch.add(hash)
            reached[sketch.estimate(hash)] += 1
        }
    }

    /// The smallest document count from `minAgents` up whose phrases' uses fit `maxAdoptions`:
    /// a phrase with estimate c reached every v <= c once, so the uses of phrases with c >= t
    /// are the phrases that reached v, summed over v >= t, plus (t - 1) per phrase that reached t.
    private func admissionThreshold() -> Int {
        guard maxAdoptions > 0 else { return minAgents }
        var above = 0
        var threshold = reached.count
        for t in stride(from: reached.count - 1, through: minAgents, by: -1) {
            above += reached[t]
            guard above + (t - 1) * reached[t] <= maxAdoptions else { break }
            threshold = t
        }
        return max(minAgents, threshold)
    }

    /// Pass 2: the same document, in time order, with its author and id.
    mutating func collect(_ tokens: PhraseTokens, agent: Int32, time: Int64, document: String) {
        let admission = self.admission ?? admissionThreshold()
        self.admission = admission
        for (hash, position) in phrases(tokens) where sketch.estimate(hash) >= admission {
            var candidate = candidates[hash] ?? Candidate(phrase: tokens.phrase(position.start, position.n), n: position.n)
            candidate.documents += 1
            candidate.lastUse = max(candidate.lastUse, time)
            if agent >= 0, candidate.adopters[agent] == nil { candidate.adopters[agent] = (time, document) }
            candidates[hash] = candidate
        }
    }

    /// The cascades, largest first (ties: earliest first use).
    func finish() -> [Cascade] {
        let limit = Double(documents) * maxDocumentShare
        var qualifying: [UInt64: Candidate] = [:]
        for (hash, candidate) in candidates where candidate.adopters.count >= minAgents && Double(candidate.documents) <= limit {
            qualifying[hash] = candidate
        }
        // Fold phrases into a longer cascade holding most of their adopters, longest first.
        var folded = Set<UInt64>()
        for n in lengths.reversed() where n > lengths.lowerBound {
            for candidate in qualifying.values where candidate.n == n {
                let words = PhraseTokens(candidate.phrase)
                guard words.count == n else { continue }
                for start in [0, 1] {
                    let inner = words.ngram(start, n - 1)
                    if let shorter = qualifying[inner],
                       Double(candidate.adopters.count) >= Self.foldShare * Double(shorter.adopters.count) {
                        folded.insert(inner)
                    }
                }
            }
        }
        var cascades: [Cascade] = []
        for (hash, candidate) in qualifying where !folded.contains(hash) {
            let adoptions = candidate.adopters.map { Adoption(agent: $0.key, time: $0.value.time, document: $0.value.document) }
                .sorted { ($0.time, $0.agent) < ($1.time, $1.agent) }
            cascades.append(Cascade(phrase: candidate.phrase, n: candidate.n, documents: candidate.documents,
                                    lastUse: candidate.lastUse, adoptions: adoptions))
        }
        // Content words are counted last: a long meme's middle n-grams may be mostly function
        // words ("is its own form of") yet are needed to join its parts.
        let fillers = self.fillers, minContentWords = self.minContentWords
        return Self.joinedChains(cascades, n: lengths.upperBound).filter { cascade in
            PhraseTokens(cascade.phrase, fillers: fillers).isFiller.filter { !$0 }.count >= minContentWords
        }.sorted {
            ($0.size, $1.adoptions[0].time, $1.phrase) > ($1.size, $0.adoptions[0].time, $0.phrase)
        }
    }

    /// Longest-n cascades that overlap in n-1 words (A's last words are B's first) with sizes
    /// within the fold share are one longer meme: they are joined into one phrase.
    static func joinedChains(_ cascades: [Cascade], n: Int) -> [Cascade] {
        guard n >= 2 else { return cascades }
        // Ties below are broken by position: sorted first, so the result does not depend on the
        // order the cascades come in (dictionary order, which differs between processes).
        let cascades = cascades.sorted { $0.phrase < $1.phrase }
        let longest = cascades.indices.filter { cascades[$0].n == n }
        var byPrefix: [UInt64: [Int]] = [:]
        var suffix: [Int: UInt64] = [:]
        for i in longest {
            let words = PhraseTokens(cascades[i].phrase)
            guard words.count == n else { continue }
            byPrefix[words.ngram(0, n - 1), default: []].append(i)
            suffix[i] = words.ngram(1, n - 1)
        }
        func similar(_ a: Int, _ b: Int) -> Bool {
            let small = min(cascades[a].size, cascades[b].size), large = max(cascades[a].size, cascades[b].size)
            return Double(small) >= foldShare * Double(large)
        }
        // Each cascade follows at most one other and is followed by at most one: the largest.
        var next: [Int: Int] = [:], previous: [Int: Int] = [:]
        for a in longest.sorted(by: { cascades[$0].size > cascades[$1].size || (cascades[$0].size == cascades[$1].size && $0 < $1) }) {
            guard let key = suffix[a], let followers = byPrefix[key] else { continue }
            let candidates = followers.filter { $0 != a && previous[$0] == nil && similar(a, $0) }
            guard let b = candidates.max(by: { (cascades[$0].size, -$0) < (cascades[$1].size, -$1) }) else { continue }
            // No cycles: b must not already lead back to a.
            var walk: Int? = b, cycle = false
            while let w = walk { if w == a { cycle = true; break }; walk = next[w] }
            guard !cycle else { continue }
            next[a] = b
            previous[b] = a
        }
        var joined: [Cascade] = []
        var consumed = Set<Int>()
        for start in cascades.indices where previous[start] == nil {
            var members = [start]
            while let following = next[members.last!] { members.append(following) }
            consumed.formUnion(members)
            guard members.count > 1 else { joined.append(cascades[start]); continue }
            var phrase = cascades[start].phrase
            for member in members.dropFirst() {
                if let word = cascades[member].phrase.split(separator: " ").last { phrase += " " + word }
            }
            var main = cascades[members.max { cascades[$0].size < cascades[$1].size }!]
            main.phrase = phrase
            main.n = phrase.split(separator: " ").count
            main.documents = members.map { cascades[$0].documents }.max()!
            main.lastUse = members.map { cascades[$0].lastUse }.max()!
            joined.append(main)
        }
        // Members of a cycle-free chain are all consumed above; anything left stands alone.
        for i in cascades.indices where !consumed.contains(i) { joined.append(cascades[i]) }
        return joined
    }

    /// A document's distinct phrases of the configured lengths with enough content words.
    private func phrases(_ tokens: PhraseTokens) -> [UInt64: (start: Int, n: Int)] {
        var found: [UInt64: (start: Int, n: Int)] = [:]
        for n in lengths where tokens.count >= n {
            for start in 0...(tokens.count - n) {
                var content = 0
                for i in start..<(start + n) where !tokens.isFiller[i] { content += 1 }
                guard content >= 1 else { continue }
                let hash = tokens.ngram(start, n)
                if found[hash] == nil { found[hash] = (start, n) }
            }
        }
        return found
    }
}
