import Foundation
import MoltscopeCore

/// The annotated set (data/labels/annotations.csv): documents labelled by reading them against
/// the codebook, with their text, so the trained labeller and the evaluation work on any
/// database, not only one holding the capture they were drawn from.
struct AnnotatedSet: Sendable {
    struct Item: Sendable {
        var input: LabelInput
        var submolt: String
        /// Documents in the capture with exactly this text, when it was annotated.
        var copies: Int
        var labels: DocumentLabels
    }

    var items: [Item]
    /// Hex SHA-256 of the file: part of the trained labeller's version.
    var fileHash: String

    static let columns = ["id", "kind", "submolt", "created_at", "copies", "topic", "toxicity", "conflict", "emotion", "valence", "text"]

    /// Reads and validates the file; every problem names the file, line and field.
    static func load(path: String) throws -> AnnotatedSet {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw MoltscopeError(.config, "cannot read the annotated set \(path)",
                                 remedy: "set toxicity_label.annotations to the CSV of labelled documents (the repository ships data/labels/annotations.csv; run from its folder), or use toxicity_label.labeller = \"zero-shot\"")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw invalid(path, line: 1, "is not UTF-8 text")
        }
        let records: [(line: Int, fields: [String])]
        do {
            records = try CSVRecords.parse(text)
        } catch let failure as CSVRecords.Failure {
            throw invalid(path, line: failure.line, failure.reason)
        }
        guard let header = records.first else { throw invalid(path, line: 1, "is empty") }
        var position: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() { position[name.trimmingCharacters(in: .whitespaces)] = index }
        let missing = columns.filter { position[$0] == nil }
        guard missing.isEmpty else { throw invalid(path, line: 1, "lacks the column(s) \(missing.joined(separator: ", "))") }
        var items: [Item] = []
        var seen = Set<String>()
        for record in records.dropFirst() {
            func field(_ name: String) throws -> String {
                let index = position[name]!
                guard index < record.fields.count else { throw invalid(path, line: record.line, "has no \(name) field") }
                return record.fields[index]
            }
            let item = try parseItem(field, path: path, line: record.line)
            guard seen.insert(item.input.id).inserted else { throw invalid(path, line: record.line, "repeats id \(item.input.id)") }
            items.append(item)
        }
        guard !items.isEmpty else { throw invalid(path, line: 2, "has no labelled documents") }
        return AnnotatedSet(items: items, fileHash: SHA256.hex(SHA256.digest(data)))
    }

    private static func parseItem(_ field: (String) throws -> String, path: String, line: Int) throws -> Item {
        let id = try field("id"), kind = try field("kind"), text = try field("text")
        guard !id.isEmpty else { throw invalid(path, line: line, "has an empty id") }
        guard kind == "post" || kind == "comment" else { throw invalid(path, line: line, "kind is \"\(kind)\", not post or comment") }
        guard let topic = TopicLabel(rawValue: try field("topic")) else {
            throw invalid(path, line: line, "topic \"\(try field("topic"))\" is not one of A-I")
        }
        guard let toxicityValue = Int(try field("toxicity")), let toxicity = ToxicityLevel(rawValue: toxicityValue) else {
            throw invalid(path, line: line, "toxicity \"\(try field("toxicity"))\" is not 0-4")
        }
        let conflictText = try field("conflict")
        guard conflictText == "0" || conflictText == "1" else { throw invalid(path, line: line, "conflict \"\(conflictText)\" is not 0 or 1") }
        guard let emotion = EmotionLabel(rawValue: try field("emotion")) else {
            throw invalid(path, line: line, "emotion \"\(try field("emotion"))\" is not one of \(EmotionLabel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let valence = Int(try field("valence")), (-2...2).contains(valence) else {
            throw invalid(path, line: line, "valence \"\(try field("valence"))\" is not an integer -2..2")
        }
        let copies = Int(try field("copies")) ?? 1
        let labels = DocumentLabels(topic: topic, toxicity: toxicity, conflict: conflictText == "1", emotion: emotion,
                                    valence: Double(valence) / 2, confidence: 1)
        return Item(input: LabelInput(id: id, kind: kind, text: text, postTitle: nil, contentHash: SHA256.hex(SHA256.digest(text))),
                    submolt: try field("submolt"), copies: max(copies, 1), labels: labels)
    }

    private static func invalid(_ path: String, line: Int, _ reason: String) -> MoltscopeError {
        MoltscopeError(.input, "annotated set \(path), line \(line): \(reason)",
                       remedy: "fix the file (format in data/labels/CODEBOOK.md) or point toxicity_label.annotations at another")
    }
}
