/// RFC 4180 CSV: fields separated by commas, records by CRLF or LF, fields quoted with `"` when
/// they hold commas, quotes (doubled) or line breaks. Enough for the annotated set, strict
/// enough to name the line of a broken file.
enum CSVRecords {
    struct Failure: Error {
        var line: Int
        var reason: String
    }

    /// Every record with the line it starts on; blank lines are skipped.
    static func parse(_ text: String) throws -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false, afterQuote = false, fieldStarted = false
        var line = 1, recordLine = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            if fieldStarted || !fields.isEmpty { fields.append(field); records.append((recordLine, fields)) }
            fields = []
            field = ""
            fieldStarted = false
            afterQuote = false
        }
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    if let next = scalars.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; afterQuote = true; pending = next }
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
                fieldStarted = true
            case "\r":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            case "\"":
                guard field.isEmpty, !afterQuote else { throw Failure(line: line, reason: "a quote inside an unquoted field") }
                quoted = true
                fieldStarted = true
            default:
                if afterQuote { throw Failure(line: line, reason: "text after a closing quote") }
                if !fieldStarted { recordLine = line }
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        if quoted { throw Failure(line: recordLine, reason: "a quoted field is never closed") }
        endRecord()
        return records
    }
}
