import Testing
@testable import MoltscopeStages

@Suite("Clean: flooding, burstiness and drop rules")
struct FloodingAndActivityTests {
    private static func micros(_ seconds: Int) -> Int64 { Int64(seconds) * 1_000_000 }

    @Test func floodEventsChainSubMinuteGapsPerAuthorAndGroup() {
        // Author 0 posts group 7 at 0, 30, 50 s (one event of 3), then 200 and 230 s (an event of 2);
        // author 1 posts group 7 at 10 s and group 9 at 20 and 90 s (gap 70: no event);
        // a document without a group, one without an author and one without a time take no part.
        let groups: [Int32] = [7, 7, 7, 7, 7, 7, 9, 9, 0, 7, 7]
        let authors: [Int32] = [0, 0, 0, 0, 0, 1, 1, 1, 0, -1, 0]
        let seconds = [0, 30, 50, 200, 230, 10, 20, 90, 40, 35, -1]
        let times = seconds.map { $0 < 0 ? CorpusIndex.unknownTime : Self.micros($0) }
        let rank = DuplicateGrouping.ranks(times: times, kinds: [UInt8](repeating: 1, count: times.count),
                                           idKeys: (0..<times.count).map { UInt64($0) }).rank
        let events = Flooding.events(groups: groups, authors: authors, times: times, rank: rank, gapMicros: Self.micros(60))
        #expect(events.count == 2)
        #expect(events[0] == FloodEvent(author: 0, nearGroup: 7, members: [0, 1, 2], firstAt: 0, lastAt: Self.micros(50),
                                        maxGap: Self.micros(30)))
        #expect(events[0].spanSeconds == 50 && events[0].maxGapSeconds == 30)
        #expect(events[1].members == [3, 4] && events[1].spanSeconds == 30)

        // The gap must be strictly below the limit.
        let strict = Flooding.events(groups: [1, 1], authors: [0, 0], times: [0, Self.micros(60)], rank: [0, 1],
                                     gapMicros: Self.micros(60))
        #expect(strict.isEmpty)
        let same = Flooding.events(groups: [1, 1], authors: [0, 0], times: [5, 5], rank: [0, 1], gapMicros: Self.micros(60))
        #expect(same.count == 1 && same[0].spanSeconds == 0)
    }

    @Test func burstinessIsThePopulationCoefficientOfVariation() throws {
        // Gaps 10, 20, 30: mean 20, population sd sqrt(200/3).
        let (cv, mean) = AgentActivity.burstiness([0, 10, 30, 60].map(Self.micros))
        #expect(mean == 20)
        #expect(abs(try #require(cv) - (200.0 / 3).squareRoot() / 20) < 1e-12)
        // Regular posting: 0.
        #expect(AgentActivity.burstiness([0, 60, 120, 180].map(Self.micros)).cv == 0)
        // Two posts: a mean gap but no burstiness; one post: neither; no spread in time: no CV.
        #expect(AgentActivity.burstiness([0, 90].map(Self.micros)) == (nil, 90))
        #expect(AgentActivity.burstiness([Self.micros(5)]) == (nil, nil))
        #expect(AgentActivity.burstiness([7, 7, 7]).cv == nil)
        // One burst then a long silence: well above 1.
        let bursty = try #require(AgentActivity.burstiness([0, 1, 2, 3, 10_000].map(Self.micros)).cv)
        #expect(bursty > 1.5)
    }

    @Test func agentActivityCountsPostsCommentsDuplicatesAndFloods() throws {
        let kinds: [UInt8] = [0, 0, 0, 1, 1, 0, 1]
        let authors: [Int32] = [0, 0, 0, 0, 1, 1, -1]
        let times = [0, 10, 30, 35, 40, 50, 60].map(Self.micros)
        let near: [Int32] = [1, 0, 0, 1, 0, 0, 1]
        let event = FloodEvent(author: 0, nearGroup: 1, members: [0, 3], firstAt: 0, lastAt: Self.micros(35), maxGap: Self.micros(35))
        let stats = AgentActivity.compute(agentCount: 2, kinds: kinds, authors: authors, times: times, nearGroup: near,
                                          events: [event])
        #expect(stats[0].posts == 3 && stats[0].comments == 1 && stats[0].documents == 4)
        #expect(stats[0].duplicateShare == 0.5)
        #expect(stats[0].floodEvents == 1 && stats[0].floodDocuments == 2)
        #expect(stats[0].meanGapSeconds == 15)
        #expect(abs(try #require(stats[0].burstiness) - 5.0 / 15.0) < 1e-12)
        #expect(stats[1].posts == 1 && stats[1].comments == 1 && stats[1].burstiness == nil && stats[1].meanGapSeconds == nil)
        #expect(stats[1].duplicateShare == 0)
    }

    @Test func rulesMarkReasonsInOrder() {
        let lengths: [Int32] = [0, 3, 50, 50, 50, 50]
        let codes: [UInt8] = [0, 1, 2, 1, 1, 0]
        let languageCodes = ["und", "en", "fr"]
        let event = FloodEvent(author: 0, nearGroup: 1, members: [3, 4, 2], firstAt: 0, lastAt: 1, maxGap: 1)

        let defaults = CleanRules(settings: CleanSettings())
        #expect(defaults.apply(lengths: lengths, languages: codes, languageCodes: languageCodes, events: [event])
                == [.empty, .kept, .kept, .kept, .kept, .kept])

        var settings = CleanSettings(minChars: 5, languages: ["en", "und"], dropFloods: true)
        #expect(CleanRules(settings: settings).apply(lengths: lengths, languages: codes, languageCodes: languageCodes,
                                                     events: [event])
                == [.empty, .empty, .language, .kept, .flood, .kept])

        settings = CleanSettings(dropEmpty: false, languages: ["en"])
        #expect(CleanRules(settings: settings).apply(lengths: lengths, languages: codes, languageCodes: languageCodes,
                                                     events: [])
                == [.language, .kept, .language, .kept, .kept, .language])
    }

    @Test func floodsFoundEndToEndFromTexts() {
        // One agent repeats a message with small edits every 20 s, then once more after 5 minutes;
        // another agent posts the same text in between.
        let base = "Join the best token launch of the week, claim your free airdrop now before it is gone forever friends"
        let texts = [base, base + "!", base + " !!", base, base + "."]
        let analysis = MinHashTests.analyse(texts, settings: CleanSettings(dropFloods: true),
                                            authors: ["spam", "spam", "spam", "other", "spam"],
                                            seconds: [0, 20, 40, 30, 340])
        #expect(analysis.events.count == 1)
        #expect(analysis.events.first?.members == [0, 1, 2])
        #expect(analysis.floodEvent == [1, 1, 1, 0, 0])
        #expect(analysis.reasons == [.kept, .flood, .flood, .kept, .kept])
        #expect(analysis.nearGroup.allSatisfy { $0 == 1 })
    }
}
