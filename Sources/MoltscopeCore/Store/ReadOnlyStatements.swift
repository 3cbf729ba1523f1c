/// Statements SQLite calls read-only (they write nothing to the file) that still change the
/// connection `moltscope sql` reads through: pragma settings (`query_only = 0`,
/// `writable_schema = ON`) and ATTACH/DETACH.
enum ReadOnlyStatements {
    /// Pragmas that take an argument only to say what to read.
    static let readingPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_info", "index_xinfo", "index_list", "foreign_key_list",
        "foreign_key_check", "integrity_check", "quick_check", "function_list", "pragma_list", "collation_list",
    ]

    static func changesTheConnection(_ sql: String) -> Bool {
        let words = sql.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
        guard let first = words.first else { return false }
        if first == "attach" || first == "detach" { return true }
        guard first == "pragma", words.count >= 2 else { return false }
        var name = String(words[1])
        // `PRAGMA main.user_version = 1`: the schema name comes first.
        if words.count >= 3, let dot = sql.firstIndex(of: "."), sql[..<dot].lowercased().hasSuffix(name) { name = String(words[2]) }
        let hasArgument = sql.contains("=") || sql.contains("(")
        return hasArgument && !readingPragmas.contains(name)
    }
}
