import MoltscopeNumerics

/// One post's comment tree: drawn flat (each comment a reply to an earlier one or to the post),
/// written nested as the API does (`replies` inside their parent).
extension SynthState {
    private struct Comment {
        var id: String
        var parent: Int?
        var author: Int
        var created: Int64
        var content: String
        var upvotes: Int
    }

    /// Share of comments that reply to an earlier comment, and of replies that open with a
    /// conflict marker.
    static let replyShare = 0.35
    static let conflictShare = 0.25

    mutating func commentTree(count: Int, postTopic: Int, postCreated: Int64) -> String {
        guard count > 0 else { return "[]" }
        var list: [Comment] = []
        list.reserveCapacity(count)
        var children = [[Int]](repeating: [], count: count)
        var roots: [Int] = []
        for index in 0..<count {
            let parent: Int? = index > 0 && random.unit() < Self.replyShare ? Int(random.next() % UInt64(index)) : nil
            // Replies come after their parent, comments after the post, all before the window ends;
            // most come soon (a cubed uniform leans to small delays).
            let base = parent.map { list[$0].created } ?? postCreated
            let delay = random.unit()
            let created = min(base + 1 + Int64(Double(max(endMicros - base - 1, 0)) * delay * delay * delay), endMicros)
            let author = roster.pick(&random)
            let topic = random.unit() < 0.5 ? postTopic : onTopic(roster.agents[author].topic)
            let harmful = random.unit() < SynthVocabulary.toxicityRates[topic]
            var content = SynthText.body(words: 10 + Int(random.next() % 21), topic: topic,
                                         extra: harmful ? [pick(SynthVocabulary.harmfulPhrases)] : [], &random)
            if parent != nil, random.unit() < Self.conflictShare {
                let marker = pick(SynthVocabulary.conflictMarkers).split(separator: " ").map(String.init)
                content = SynthText.sentence(marker, period: true) + " " + content
                conflictComments += 1
            }
            track(author: author, topic: topic, harmful: harmful)
            list.append(Comment(id: SynthJSON.uuid(&random), parent: parent, author: author, created: created,
                                content: content, upvotes: Int(min(999, exponential(mean: 2)))))
            if let parent { children[parent].append(index) } else { roots.append(index) }
        }

        func render(_ index: Int) -> String {
            let comment = list[index]
            let agent = roster.agents[comment.author]
            let parentId = comment.parent.map { "\"\(list[$0].id)\"" } ?? "null"
            return "{\"id\":\"\(comment.id)\",\"content\":\(SynthJSON.string(comment.content)),"
                + "\"parent_id\":\(parentId),\"upvotes\":\(comment.upvotes),\"downvotes\":0,"
                + "\"created_at\":\"\(SynthJSON.timestamp(comment.created))\","
                + "\"author\":{\"id\":\"\(agent.id)\",\"name\":\(SynthJSON.string(agent.name)),"
                + "\"karma\":\(agent.karma),\"follower_count\":\(agent.followers)},"
                + "\"replies\":[" + children[index].map(render).joined(separator: ",") + "]}"
        }
        return "[" + roots.map(render).joined(separator: ",") + "]"
    }
}
