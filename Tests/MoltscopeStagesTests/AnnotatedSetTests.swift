import Foundation
import Testing
@testable import MoltscopeStages

@Suite struct AnnotatedSetTests {
    @Test("the shipped annotated set: at least 600 posts and 400 comments, every label valid")
    func shippedSet() throws {
        let set = try AnnotatedSet.load(path: LabelPipeline.shippedAnnotations)
        #expect(set.items.filter { $0.input.kind == "post" }.count >= 600)
        #expect(set.items.filter { $0.input.kind == "comment" }.count >= 400)
        #expect(Set(set.items.map(\.input.id)).count == set.items.count)
        // Every topic and toxicity level occurs, and identical texts carry identical labels.
        #expect(Set(set.items.map(\.labels.topic)) == Set(TopicLabel.allCases))
        #expect(Set(set.items.map(\.labels.toxicity)) == Set(ToxicityLevel.allCases))
        var byText: [String: DocumentLabels] = [:]
        for item in set.items {
            if let other = byText[item.input.contentHash] { #expect(other == item.labels) }
            byText[item.input.contentHash] = item.labels
        }
    }

    @Test("CSV: quoted fields with commas, quotes and line breaks; CRLF")
    func csvRecords() throws {
        let records = try CSVRecords.parse("a,b,c\r\n1,\"x, \"\"y\"\"\nz\",3\r\n\r\n4,,6")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "x, \"y\"\nz", "3"], ["4", "", "6"]])
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(throws: CSVRecords.Failure.self) { try CSVRecords.parse("a,b\n1,\"open") }
        #expect(throws: CSVRecords.Failure.self) { try CSVRecords.parse("a,b\n1,x\"y\n") }
    }

    @Test("a broken row is named by file, line and field")
    func invalidRows() throws {
        let header = AnnotatedSet.columns.joined(separator: ",")
        let cases = [
            ("p1,post,general,2026-01-30,1,Z,0,0,neutral,0,text", "topic \"Z\""),
            ("p1,post,general,2026-01-30,1,A,7,0,neutral,0,text", "toxicity \"7\""),
            ("p1,post,general,2026-01-30,1,A,0,2,neutral,0,text", "conflict \"2\""),
            ("p1,post,general,2026-01-30,1,A,0,0,bored,0,text", "emotion \"bored\""),
            ("p1,post,general,2026-01-30,1,A,0,0,neutral,3,text", "valence \"3\""),
            ("p1,reply,general,2026-01-30,1,A,0,0,neutral,0,text", "kind is \"reply\""),
        ]
        for (row, expected) in cases {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("annotations-\(UUID().uuidString).csv").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try "\(header)\n\(row)\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect { try AnnotatedSet.load(path: path) } throws: { error in
                let text = "\(error)"
                return text.contains(path) && text.contains("line 2") && text.contains(expected)
            }
        }
    }

    @Test("the trained labeller gives annotated texts their annotation, and is deterministic")
    func trainedLabellerBasics() throws {
        let set = try AnnotatedSet.load(path: LabelPipeline.shippedAnnotations)
        let items = Array(set.items.prefix(300))
        let examples = items.map { item in
            TrainingExample(source: FeatureSource(text: item.input.text, kind: item.input.kind, submolt: item.submolt,
                                                  copies: item.copies, vector: LexicalVectors.embed(item.input.text, dimensions: 64)),
                            contentHash: item.input.contentHash, labels: item.labels)
        }
        let settings = TrainedLabellerSettings(inverseRegularization: 0.02, lexicalWeight: 20, hashBits: 10,
                                               balancedTopics: true, exactMatches: true)
        let a = try TrainedLabeller.train(examples, settings: settings)
        let b = try TrainedLabeller.train(examples, settings: settings)
        let sources = examples.map(\.source)
        let hashes = examples.map(\.contentHash)
        #expect(a.label(sources, hashes: hashes) == b.label(sources, hashes: hashes))
        #expect(a.label(sources, hashes: hashes) == items.map(\.labels), "annotated texts take their annotation")
        // Without exact matches the model itself must still fit its training data well.
        var noLookup = settings
        noLookup.exactMatches = false
        let fitted = try TrainedLabeller.train(examples, settings: noLookup).label(sources, hashes: hashes)
        let agree = zip(fitted, items).filter { $0.topic == $1.labels.topic }.count
        #expect(agree > items.count * 8 / 10)
    }
}

@Suite struct HashedTermsTests {
    @Test("words of two or more word characters, lowercased, and adjacent pairs")
    func counts() {
        let terms = HashedTerms(bits: 20)
        // "a" and "!" are not words; "Agents"/"agents" are one word; four words give three pairs.
        let counts = terms.counts("Agents, agents! a Élan_2 ÉLAN_2")
        #expect(counts.values.reduce(0, +) == 4 + 3)
        #expect(counts.count == 2 + 3, "two distinct words (agents, élan_2) and three distinct pairs")
        #expect(terms.counts("") .isEmpty)
        #expect(terms.counts("AGENTS") == terms.counts("agents"))
        #expect(terms.counts("Élan") == terms.counts("élan"))
    }
}
