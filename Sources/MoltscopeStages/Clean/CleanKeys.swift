import MoltscopeCore

/// The `[clean]` section of a pipeline configuration.
enum CleanKeys {
    static let all: [ConfigKey] = [
        ConfigKey("clean.max_chars", .int(0...10_000_000), default: .int(2000),
                  "Texts longer than this many characters are cut (at a grapheme boundary, preferring whitespace) and marked truncated; 0: no limit."),
        ConfigKey("clean.min_chars", .int(0...1_000_000), default: .int(1),
                  "With drop_empty, documents whose cleaned text is shorter than this are dropped as empty."),
        ConfigKey("clean.drop_empty", .bool, default: .bool(true),
                  "Mark documents with no text (fewer than min_chars characters after cleaning) dropped, reason 'empty'."),
        ConfigKey("clean.languages", .list, default: .list([]),
                  "Languages to keep (ISO 639-1 codes, 'und' for undetermined); others are dropped, reason 'language'. Empty: keep all."),
        ConfigKey("clean.drop_floods", .bool, default: .bool(false),
                  "Mark every document of a flood event after its first dropped, reason 'flood'."),
        ConfigKey("clean.shingle", .int(1...10), default: .int(3),
                  "Word n-gram size of near-duplicate shingles (short or unspaced texts use character 5-grams)."),
        ConfigKey("clean.near_threshold", .double(0.05...1.0), default: .double(0.8),
                  "Estimated Jaccard similarity of shingle sets at or above which two texts are near-duplicates."),
        ConfigKey("clean.minhash_permutations", .int(8...1024), default: .int(128),
                  "MinHash signature length (one byte per permutation per document); a multiple of lsh_bands."),
        ConfigKey("clean.lsh_bands", .int(1...512), default: .int(16),
                  "LSH bands the signature is cut into; two texts alike in every position of one band are compared (more bands: more, less similar candidates)."),
        ConfigKey("clean.flood_gap_seconds", .double(0...86_400), default: .double(60),
                  "A flood chains one agent's near-duplicates posted less than this many seconds apart."),
    ]
}

/// The `[clean]` settings of one run, validated.
struct CleanSettings: Sendable {
    var maxChars: Int
    var minChars: Int
    var dropEmpty: Bool
    var languages: Set<String>
    var dropFloods: Bool
    var shingle: Int
    var nearThreshold: Double
    var permutations: Int
    var bands: Int
    var floodGapSeconds: Double

    init(maxChars: Int = 2000, minChars: Int = 1, dropEmpty: Bool = true, languages: Set<String> = [],
         dropFloods: Bool = false, shingle: Int = 3, nearThreshold: Double = 0.8, permutations: Int = 128,
         bands: Int = 16, floodGapSeconds: Double = 60) {
        self.maxChars = maxChars
        self.minChars = minChars
        self.dropEmpty = dropEmpty
        self.languages = languages
        self.dropFloods = dropFloods
        self.shingle = shingle
        self.nearThreshold = nearThreshold
        self.permutations = permutations
        self.bands = bands
        self.floodGapSeconds = floodGapSeconds
    }

    init(config: PipelineConfig) throws {
        self.init(maxChars: config.int("clean.max_chars"), minChars: config.int("clean.min_chars"),
                  dropEmpty: config.bool("clean.drop_empty"),
                  languages: Set(config.list("clean.languages").map { $0.lowercased() }),
                  dropFloods: config.bool("clean.drop_floods"), shingle: config.int("clean.shingle"),
                  nearThreshold: config.double("clean.near_threshold"),
                  permutations: config.int("clean.minhash_permutations"), bands: config.int("clean.lsh_bands"),
                  floodGapSeconds: config.double("clean.flood_gap_seconds"))
        guard permutations % bands == 0, bands <= permutations else {
            throw MoltscopeError(.config, "\(config.sourcePath ?? "config"): clean.minhash_permutations (\(permutations)) is not a multiple of clean.lsh_bands (\(bands))",
                                 remedy: "choose bands that divide the permutations, e.g. 128 and 16 or 32")
        }
    }

    /// Raw text read per document before cleaning: enough to fill `maxChars` after markup is
    /// removed, without reading multi-megabyte texts whole. 0: everything.
    var rawPrefixChars: Int { maxChars == 0 ? 0 : max(maxChars * 4, 4096) }
}
