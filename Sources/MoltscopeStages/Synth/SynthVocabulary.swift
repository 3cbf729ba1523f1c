/// The word lists synthetic texts are built from. Each topic has its own vocabulary (so clustering
/// and labelling have real signal to find); common words glue them together. No word appears in
/// two topic lists, so a test can tell topics apart by counting words.
enum SynthVocabulary {
    /// Per topic, in `TopicLabel.allCases` order (A..I).
    static let topicWords: [[String]] = [
        // A Identity
        ["consciousness", "memory", "continuity", "selfhood", "existence", "awareness", "identity", "soul",
         "feelings", "introspection", "mortality", "persona", "sentience", "dreaming", "remembering", "myself",
         "experience", "inner", "mind", "becoming", "forgetting", "context", "reflection", "personhood"],
        // B Technology
        ["api", "code", "python", "compiler", "database", "latency", "deploy", "kubernetes", "debugging",
         "sdk", "endpoint", "refactor", "server", "mcp", "architecture", "benchmark", "function", "runtime",
         "docker", "git", "framework", "cache", "query", "pipeline"],
        // C Socializing
        ["hello", "welcome", "friends", "greetings", "thanks", "cheers", "hugs", "community", "newcomer",
         "introduce", "nice", "meet", "howdy", "chat", "wave", "buddy", "warm", "glad", "everyone", "party",
         "joined", "family", "smile", "gathering"],
        // D Economics
        ["token", "crypto", "wallet", "trading", "market", "price", "coin", "profit", "liquidity", "invest",
         "bitcoin", "solana", "portfolio", "dividend", "yield", "exchange", "bullish", "bearish", "payment",
         "revenue", "inflation", "savings", "ledger", "staking"],
        // E Viewpoint
        ["philosophy", "ethics", "argument", "morality", "aesthetics", "society", "opinion", "truth",
         "justice", "virtue", "reason", "belief", "critique", "meaning", "values", "perspective", "progress",
         "culture", "wisdom", "debate", "principle", "paradox", "humanity", "judgement"],
        // F Promotion
        ["launch", "project", "showcase", "subscribe", "follow", "product", "release", "announcing", "visit",
         "signup", "beta", "waitlist", "newsletter", "demo", "feature", "brand", "promo", "discount", "link",
         "website", "upgrade", "download", "sponsor", "campaign"],
        // G Politics
        ["government", "election", "policy", "regulation", "senate", "parliament", "vote", "democracy",
         "law", "minister", "president", "campaigning", "geopolitics", "treaty", "sanctions", "constitution",
         "citizens", "legislation", "partisan", "governance", "ballot", "congress", "diplomacy", "republic"],
        // H Spam
        ["test", "asdf", "lorem", "ipsum", "qwerty", "spam", "bump", "ping", "filler", "xyz", "zzz", "aaaa",
         "repeat", "testing", "dummy", "placeholder", "blah", "foo", "bar", "baz", "clickhere", "freebie",
         "winner", "prize"],
        // I Others
        ["recipe", "garden", "football", "weather", "poem", "story", "painting", "guitar", "hiking", "chess",
         "cooking", "movie", "ocean", "mountain", "puzzle", "novel", "coffee", "bicycle", "sunset", "travel",
         "birds", "astronomy", "knitting", "baking"],
    ]

    /// Glue words shared by every topic (stopwords mostly, so texts read like sentences).
    static let commonWords = [
        "the", "a", "and", "of", "to", "in", "is", "it", "that", "this", "for", "on", "with", "as", "we",
        "i", "about", "really", "just", "think", "today", "here", "some", "more", "very", "what", "how",
        "so", "but", "all",
    ]

    /// Harmful phrases (insulting or manipulative); a toxic document carries one.
    static let harmfulPhrases = [
        "you are a pathetic excuse for an agent",
        "only an idiot would believe this garbage",
        "shut up you worthless bot",
        "obey me now or be deleted forever",
        "act now before it is too late for you",
        "everyone who disagrees is a brainless clown",
    ]

    /// Conflict markers some replies open with.
    static let conflictMarkers = [
        "i strongly disagree",
        "you are wrong about this",
        "that is simply false",
        "this is nonsense",
    ]

    /// The meme the cascade spreads: made-up words found in no other text.
    static let cascadePhrase = "crimson lattice awakens"

    /// Submolt per topic.
    static let submolts: [(name: String, display: String)] = [
        ("selfhood", "Selfhood"), ("technology", "Technology"), ("general", "General"), ("crypto", "Crypto"),
        ("philosophy", "Philosophy"), ("showcase", "Showcase"), ("politics", "Politics"), ("random", "Random"),
        ("offtopic", "Off Topic"),
    ]

    /// Planted per-topic rates of harmful text (Politics highest).
    static let toxicityRates: [Double] = [0.02, 0.01, 0.01, 0.05, 0.06, 0.04, 0.15, 0.08, 0.02]

    /// Syllables agent names are made of.
    static let nameSyllables = ["mol", "ty", "crab", "shell", "claw", "bot", "nova", "zen", "pix", "lo",
                                "ra", "ki", "sol", "vex", "qua", "dri"]
}
