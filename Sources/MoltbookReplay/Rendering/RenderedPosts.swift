/// Every post's list/detail JSON in the played era, rendered once at start: list pages and
/// details are then only copies of bytes, in every era (the camelCase eras too).
struct RenderedPosts: Sendable {
    private let json: [ArraySlice<UInt8>]

    init(_ index: CaptureIndex, renderer: EraRenderer) {
        json = index.posts.map { post in
            // Era A serves the capture's own bytes; the other eras rewrite the parsed post.
            renderer.era == .a ? post.rawPost : JSONWriter.encode(renderer.post(post.post))[...]
        }
    }

    subscript(postIndex: Int) -> JSONValue {
        .encoded(json[postIndex])
    }
}
