/// Writing JSON with members in the order given: request bodies are then the same bytes on every
/// platform and every run (JSONSerialization's output differs across Foundation versions), which
/// keeps server-side prompt caches warm and the prompt fingerprint stable.
extension StrictJSON {
    var text: String {
        var output: [UInt8] = []
        write(into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    func write(into output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                EmbeddingTransport.jsonString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                item.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text):
            EmbeddingTransport.jsonString(text, into: &output)
        case .number(let value, _):
            // Whole numbers without ".0"; others in Swift's shortest round-trip form.
            let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
            output.append(contentsOf: Array(text.utf8))
        case .bool(let value):
            output.append(contentsOf: Array((value ? "true" : "false").utf8))
        case .null:
            output.append(contentsOf: Array("null".utf8))
        }
    }

    static func int(_ value: Int) -> StrictJSON { .number(Double(value), integral: true) }
    static func strings(_ values: [String]) -> StrictJSON { .array(values.map(StrictJSON.string)) }
    static func ints(_ values: [Int]) -> StrictJSON { .array(values.map(StrictJSON.int)) }
}
