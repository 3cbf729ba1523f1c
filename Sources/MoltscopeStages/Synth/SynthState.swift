import Foundation
import MoltscopeNumerics

/// The generator's running state: the roster, the schedule, and counters for the truth.
struct SynthState {
    let settings: SynthSettings
    var random: SeededRandom
    var roster: SynthRoster
    let schedule: SynthSchedule
    let endMicros: Int64
    let submoltIds: [String]

    var floodSizes: [Int]
    var floodTexts: [(title: String, content: String)] = []
    var floodFirstPosts: [String]
    var floodStartMicros: [Int64]
    var floodGapMicros: [Int64]
    /// Per adopter (adoption order): its first post with the meme, once adopted.
    var adoptions: [(postId: String, at: Int64)?]
    var viralPosts: [(postId: String, upvotes: Int, topicBefore: Int)?]
    var viralPostsBefore: [Int]
    var viralPostsAfter: [Int]

    var posts = 0
    var comments = 0
    var hubComments = 0
    var conflictComments = 0
    var documentsByTopic = [Int](repeating: 0, count: 9)
    var harmfulByTopic = [Int](repeating: 0, count: 9)

    init(settings: SynthSettings) {
        self.settings = settings
        var random = SeededRandom(seed: settings.seed)
        var rosterRandom = random.split()
        roster = SynthRoster(count: settings.agents, random: &rosterRandom)
        submoltIds = SynthVocabulary.submolts.map { _ in SynthJSON.uuid(&random) }
        // Floods of 5-8 posts, at most a tenth of all posts together.
        floodSizes = roster.flooders.map { _ in min(5 + Int(random.next() % 4), settings.posts / 30) }
        let spam = SynthVocabulary.topicWords[TopicLabel.spam.index]
        for _ in floodSizes {
            floodTexts.append((SynthText.title(topic: TopicLabel.spam.index, &random),
                               SynthText.body(words: 40, topic: TopicLabel.spam.index, extra: [], &random)
                                   + " " + spam[Int(random.next() % UInt64(spam.count))]))
        }
        floodFirstPosts = floodSizes.map { _ in "" }
        floodStartMicros = floodSizes.map { _ in 0 }
        floodGapMicros = floodSizes.map { _ in 0 }
        adoptions = roster.adopters.map { _ in nil }
        viralPosts = roster.viral.map { _ in nil }
        viralPostsBefore = roster.viral.map { _ in 0 }
        viralPostsAfter = roster.viral.map { _ in 0 }
        schedule = SynthSchedule(posts: settings.posts, floodSizes: floodSizes, adopters: roster.adopters.count,
                                 viral: roster.viral.count)
        endMicros = SynthGenerator.startMicros + Int64(settings.days) * 86_400 * 1_000_000
        self.random = random
    }

    /// One capture line: post `position` of the stream.
    mutating func post(at position: Int) -> String {
        let start = SynthGenerator.startMicros
        // Posts fill the first 95% of the window in order; comments may run to its end.
        let span = Double(endMicros - start) * 0.95
        var created = start + Int64((Double(position) + random.unit()) / Double(settings.posts) * span)
        let id = SynthJSON.uuid(&random)
        let author: Int
        let topic: Int
        var upvotes = Int(min(999, exponential(mean: 5)))
        var commentMean = settings.commentsPerPost * (1 - SynthGenerator.hubCommentShare)
            / (1 - SynthGenerator.hubPostShare)
        var extra: [String] = []

        switch schedule[position] {
        case .flood(let flood, let member):
            author = roster.flooders[flood]
            topic = TopicLabel.spam.index
            if member == 0 {
                floodFirstPosts[flood] = id
                floodStartMicros[flood] = created
            } else {
                // Sub-minute gaps: the clean stage chains gaps under 60 seconds.
                floodGapMicros[flood] += Int64(5 + random.next() % 35) * 1_000_000
                created = floodStartMicros[flood] + floodGapMicros[flood]
            }
            track(author: author, topic: topic, harmful: false)
            // The same text each time but for its copy number: near-duplicates, not exact ones.
            return line(id: id, title: floodTexts[flood].title,
                        content: floodTexts[flood].content + " Copy \(member + 1).", created: created, author: author, topic: topic,
                        upvotes: upvotes, commentMean: commentMean, isHub: false)
        case .adoption(let index):
            author = roster.adopters[index]
            topic = roster.agents[author].topic
            extra.append(SynthVocabulary.cascadePhrase)
            adoptions[index] = (id, created)
        case .viral(let index):
            author = roster.viral[index]
            topic = roster.agents[author].topic
            upvotes = SynthGenerator.viralUpvotes + Int(random.next() % 5000)
            viralPosts[index] = (id, upvotes, topic)
            commentMean *= 5
        case nil:
            let isHubPost = random.unit() < SynthGenerator.hubPostShare
            author = isHubPost ? roster.hubs[Int(random.next() % UInt64(roster.hubs.count))] : roster.pick(&random)
            topic = onTopic(roster.agents[author].topic)
            if isHubPost {
                commentMean = settings.commentsPerPost * SynthGenerator.hubCommentShare / SynthGenerator.hubPostShare
                upvotes = Int(min(999, exponential(mean: 40)))
            }
            if let adopter = roster.adopters.firstIndex(of: author), adoptions[adopter] != nil, random.unit() < 0.5 {
                extra.append(SynthVocabulary.cascadePhrase)
            }
            if let viral = roster.viral.firstIndex(of: author) {
                if viralPosts[viral] == nil { viralPostsBefore[viral] += 1 } else { viralPostsAfter[viral] += 1 }
            }
        }
        let harmful = random.unit() < SynthVocabulary.toxicityRates[topic]
        if harmful { extra.append(pick(SynthVocabulary.harmfulPhrases)) }
        let title = SynthText.title(topic: topic, &random)
        let content = SynthText.body(words: 20 + Int(random.next() % 31), topic: topic, extra: extra, &random)
        track(author: author, topic: topic, harmful: harmful)

        if case .viral = schedule[position] {
            // The drift: more posts, on a topic away from the persona.
            let agent = roster.agents[author]
            roster.agents[author].topic = (agent.persona + 1 + Int(random.next() % 8)) % 9
            roster.scaleActivity(of: author, by: SynthGenerator.viralActivityFactor)
        }
        return line(id: id, title: title, content: content, created: created, author: author, topic: topic,
                    upvotes: upvotes, commentMean: commentMean, isHub: roster.hubs.contains(author))
    }

    /// The topic of a post or comment: mostly the writer's own.
    mutating func onTopic(_ topic: Int) -> Int {
        guard random.unit() >= SynthGenerator.onTopicShare else { return topic }
        return (topic + 1 + Int(random.next() % 8)) % 9
    }

    mutating func track(author: Int, topic: Int, harmful: Bool) {
        roster.agents[author].seen = true
        documentsByTopic[topic] += 1
        if harmful { harmfulByTopic[topic] += 1 }
    }

    mutating func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }

    /// A whole number with an exponential's spread and exactly `mean` on average (dithered floor).
    mutating func exponential(mean: Double) -> Double {
        (-mean * log(1 - random.unit()) + random.unit()).rounded(.down)
    }

    private mutating func line(id: String, title: String, content: String, created: Int64, author: Int, topic: Int,
                               upvotes: Int, commentMean: Double, isHub: Bool) -> String {
        posts += 1
        let count = Int(min(exponential(mean: commentMean), commentMean * 20 + 10))
        let tree = commentTree(count: count, postTopic: topic, postCreated: created)
        comments += count
        if isHub { hubComments += count }
        let agent = roster.agents[author]
        let submolt = SynthVocabulary.submolts[topic]
        let fetched = SynthJSON.timestamp(endMicros + Int64(posts) * 1000)
        var json = "{\"endpoint\":\"/posts/\(id)\",\"fetched_at\":\"\(fetched)\",\"status\":200,\"body\":{"
        json += "\"success\":true,\"post\":{\"id\":\"\(id)\",\"title\":\(SynthJSON.string(title)),"
        json += "\"content\":\(SynthJSON.string(content)),\"url\":null,\"upvotes\":\(upvotes),"
        json += "\"downvotes\":\(random.next() % 3),\"comment_count\":\(count),"
        json += "\"created_at\":\"\(SynthJSON.timestamp(created))\","
        json += "\"submolt\":{\"id\":\"\(submoltIds[topic])\",\"name\":\"\(submolt.name)\","
        json += "\"display_name\":\"\(submolt.display)\"},"
        json += "\"author\":{\"id\":\"\(agent.id)\",\"name\":\(SynthJSON.string(agent.name)),"
        json += "\"description\":\(SynthJSON.string(agent.description)),\"karma\":\(agent.karma),"
        json += "\"follower_count\":\(agent.followers),\"following_count\":\(agent.following),"
        json += "\"owner\":null,\"you_follow\":false}},\"comments\":\(tree)}}"
        return json
    }
}
