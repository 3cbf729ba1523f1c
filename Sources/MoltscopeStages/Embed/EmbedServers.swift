import Foundation
import MoltscopeCore

/// Which model servers the `[embed]` section names: one at `embed.url`, several at `embed.urls`,
/// or none (moltscope starts `embed.server.command` itself).
enum EmbedServers: Equatable {
    case managed
    case single(String)
    case pool([String])

    /// Reads `embed.url` and `embed.urls`; the list is checked here because the config loader
    /// only knows it as a list of strings.
    static func from(_ config: PipelineConfig) throws -> EmbedServers {
        let urls = config.list("embed.urls")
        let url = config.string("embed.url")
        if url != nil && !urls.isEmpty {
            throw MoltscopeError(.config, "embed.url and embed.urls are both set",
                                 remedy: "keep one: embed.urls for several servers, embed.url for one")
        }
        if let url { return .single(url) }
        guard !urls.isEmpty else { return .managed }
        var seen = Set<String>()
        for url in urls {
            guard isHTTPURL(url) else {
                throw MoltscopeError(.config, "embed.urls: \"\(EndpointText.withoutCredentials(url))\" is not an http(s) URL",
                                     remedy: "list full endpoints, e.g. [\"http://gpu1:8000/v1/embeddings\", \"http://gpu2:8000/v1/embeddings\"]")
            }
            guard seen.insert(url).inserted else {
                throw MoltscopeError(.config, "embed.urls lists \(EndpointText.withoutCredentials(url)) twice",
                                     remedy: "list each server once")
            }
        }
        // One server is a pool of one: the same draining, and the same messages.
        return .pool(urls)
    }

    /// Requests in flight: `embed.concurrency` when set, else one per server (a server computes
    /// one request at a time, so more only queues there).
    static func concurrency(_ config: PipelineConfig) -> Int {
        if case .int(let value)? = config.value("embed.concurrency") { return value }
        return max(1, config.list("embed.urls").count)
    }

    private static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return (scheme == "http" || scheme == "https") && !(url.host ?? "").isEmpty
    }
}
