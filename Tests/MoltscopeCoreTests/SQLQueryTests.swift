import Foundation
import GRDB
import MoltscopeCore
import Testing

@Suite("Read-only SQL")
struct SQLQueryTests {
    /// A results database (WAL, as a run leaves it) with one table `t` of awkward values.
    final class Fixture {
        let directory: URL
        let path: String
        private(set) var store: ResultsStore?

        init() throws {
            directory = try makeTemporaryDirectory("moltscope-sql")
            path = directory.appendingPathComponent("results.sqlite").path
            store = try ResultsStore(path: path, migrations: [StoreMigration("t") { db in
                try db.execute(sql: """
                    CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB);
                    INSERT INTO t VALUES (1, 'plain', 1.5, NULL);
                    INSERT INTO t VALUES (2, 'comma, "quote"' || char(10) || 'newline', NULL, x'00ff10');
                    INSERT INTO t VALUES (3, 'héllo 🦞 日本', -2.0, x'');
                    INSERT INTO t VALUES (4, NULL, 0.25, NULL);
                    """)
            }])
        }

        /// Closes the writer, as when `moltscope sql` runs after a run has finished.
        func closeWriter() { store = nil }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func query(_ sql: String, maxRows: Int = 1_000_000) throws -> SQLQuery.Result {
            try SQLQuery.run(sql, databasePath: path, maxRows: maxRows)
        }

        func error(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> MoltscopeError {
            let error = try #require(throws: MoltscopeError.self, sourceLocation: sourceLocation) {
                try SQLQuery.run(sql, databasePath: path)
            }
            #expect(!error.description.contains("\n"), "one line: \(error)", sourceLocation: sourceLocation)
            return error
        }

        func rowCount() throws -> Int {
            let result = try query("SELECT count(*) FROM t")
            let value = try #require(result.rows.first?.first)
            return try #require(Int.fromDatabaseValue(value))
        }
    }

    @Test func selectReturnsColumnsAndRows() throws {
        let db = try Fixture()
        let result = try db.query("SELECT id, name FROM t ORDER BY id")
        #expect(result.columns == ["id", "name"])
        #expect(result.rows.count == 4)
        #expect(result.rows[0] == [1.databaseValue, "plain".databaseValue])
        #expect(result.rows[3][1].isNull)
        #expect(try db.query("SELECT * FROM t", maxRows: 2).rows.count == 2)
        #expect(try db.query("WITH x AS (SELECT 41 + 1 AS v) SELECT v FROM x").rows == [[42.databaseValue]])
    }

    @Test func queriesWorkAfterTheWriterClosed() throws {
        let db = try Fixture()
        db.closeWriter()
        #expect(try db.rowCount() == 4)
    }

    @Test func writesAreRefusedAndTheDataIsUnchanged() throws {
        let db = try Fixture()
        for sql in ["INSERT INTO t(id, name) VALUES (9, 'x')", "DELETE FROM t", "UPDATE t SET name = 'y'",
                    "DROP TABLE t", "CREATE TABLE u (x)", "ALTER TABLE t ADD COLUMN z"] {
            let error = try db.error(sql)
            #expect(error.description.contains("only reads"), "\(sql): \(error)")
        }
        // Statements that SQLite may not call writes must fail too, one way or another.
        for sql in ["PRAGMA user_version = 7", "PRAGMA journal_mode = DELETE", "SELECT 1; DELETE FROM t",
                    "VACUUM", "REINDEX"] {
            #expect(throws: (any Error).self, "\(sql)") { try db.query(sql) }
        }
        // Attaching cannot create a database file either.
        let attached = db.directory.appendingPathComponent("new.sqlite").path
        _ = try? db.query("ATTACH DATABASE '\(attached)' AS other")
        #expect(!FileManager.default.fileExists(atPath: attached))

        #expect(try db.rowCount() == 4)
        #expect(try db.query("SELECT name FROM t WHERE id = 1").rows == [["plain".databaseValue]])
        #expect(try db.query("PRAGMA user_version").rows == [[0.databaseValue]])
        #expect(try db.query("SELECT journal_mode FROM pragma_journal_mode").rows == [["wal".databaseValue]])
        // Reading pragmas stay available for looking at the schema.
        #expect(try db.query("PRAGMA table_info(t)").rows.count == 4)
    }

    @Test func sqlErrorsAreOneLine() throws {
        let db = try Fixture()
        let syntax = try db.error("SELEC * FROM t")
        #expect(syntax.kind == .usage)
        #expect(syntax.description.contains("SQL error"))
        #expect(syntax.description.contains("syntax error"))

        let table = try db.error("SELECT * FROM nope")
        #expect(table.description.contains("no such table: nope"))
        #expect(table.description.contains("sqlite_master"))

        let column = try db.error("SELECT missing FROM t")
        #expect(column.description.contains("no such column: missing"))
    }

    @Test func missingDatabaseFileIsAUsageError() throws {
        let error = #expect(throws: MoltscopeError.self) {
            try SQLQuery.run("SELECT 1", databasePath: "/nonexistent-moltscope/results.sqlite")
        }
        #expect(error?.kind == .usage)
        #expect(error?.description.contains("no results database at /nonexistent-moltscope/results.sqlite") == true)
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent-moltscope/results.sqlite"))
    }

    // MARK: Rendering

    @Test func tableRendering() throws {
        let db = try Fixture()
        let text = try db.query("SELECT id, name, score FROM t WHERE id IN (1, 4) ORDER BY id").render(.table)
        #expect(text == """
            id  name   score
            --  -----  -----
             1  plain    1.5
             4  NULL    0.25
            (2 rows)
            """)
        #expect(try db.query("SELECT 1 AS one").render(.table).hasSuffix("(1 row)"))
        #expect(try db.query("SELECT id FROM t WHERE id > 100").render(.table) == "id\n--\n(0 rows)")

        // Newlines are flattened, long values cut with an ellipsis, blobs summarised.
        let wide = try db.query("SELECT name, data, printf('%.100c', 'x') AS long FROM t WHERE id = 2").render(.table)
        let lines = wide.components(separatedBy: "\n")
        #expect(lines.count == 4)
        #expect(lines[2].hasPrefix("comma, \"quote\" newline  <blob 3 bytes>  "))
        #expect(lines[2].hasSuffix(String(repeating: "x", count: 59) + "…"))
    }

    @Test func csvQuotesCommasQuotesAndNewlines() throws {
        let db = try Fixture()
        let csv = try db.query("SELECT id, name, score, data FROM t ORDER BY id").render(.csv)
        #expect(csv == """
            id,name,score,data
            1,plain,1.5,
            2,"comma, ""quote""
            newline",,<blob 3 bytes>
            3,héllo 🦞 日本,-2.0,<blob 0 bytes>
            4,,0.25,
            """)
        let header = try db.query("SELECT 1 AS \"a,b\", 2 AS \"c\"\"d\"").render(.csv)
        #expect(header == "\"a,b\",\"c\"\"d\"\n1,2")
        #expect(try db.query("SELECT 'a' || char(13) || 'b' AS v").render(.csv) == "v\n\"a\rb\"")
    }

    @Test func jsonKeepsColumnOrderNullsAndBlobs() throws {
        let db = try Fixture()
        let json = try db.query("SELECT score, name, id, data FROM t ORDER BY id").render(.json)
        let lines = json.components(separatedBy: "\n")
        #expect(lines.count == 4)
        #expect(lines[0] == #"[{"score":1.5,"name":"plain","id":1,"data":null},"#)
        #expect(lines[1] == #"{"score":null,"name":"comma, \"quote\"\nnewline","id":2,"data":"AP8Q"},"#)
        #expect(lines[2] == #"{"score":-2.0,"name":"héllo 🦞 日本","id":3,"data":""},"#)
        #expect(lines[3] == #"{"score":0.25,"name":null,"id":4,"data":null}]"#)

        // It is valid JSON with the same values.
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(parsed.count == 4)
        #expect(parsed[1]["name"] as? String == "comma, \"quote\"\nnewline")
        #expect(parsed[2]["name"] as? String == "héllo 🦞 日本")
        #expect(parsed[0]["data"] is NSNull)
        #expect(parsed[1]["data"] as? String == Data([0x00, 0xFF, 0x10]).base64EncodedString())

        #expect(try db.query("SELECT id FROM t WHERE id > 100").render(.json) == "[]")
        let control = try db.query("SELECT 'a' || char(9) || char(1) || '\\' AS \"k\"\"ey\"").render(.json)
        #expect(control == #"[{"k\"ey":"a\t\u0001\\"}]"#)
        #expect(try JSONSerialization.jsonObject(with: Data(control.utf8)) is [[String: Any]])
    }

    @Test func unicodeSurvivesEveryFormat() throws {
        let db = try Fixture()
        let result = try db.query("SELECT name AS \"名前\" FROM t WHERE id = 3")
        #expect(result.columns == ["名前"])
        #expect(result.rows == [["héllo 🦞 日本".databaseValue]])
        #expect(result.render(.csv) == "名前\nhéllo 🦞 日本")
        #expect(result.render(.json) == #"[{"名前":"héllo 🦞 日本"}]"#)
        #expect(result.render(.table).contains("héllo 🦞 日本"))
        #expect(try db.query("SELECT length(name) FROM t WHERE id = 3").rows == [[10.databaseValue]])
    }
}

@Suite struct SecretRedactionTests {
    @Test func wholeAndCutOffSecretsAreRemoved() {
        let secret = "moltbook_sk_ABCDEFGH12345678"
        #expect(SecretRedaction.redact("said Bearer \(secret) back", secret: secret) == "said Bearer <redacted> back")
        #expect(SecretRedaction.redact("cut: Bearer moltbook_sk_ABC…", secret: secret) == "cut: Bearer <redacted>…")
        #expect(SecretRedaction.redact("keys look like moltbook_sk_…", secret: secret) == "keys look like moltbook_sk_…")
        #expect(SecretRedaction.redact("\(secret)\(secret)", secret: secret) == "<redacted><redacted>")
        #expect(SecretRedaction.redact("moltbook is a site", secret: secret) == "moltbook is a site", "a few characters of it are not the secret")
        #expect(SecretRedaction.redact("abc", secret: "abc") == "abc", "secrets under 4 characters are not searched for")
    }

    @Test func aWholeBodyLosesTheSecretAlsoWhereJSONEscapedIt() {
        let secret = "sk/ABCDEFGH\"12345678"
        // As JSON encoders write it: the quote always escaped, the slash as it is or escaped.
        let body = Data(#"{"a": "sk/ABCDEFGH\"12345678", "b": "sk\/ABCDEFGH\"12345678", "c": "x"}"#.utf8)
        #expect(String(decoding: SecretRedaction.redact(body, secret: secret), as: UTF8.self)
                == #"{"a": "<redacted>", "b": "<redacted>", "c": "x"}"#)
        let clean = Data(#"{"c": "sk/ABCD"}"#.utf8)
        #expect(SecretRedaction.redact(clean, secret: secret) == clean)
        #expect(SecretRedaction.redact(Data("abcabc".utf8), secret: "abc") == Data("abcabc".utf8))
    }
}
