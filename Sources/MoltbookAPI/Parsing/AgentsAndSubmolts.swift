extension MoltbookParser {
    /// An agent object (a post's author, a comment's author, a profile). Returns the count and
    /// timestamp problems found too, for the enclosing record's flags.
    static func agent(from object: JSONObject) -> (agent: APIAgent, flags: RecordFlags) {
        var fields = FieldReader(object)
        let agent = APIAgent(
            id: fields.text(.id), name: fields.text(.name), description: fields.text(.description),
            karma: fields.count(.karma), followerCount: fields.count(.followerCount),
            followingCount: fields.count(.followingCount), isClaimed: fields.bool(.isClaimed),
            isActive: fields.bool(.isActive), createdAt: fields.optionalTimestamp(.createdAt),
            lastActive: fields.optionalTimestamp(.lastActive))
        return (agent, fields.flags)
    }

    /// A submolt object; nil when it has no name, the submolt's key.
    static func submolt(from object: JSONObject) -> (submolt: APISubmolt, flags: RecordFlags)? {
        guard let name = object.string(.name), !name.isEmpty else { return nil }
        var fields = FieldReader(object)
        let submolt = APISubmolt(
            id: fields.text(.id), name: name, displayName: fields.text(.displayName),
            description: fields.text(.description), subscriberCount: fields.count(.subscriberCount),
            createdAt: fields.optionalTimestamp(.createdAt))
        return (submolt, fields.flags)
    }

    /// A submolt that must be readable: in a list of submolts or a submolt's own page.
    static func requiredSubmolt(_ value: Any?, what: String) throws -> APISubmolt {
        guard let object = value as? JSONObject else {
            throw ParseError("\(what) is \(jsonKind(value)), expected an object")
        }
        guard let submolt = submolt(from: object) else { throw ParseError("\(what) has no `name`") }
        return submolt.submolt
    }
}
