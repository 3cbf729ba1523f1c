import Foundation
import Testing
@testable import MoltscopeStages

@Suite("Clean: text normalizer")
struct TextNormalizerTests {
    private func clean(_ text: String) -> String { TextNormalizer().normalize(text) }

    @Test func markdownHeadingsEmphasisAndCode() {
        #expect(clean("# Heading\nText") == "Heading\nText")
        #expect(clean("## Title ##") == "Title")
        #expect(clean("#AI rocks") == "#AI rocks")
        #expect(clean("**bold** and *it* and __b__ and _i_ and ~~gone~~ and ***both***") == "bold and it and b and i and gone and both")
        #expect(clean("snake_case_name, 2 * 3, 5*3*2 and ~5 minutes") == "snake_case_name, 2 * 3, 5*3*2 and ~5 minutes")
        #expect(clean("an *unclosed emphasis") == "an *unclosed emphasis")
        #expect(clean("Use `let x = 1` or ``a`b`` here") == "Use let x = 1 or a`b here")
        #expect(clean("```swift\nlet a = *b*\n```\nafter") == "let a = *b*\nafter")
        #expect(clean("~~~\n<div>kept</div>\n~~~") == "<div>kept</div>")
        #expect(clean("\\*not emphasis\\*") == "*not emphasis*")
    }

    @Test func markdownLinksImagesQuotesListsTablesRules() {
        #expect(clean("[the docs](https://x.org/a_(b)) now") == "the docs now")
        #expect(clean("see [**bold link**][ref] and [plain]") == "see bold link and [plain]")
        #expect(clean("![a cat](cat.png \"title\")") == "a cat")
        #expect(clean("[ref]: https://example.com\nbody") == "body")
        #expect(clean("> quoted\n>> deeper") == "quoted\ndeeper")
        #expect(clean("- one\n* two\n+ three\n1. four\n2) five\n- [x] done\n• six") == "one\ntwo\nthree\nfour\nfive\ndone\nsix")
        #expect(clean("| a | b |\n|---|:-:|\n| 1 | 2 |") == "a b\n1 2")
        #expect(clean("x | y\n--- | ---\n3 | 4") == "x y\n3 4")
        #expect(clean("above\n\n---\n\nbelow\n***\n___") == "above\nbelow")
        #expect(clean("Title\n=====\ntext") == "Title\ntext")
        #expect(clean("see <https://example.com/x> or <me@example.com>") == "see https://example.com/x or me@example.com")
    }

    @Test func htmlTagsAndEntities() {
        #expect(clean("<p>Hello<br>world</p><script>alert(1)</script><style>p{}</style>end") == "Hello\nworld\nend")
        #expect(clean("<b>bold</b> <a href=\"https://x\">link</a> <span class='x'>y</span>") == "bold link y")
        #expect(clean("<img src=\"a.png\" alt=\"a dog\"> runs") == "a dog runs")
        #expect(clean("<table><tr><td>a</td><td>b</td></tr></table>") == "a b")
        #expect(clean("a<!-- hidden --> b") == "a b")
        #expect(clean("a<!-- hidden\nstill -->b") == "a\nb")
        #expect(clean("<script>\nvar x = 1;\n</script>\nafter") == "after")
        #expect(clean("<thinking>hmm</thinking> <3 you, a < b > c") == "<thinking>hmm</thinking> <3 you, a < b > c")
        #expect(clean("&amp; &lt;b&gt; &quot;q&quot; &#39;s &#233; &#xE9; &hellip; &mdash; &nbsp;x") == "& <b> \"q\" 's é é … — x")
        #expect(clean("&bogus; & alone &#; &#xZZ; AT&T") == "&bogus; & alone &#; &#xZZ; AT&T")
        #expect(clean("&#0; &#x110000; &#150;") == "\u{FFFD} \u{FFFD} –")
        #expect(clean("&lt;script&gt;not code&lt;/script&gt;") == "<script>not code</script>")
    }

    @Test func invisibleAndControlCharacters() {
        #expect(clean("a\u{200B}b\u{FEFF}c\u{00AD}d\u{2060}e\u{200E}f\u{202E}g\u{2066}h\u{200C}i") == "abcdefghi")
        #expect(clean("a\u{0}b\u{7}c\u{1B}d\u{7F}e\u{9B}f") == "abcdef")
        #expect(clean("a\u{85}b\u{2028}c\r\nd\re") == "a\nb\nc\nd\ne")
        #expect(clean("a\tb\u{A0}c\u{3000}d\u{2003}e") == "a b c d e")
        #expect(clean("  a   b \n\n\n c  \n") == "a b\nc")
        #expect(clean("a\u{200D}b") == "ab")
        // A zero-width joiner inside an emoji sequence stays: 👩‍💻 is one emoji.
        let coder = clean("👩\u{200D}💻 ok \u{2764}\u{FE0F}\u{200D}\u{1F525}")
        #expect(coder.unicodeScalars.map(\.value) == [0x1F469, 0x200D, 0x1F4BB, 0x20, 0x6F, 0x6B, 0x20, 0x2764, 0xFE0F, 0x200D, 0x1F525])
        #expect(coder.count == 6)
    }

    @Test func nfcEquivalence() {
        #expect(clean("e\u{301}").unicodeScalars.map(\.value) == [0xE9])
        #expect(clean("e\u{200B}\u{301}te").unicodeScalars.map(\.value) == [0xE9, 0x74, 0x65])
        #expect(clean("Cafe\u{301} &eacute;") == "Café é")
        #expect(clean("\u{1100}\u{1161}").unicodeScalars.map(\.value) == [0xAC00])  // Hangul jamo compose
        #expect(clean("e\u{301}") == clean("\u{E9}"))
    }

    @Test func oddUnicodeNeverCrashes() {
        let inputs = [
            "", "\u{0}", "\u{0}\u{0}\u{0}", "\u{301}", "\u{301}\u{301}abc", "مرحبا بالعالم", "שלום **עולם**",
            "\u{202E}txet desrever\u{202C}", "🏳️‍🌈🏳️‍⚧️👨‍👩‍👧‍👦", "\u{1F1FA}\u{1F1F8}", "Z̷̡̛a̵l̶g̸o̴", "\r", "\n\n\n",
            "[", "![", "[a](", "<", "<a", "</", "<!--", "&", "&#", "&#x", "`", "```", "|", "| --- |", "#", ">",
            "*", "**", "_", "~~", "\\", "<script>", "<style>never closed", "\u{FFFF}\u{10FFFF}", "\u{E0067}\u{E007F}",
        ]
        for input in inputs {
            let output = clean(input)
            #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0.value != 0x0A })
            #expect(output == output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(clean("مرحبا بالعالم") == "مرحبا بالعالم")
        #expect(clean("<style>never closed\nmore") == "")
    }

    @Test func randomMarkupSoupNeverBreaksTheInvariants() {
        // Seeded random texts made of markup characters, invisible characters, combining marks,
        // emoji pieces and line breaks: cleaning never traps, never leaves a control or removed
        // character, and is idempotent on its own output's character rules.
        let pieces: [String] = [
            "*", "**", "_", "__", "~~", "`", "```", "~~~", "[", "]", "(", ")", "![", "<", ">", "</", "/>", "&", ";", "#",
            "&amp;", "&#x", "&#", "<b>", "</b>", "<p>", "<br>", "<script>", "</script>", "<!--", "-->", "|", "---", "- ",
            "1. ", "> ", "\\", "\n", "\r", "\r\n", "\t", " ", "  ", "\u{0}", "\u{7}", "\u{85}", "\u{200B}", "\u{200D}",
            "\u{FEFF}", "\u{202E}", "\u{301}", "\u{308}", "e", "word", "Ünïcödé", "日本", "👩", "💻", "\u{FE0F}", "🏳",
            "\u{1F1FA}", "مرحبا", "\u{2028}", "\u{A0}", "\u{3000}", "x_y", "2*3", "https://x.org", "<https://y.org>",
        ]
        var state: UInt64 = 0x5EED
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<(next() % 40) { text += pieces[next() % pieces.count] }
            let output = clean(text)
            #expect(!output.unicodeScalars.contains { ($0.value < 0x20 && $0.value != 0x0A) || ScalarClasses.isRemoved($0.value) })
            #expect(!output.hasPrefix(" ") && !output.hasSuffix(" ") && !output.hasPrefix("\n") && !output.hasSuffix("\n"))
            #expect(!output.contains("  ") && !output.contains("\n\n") && !output.contains(" \n") && !output.contains("\n "))
            #expect(output.unicodeScalars.elementsEqual(output.precomposedStringWithCanonicalMapping.unicodeScalars))
        }
    }

    @Test func truncationAtMaxCharsRecordsTheFact() {
        let settings = CleanSettings(maxChars: 2000)
        let cleaner = DocumentCleaner(settings: settings)
        let long = String(repeating: "word ", count: 600)  // 3000 characters
        let cleaned = cleaner.clean(Self.comment(long))
        #expect(cleaned.truncated)
        #expect(cleaned.originalLength == 3000)
        #expect(cleaned.length <= 2000 && cleaned.length >= 1600)
        #expect(cleaned.text.hasSuffix("word"))  // cut at whitespace, no trailing space
        #expect(cleaned.length == cleaned.text.unicodeScalars.count)

        // No whitespace near the limit: cut at the last grapheme that fits, never inside an emoji.
        let emoji = String(repeating: "a", count: 1999) + "👩\u{200D}💻" + "bbb"
        let cut = cleaner.clean(Self.comment(emoji))
        #expect(cut.truncated)
        #expect(cut.text == String(repeating: "a", count: 1999))

        // Short texts are not truncated; a text SQLite handed over only in part is.
        let short = cleaner.clean(Self.comment("hello there"))
        #expect(!short.truncated && short.length == 11 && short.originalLength == 11)
        var partial = Self.comment("hello there")
        partial.contentLength = 3_400_000
        let prefix = cleaner.clean(partial)
        #expect(prefix.truncated && prefix.originalLength == 3_400_000 && prefix.text == "hello there")
    }

    @Test func postTextIsTitleBlankLineContentOrURL() {
        let cleaner = DocumentCleaner(settings: CleanSettings())
        var post = RawDocument(kind: .post, id: "p", postId: "p", title: "My **title**", content: "Body *text*",
                               contentLength: 11, url: "https://x.org")
        #expect(cleaner.clean(post).text == "My title\nBody text")
        #expect(cleaner.clean(post).originalLength == 12 + 2 + 11)
        post.content = nil
        post.contentLength = 0
        #expect(cleaner.clean(post).text == "My title\nhttps://x.org")
        post.url = nil
        #expect(cleaner.clean(post).text == "My title")
    }

    static func comment(_ content: String) -> RawDocument {
        RawDocument(kind: .comment, id: "c", postId: "p", content: content, contentLength: content.unicodeScalars.count)
    }
}

extension RawDocument {
    init(kind: Kind, id: String, postId: String, authorId: String? = nil, createdAt: String? = nil,
         title: String? = nil, content: String?, contentLength: Int, url: String? = nil) {
        self.init(kind: kind, id: id, postId: postId, parentId: nil, authorId: authorId, authorName: authorId,
                  submolt: nil, createdAt: createdAt, title: title, content: content, contentLength: contentLength, url: url)
    }
}
