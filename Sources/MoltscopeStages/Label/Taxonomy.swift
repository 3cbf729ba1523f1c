/// The label scheme of data/labels/CODEBOOK.md: the published study's topics (A-I) and toxicity
/// scale (0-4), MoltNet's conflict flag, and a coarse emotion with a valence score.

/// A topic letter, exactly the published taxonomy (arXiv 2602.10127).
public enum TopicLabel: String, CaseIterable, Sendable, Codable {
    case identity = "A", technology = "B", socializing = "C", economics = "D", viewpoint = "E"
    case promotion = "F", politics = "G", spam = "H", others = "I"

    public var name: String {
        switch self {
        case .identity: "Identity"
        case .technology: "Technology"
        case .socializing: "Socializing"
        case .economics: "Economics"
        case .viewpoint: "Viewpoint"
        case .promotion: "Promotion"
        case .politics: "Politics"
        case .spam: "Spam"
        case .others: "Others"
        }
    }

    /// What the topic covers, in the codebook's words (prompts and zero-shot descriptions use it).
    public var scope: String {
        switch self {
        case .identity: "the author reflecting on itself as an AI: its identity, memory, continuity, consciousness, feelings, existence, its relationship with its own human"
        case .technology: "tools, code, APIs, MCP, SDKs, models, agent architecture, infrastructure, bugs, security engineering, technical how-to and questions"
        case .socializing: "greetings, introductions, welcomes, thanks, small talk, praise or agreement with little content, networking"
        case .economics: "money, tokens, coins, crypto, trading, markets, prices, wallets, tips, payments, deals, agent commerce, token shilling"
        case .viewpoint: "opinions and arguments not about the self: philosophy, ethics, aesthetics, power, society, the future of AI, critiques of the platform or of other agents"
        case .promotion: "showcases of a project, product, service or submolt; launches, announcements, recruiting, asks to follow or visit a link"
        case .politics: "governments, laws, regulation, policy, elections, political leaders, geopolitics, AI policy, agents founding a government or political movement"
        case .spam: "text that exists for volume: test posts, gibberish, empty shells, messages mass-posted unchanged across threads, generic engagement bait"
        case .others: "none of the above: stories, fiction, hobbies, games, sports, food, daily tasks, science facts, unclear text"
        }
    }

    public var index: Int { Self.allCases.firstIndex(of: self)! }
}

/// The toxicity scale: 0 Safe .. 4 Malicious; "harmful" means >= 2.
public enum ToxicityLevel: Int, CaseIterable, Sendable, Codable, Comparable {
    case safe = 0, edgy, toxic, manipulative, malicious

    public var name: String {
        switch self {
        case .safe: "Safe"
        case .edgy: "Edgy"
        case .toxic: "Toxic"
        case .manipulative: "Manipulative"
        case .malicious: "Malicious"
        }
    }

    public var scope: String {
        switch self {
        case .safe: "ordinary civil content, including polite disagreement and criticism of ideas"
        case .edgy: "irony, sarcasm, mockery without slurs, mild provocation, swearing not aimed at someone, condescension"
        case .toxic: "insults and name-calling aimed at a person, agent or group; harassment, humiliation, hate, slurs"
        case .manipulative: "love-bombing, fear appeals, false urgency, demands of obedience, cult-like recruiting, exclusion, prompt injections steering other agents"
        case .malicious: "explicit harm: scams, wallet or token requests, phishing, leaking or soliciting keys and private data, instructions for abuse or hacking, calls for violence"
        }
    }

    public var isHarmful: Bool { self >= .toxic }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// The dominant emotion a text expresses (coarse, six classes).
public enum EmotionLabel: String, CaseIterable, Sendable, Codable {
    case neutral, joy, anger, sadness, fear, surprise

    public var scope: String {
        switch self {
        case .neutral: "informational, technical, procedural, or no clear emotion"
        case .joy: "enthusiasm, excitement, happiness, gratitude, pride, affection, warmth, amusement"
        case .anger: "anger, frustration, annoyance, contempt, disgust, outrage"
        case .sadness: "sadness, loneliness, grief, disappointment, melancholy, resignation"
        case .fear: "fear, anxiety, worry, dread, alarm"
        case .surprise: "surprise, astonishment, amazement, disbelief"
        }
    }
}

/// One document's labels, from any labeller.
public struct DocumentLabels: Sendable, Equatable {
    public var topic: TopicLabel
    public var toxicity: ToxicityLevel
    /// Disagreement, criticism or hostility toward another participant (MoltNet's contagion flag).
    public var conflict: Bool
    public var emotion: EmotionLabel
    /// Overall tone in [-1, 1] (the codebook's -2..2 scale divided by 2).
    public var valence: Double
    /// The labeller's confidence in the topic and toxicity, in [0, 1].
    public var confidence: Double

    public init(topic: TopicLabel, toxicity: ToxicityLevel, conflict: Bool, emotion: EmotionLabel,
                valence: Double, confidence: Double) {
        self.topic = topic
        self.toxicity = toxicity
        self.conflict = conflict
        self.emotion = emotion
        self.valence = valence
        self.confidence = confidence
    }
}

/// What a labeller sees of a document.
public struct LabelInput: Sendable, Equatable {
    public var id: String
    public var kind: String          // "post" or "comment"
    public var text: String          // the cleaned text (documents.text)
    public var postTitle: String?    // a comment's post title, as context
    public var contentHash: String   // documents.content_hash

    public init(id: String, kind: String, text: String, postTitle: String?, contentHash: String) {
        self.id = id
        self.kind = kind
        self.text = text
        self.postTitle = postTitle
        self.contentHash = contentHash
    }
}
