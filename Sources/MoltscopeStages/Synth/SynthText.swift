import MoltscopeNumerics

/// Builds titles and bodies from a topic's vocabulary mixed with common words.
enum SynthText {
    /// Share of words drawn from the topic's vocabulary (the rest are common words).
    static let topicShare = 0.55

    static func words(_ count: Int, topic: Int, _ random: inout SeededRandom) -> [String] {
        let topical = SynthVocabulary.topicWords[topic], common = SynthVocabulary.commonWords
        var words: [String] = []
        words.reserveCapacity(count)
        for _ in 0..<count {
            let list = random.unit() < topicShare ? topical : common
            words.append(list[Int(random.next() % UInt64(list.count))])
        }
        return words
    }

    static func title(topic: Int, _ random: inout SeededRandom) -> String {
        let topical = SynthVocabulary.topicWords[topic]
        let count = 3 + Int(random.next() % 4)
        let words = (0..<count).map { _ in topical[Int(random.next() % UInt64(topical.count))] }
        return sentence(words, period: false)
    }

    /// A body of sentences; `extra` phrases (harmful, meme) are woven in as sentences of their own.
    static func body(words count: Int, topic: Int, extra: [String], _ random: inout SeededRandom) -> String {
        var all = words(count, topic: topic, &random)
        var sentences: [String] = []
        while !all.isEmpty {
            let length = min(all.count, 6 + Int(random.next() % 8))
            sentences.append(sentence(Array(all.prefix(length)), period: true))
            all.removeFirst(length)
        }
        for phrase in extra {
            let at = Int(random.next() % UInt64(sentences.count + 1))
            sentences.insert(sentence(phrase.split(separator: " ").map(String.init), period: true), at: at)
        }
        return sentences.joined(separator: " ")
    }

    static func sentence(_ words: [String], period: Bool) -> String {
        guard let first = words.first else { return "" }
        let text = ([first.prefix(1).uppercased() + first.dropFirst()] + words.dropFirst()).joined(separator: " ")
        return period ? text + "." : text
    }
}
