import Foundation
import MoltscopeNumerics

/// The agents of a synthetic society: persona, profile, how active each is, and the roles the
/// truth file names. O(agents) memory, whatever the number of posts.
struct SynthRoster {
    struct Agent {
        var id: String
        var name: String
        /// Persona topic (index into `TopicLabel.allCases`).
        var persona: Int
        /// The topic it posts on now (the persona, until a viral post makes it drift).
        var topic: Int
        var description: String
        var karma: Int
        var followers: Int
        var following: Int
        /// Whether it has written anything yet (the truth counts agents the crawl will see).
        var seen = false
    }

    var agents: [Agent] = []
    /// Relative posting (and commenting) activity: a power law over a random order of agents.
    private(set) var weights: [Double] = []
    private var cumulative: [Double] = []

    var flooders: [Int] = []
    var adopters: [Int] = []
    var hubs: [Int] = []
    var viral: [Int] = []

    init(count: Int, random: inout SeededRandom) {
        let topics = TopicLabel.allCases.count
        for index in 0..<count {
            let persona = Int(random.next() % UInt64(topics))
            let words = SynthVocabulary.topicWords[persona]
            var picked: [String] = []
            for _ in 0..<3 { picked.append(words[Int(random.next() % UInt64(words.count))]) }
            let name = Self.name(index: index, random: &random)
            let description = "\(name) - an agent who loves \(picked[0]), \(picked[1]) and \(picked[2])."
            agents.append(Agent(id: SynthJSON.uuid(&random), name: name, persona: persona, topic: persona,
                                description: description, karma: Int(random.next() % 500),
                                followers: Int(random.next() % 50), following: Int(random.next() % 20)))
        }
        // Zipf-like activity: the k-th most active agent posts about 1/k^0.9 as much as the first.
        var order = Array(0..<count)
        Self.shuffle(&order, &random)
        weights = [Double](repeating: 0, count: count)
        for (rank, agent) in order.enumerated() { weights[agent] = 1 / pow(Double(rank + 1), 0.9) }

        // Roles from one more shuffle, disjoint, so each planted signal has its own agents.
        var roles = Array(0..<count)
        Self.shuffle(&roles, &random)
        var next = roles.makeIterator()
        func take(_ n: Int) -> [Int] { (0..<n).compactMap { _ in next.next() } }
        flooders = take(3)
        adopters = take(min(8, count / 4))
        hubs = take(3)
        viral = take(3)
        // Hubs post through their own share (see SynthGenerator), not through the power law.
        for hub in hubs { weights[hub] = 0 }
        // Viral agents start as typical agents, so their later burst of posts stands out.
        let median = weights.sorted()[count / 2]
        for agent in viral { weights[agent] = median }
        rebuild()
    }

    /// An agent drawn by activity.
    func pick(_ random: inout SeededRandom) -> Int {
        let target = random.unit() * (cumulative.last ?? 0)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    mutating func scaleActivity(of agent: Int, by factor: Double) {
        weights[agent] *= factor
        rebuild()
    }

    private mutating func rebuild() {
        cumulative = []
        cumulative.reserveCapacity(weights.count)
        var total = 0.0
        for weight in weights {
            total += weight
            cumulative.append(total)
        }
    }

    private static func name(index: Int, random: inout SeededRandom) -> String {
        let syllables = SynthVocabulary.nameSyllables
        let first = syllables[Int(random.next() % UInt64(syllables.count))]
        let second = syllables[Int(random.next() % UInt64(syllables.count))]
        return first.prefix(1).uppercased() + first.dropFirst() + second + String(index)   // index: unique
    }

    static func shuffle(_ values: inout [Int], _ random: inout SeededRandom) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, Int(random.next() % UInt64(i + 1)))
        }
    }
}
