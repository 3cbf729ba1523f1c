import Foundation
import Testing

/// The report's export folders of two runs hold the same files with the same contents, apart
/// from the provenance lines that carry the times of the runs, and the databases' own folders.
enum ExportComparison {
    /// `folders`: each run's database folder, shown in its exports, both read as `<folder>`.
    /// Returns whether they are the same.
    @discardableResult
    static func expectSame(reference: URL, resumed: URL, folders: (String, String)) throws -> Bool {
        let expected = try files(under: reference)
        let actual = try files(under: resumed)
        #expect(!expected.isEmpty, "no exports in \(reference.path)")
        #expect(expected.sorted() == actual.sorted(), "export files differ")
        var same = !expected.isEmpty && expected.sorted() == actual.sorted()
        for file in expected where actual.contains(file) {
            let a = try comparable(reference.appendingPathComponent(file), folder: folders.0)
            let b = try comparable(resumed.appendingPathComponent(file), folder: folders.1)
            #expect(a == b, "export \(file) differs: \(firstDifference(a, b))")
            same = same && a == b
        }
        return same
    }

    static func files(under root: URL) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var paths: [String] = []
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            paths.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
        }
        return paths
    }

    /// The file's lines, without the provenance lines holding when stages ran and data was read.
    static func comparable(_ url: URL, folder: String) throws -> [String] {
        // The page shows the database's absolute path, the notebook its path relative to itself.
        let name = URL(fileURLWithPath: folder).lastPathComponent
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self).replacingOccurrences(of: folder, with: "<folder>")
            .replacingOccurrences(of: "../\(name)/", with: "../<folder>/")
        return text.components(separatedBy: "\n").filter { line in
            !(line.range(of: timestamp, options: .regularExpression) != nil && provenance.contains { line.contains($0) })
        }
    }

    static let timestamp = #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"#
    /// Labels of ReportProvenance's items with times (and the run id beside "report computed").
    static let provenance = ["report computed", "last completed", "data fetched"]

    static func firstDifference(_ a: [String], _ b: [String]) -> String {
        guard let index = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else { return "\(a.count) lines against \(b.count)" }
        return "line \(index + 1): \(a[index].prefix(200)) | \(b[index].prefix(200))"
    }
}
