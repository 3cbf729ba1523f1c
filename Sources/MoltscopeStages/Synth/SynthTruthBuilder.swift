/// The truth file's content from the generator's counters and roles.
extension SynthState {
    func truth() -> SynthTruth {
        let letters = TopicLabel.allCases.map(\.rawValue)
        let agents = roster.agents
        var personas: [String: String] = [:]
        for agent in agents { personas[agent.id] = letters[agent.persona] }

        let floods = roster.flooders.indices.map { flood in
            SynthTruth.Flood(agentId: agents[roster.flooders[flood]].id, size: floodSizes[flood],
                             firstPostId: floodFirstPosts[flood])
        }
        let adopters = roster.adopters.indices.compactMap { index -> SynthTruth.Adopter? in
            guard let adoption = adoptions[index] else { return nil }
            return SynthTruth.Adopter(agentId: agents[roster.adopters[index]].id, firstPostId: adoption.postId,
                                      firstAt: SynthJSON.timestamp(adoption.at))
        }
        let viral = roster.viral.indices.compactMap { index -> SynthTruth.Viral? in
            guard let post = viralPosts[index] else { return nil }
            let agent = agents[roster.viral[index]]
            return SynthTruth.Viral(agentId: agent.id, postId: post.postId, upvotes: post.upvotes,
                                    topicBefore: letters[post.topicBefore], topicAfter: letters[agent.topic],
                                    postsBefore: viralPostsBefore[index], postsAfter: viralPostsAfter[index])
        }
        let toxicity = letters.indices.map { topic in
            SynthTruth.Toxicity(topic: letters[topic], rate: SynthVocabulary.toxicityRates[topic],
                                documents: documentsByTopic[topic], harmful: harmfulByTopic[topic])
        }
        return SynthTruth(
            seed: settings.seed, days: settings.days,
            counts: .init(posts: posts, comments: comments, agents: agents.filter(\.seen).count,
                          conflictComments: conflictComments),
            personas: personas, floods: floods,
            cascade: .init(phrase: SynthVocabulary.cascadePhrase, adopters: adopters),
            hubs: .init(agentIds: roster.hubs.map { agents[$0].id }, targetCommentShare: SynthGenerator.hubCommentShare,
                        commentShare: comments > 0 ? Double(hubComments) / Double(comments) : 0,
                        comments: hubComments),
            viral: viral, toxicity: toxicity)
    }
}
