import GRDB

/// Fills `report_figures`: each published figure of methods.md beside ours, computed by its
/// query over the report's (and earlier stages') tables.
enum ReportFigures {
    static func write(_ db: Database) throws -> Int {
        let insert = try db.makeStatement(sql: """
            INSERT INTO report_figures(position, section, measure, description, ours, ours_text, published, published_text,
                                       difference, n, source, study)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (position, spec) in PublishedFigures.all.enumerated() {
            let row = try Row.fetchOne(db, sql: spec.sql)
            let ours: Double? = row?[0]
            let n: Int? = row?[1]
            let text: String? = row.flatMap { $0.count > 2 ? $0[2] : nil }
            try insert.execute(arguments: [position + 1, spec.section, spec.measure, spec.description, ours, text, spec.published,
                                           spec.publishedText, difference(ours, spec), n, spec.source, spec.study])
        }
        return PublishedFigures.all.count
    }

    static func difference(_ ours: Double?, _ spec: FigureSpec) -> Double? {
        guard let ours else { return nil }
        if let range = spec.publishedRange {
            return ours < range.lowerBound ? ours - range.lowerBound : ours > range.upperBound ? ours - range.upperBound : 0
        }
        return spec.published.map { ours - $0 }
    }
}
