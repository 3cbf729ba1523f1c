import GRDB
struct ReportHTML {
    init(db: Database, provenance: ReportProvenance, mapPoints: Int, tableRows: Int) throws {}
    func render() throws -> String { "" }
}
