/// Words for cluster keywords: lowercase runs of letters and digits, 3 to 30 characters, with
/// at least one letter, not a function word of any language the clean stage knows nor a piece
/// of a URL. Keywords describe what a group talks about, so grammar words must not win.
enum KeywordTokenizer {
    static func terms(of text: String, _ body: (Substring) -> Void) {
        let lowered = text.lowercased()
        var start: String.Index?
        var hasLetter = false
        var length = 0
        func flush(_ end: String.Index) {
            if let from = start, hasLetter, (3...30).contains(length) {
                let word = lowered[from..<end]
                if !stopwords.contains(word) { body(word) }
            }
            start = nil
            hasLetter = false
            length = 0
        }
        var index = lowered.startIndex
        while index < lowered.endIndex {
            let character = lowered[index]
            if character.isLetter || character.isNumber {
                if start == nil { start = index }
                if character.isLetter { hasLetter = true }
                length += 1
            } else if character != "'" && character != "’" || start == nil {
                flush(index)
            } else {
                // An apostrophe ends the word but drops its tail ("agent's" -> "agent").
                flush(index)
                index = lowered.index(after: index)
                while index < lowered.endIndex, lowered[index].isLetter { index = lowered.index(after: index) }
                continue
            }
            index = lowered.index(after: index)
        }
        flush(lowered.endIndex)
    }

    static let stopwords: Set<Substring> = {
        var words = Set<Substring>()
        for list in Stopwords.lists { for word in list.words { words.insert(Substring(word)) } }
        for word in englishExtra.split(separator: " ") { words.insert(word) }
        return words
    }()

    /// scikit-learn's English stop words beyond the clean stage's short list, plus URL pieces.
    private static let englishExtra = """
        about above across after afterwards again against almost alone along already although always among amongst \
        amount another any anyhow anyone anything anyway anywhere around back became become becomes becoming before \
        beforehand behind being below beside besides between beyond both bottom call cannot could describe detail done \
        down due during each eight either eleven else elsewhere empty enough etc even ever every everyone everything \
        everywhere except few fifteen fifty fill find fire first five former formerly forty found four front full \
        further get give had hence her hereafter hereby herein hereupon hers herself him himself his however hundred \
        indeed interest itself keep last latter latterly least less ltd made many may meanwhile might mill mine more \
        moreover most mostly move much must myself name namely neither never nevertheless next nine nobody none \
        noone nor nothing now nowhere off often once one only onto other others otherwise ours ourselves out over own \
        part per perhaps please put rather same see seem seemed seeming seems serious several she should show side \
        since sincere six sixty some somehow someone something sometime sometimes somewhere still such system take ten \
        themselves thence thereafter thereby therefore therein thereupon thick thin third though three through \
        throughout thru thus together too top toward towards twelve twenty two under until upon using via well what \
        whatever whence whenever where whereafter whereas whereby wherein whereupon wherever whether while whither \
        whoever whole whom whose why within without yet yours yourself yourselves don doesn didn isn aren wasn weren \
        won wouldn couldn shouldn can't i'm you're it's that's there's let let's ive youre dont doesnt cant \
        http https www com org net html htm php amp nbsp gt lt
        """
}
