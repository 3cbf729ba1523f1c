/// Turns the capture's era-A records into the shapes of the era being played: camelCase keys in
/// eras B and C, and era C's quirks on top.
struct EraRenderer: Sendable {
    let era: ReplayEra

    /// A post as list pages and details show it (the capture's `post` object has no comments),
    /// or one trimmed by the server: snake_case in, the era's shape out.
    func post(_ post: JSONValue) -> JSONValue {
        switch era {
        case .a: return post
        case .b: return KeyCase.camelized(post)
        case .c: return EraCQuirks.post(KeyCase.camelized(post))
        }
    }

    /// One comment of a flat list: without `replies`, with `parent_id` taken from the tree.
    func flatComment(_ comment: JSONValue, parentID: String?) -> JSONValue {
        let flat = comment.removing("replies").setting("parent_id", .optionalString(parentID))
        switch era {
        case .a: return flat
        case .b: return KeyCase.camelized(flat)
        case .c: return EraCQuirks.comment(KeyCase.camelized(flat))
        }
    }

    /// Any other record (submolt, agent).
    func record(_ value: JSONValue) -> JSONValue {
        switch era {
        case .a: return value
        case .b: return KeyCase.camelized(value)
        case .c: return EraCQuirks.timestamps(KeyCase.camelized(value))
        }
    }

    /// A comment tree as a flat pre-order list, each comment naming its parent.
    func flatComments(_ tree: [JSONValue]) -> [JSONValue] {
        var flat: [JSONValue] = []
        func visit(_ comments: [JSONValue], parentID: String?) {
            for comment in comments {
                flat.append(flatComment(comment, parentID: parentID))
                visit(comment["replies"]?.arrayValue ?? [], parentID: comment["id"]?.stringValue)
            }
        }
        visit(tree, parentID: nil)
        return flat
    }
}
