/// Answers one request from the capture, in the shapes of the era being played.
struct ReplayRouter: Sendable {
    static let prefix = "/api/v1"

    let index: CaptureIndex
    let era: ReplayEra
    private let render: EraRenderer
    private let renderedPosts: RenderedPosts

    init(index: CaptureIndex, era: ReplayEra) {
        self.index = index
        self.era = era
        render = EraRenderer(era: era)
        renderedPosts = RenderedPosts(index, renderer: render)
    }

    /// `overlapItems` is set when the overlap fault hit this request.
    func respond(to request: ReplayRequest, overlapItems: Int? = nil) -> ReplayResponse {
        guard request.path.hasPrefix(Self.prefix + "/") else { return ErrorBodies.htmlNotFound() }
        let parts = request.path.dropFirst(Self.prefix.count).split(separator: "/").map(String.init)
        guard request.method == "GET" else {
            return error(405, "Method not allowed", hint: "The replay server only answers GET", request)
        }
        switch (parts.first, parts.count) {
        case ("posts", 1):
            return postList(request, overlapItems: overlapItems)
        case ("posts", 2):
            return postDetail(id: parts[1], request)
        case ("posts", 3) where parts[2] == "comments":
            return comments(postID: parts[1], request)
        case ("submolts", 1):
            return submoltList(request, overlapItems: overlapItems)
        case ("submolts", 2):
            return submoltDetail(name: parts[1], request)
        case ("submolts", 3) where parts[2] == "feed":
            return submoltFeed(name: parts[1], request, overlapItems: overlapItems)
        case ("agents", 2) where parts[1] == "profile":
            return agentProfile(request)
        default:
            return ErrorBodies.htmlNotFound()
        }
    }

    // MARK: - Posts

    private func postList(_ request: ReplayRequest, overlapItems: Int?) -> ReplayResponse {
        postPage(index.order(PostSort(query: request.query["sort"])), request, overlapItems: overlapItems)
    }

    /// One page of `order` (indices of posts) in the era's list shape.
    private func postPage(_ order: [Int], _ request: ReplayRequest, overlapItems: Int?) -> ReplayResponse {
        let page: PageRequest
        if era.usesCursors {
            do {
                page = try PageRequest.cursors(request.query)
            } catch {
                return self.error(400, "Invalid cursor", hint: "Pass the next_cursor of the previous page", request)
            }
        } else {
            page = PageRequest.offsets(request.query, overlapItems: overlapItems)
        }
        let window = page.window(total: order.count)
        let posts = JSONValue.array(order[window].map { renderedPosts[$0] })
        let hasMore = window.upperBound < order.count
        var members = [JSONMember("success", .bool(true)), JSONMember("posts", posts)]
        if era.usesCursors {
            members.append(JSONMember("has_more", .bool(hasMore)))
            members.append(JSONMember("next_cursor",
                                      hasMore ? .string(PageRequest.cursor(forOffset: window.upperBound)) : .null))
        } else {
            members.append(JSONMember("count", .int(order.count)))
            members.append(JSONMember("has_more", .bool(hasMore)))
            members.append(JSONMember("next_offset", .int(window.upperBound)))
        }
        return ReplayResponse(json: .object(members))
    }

    private func postDetail(id: String, _ request: ReplayRequest) -> ReplayResponse {
        guard let postIndex = index.postIndexByID[id] else { return postNotFound(request) }
        if era == .a {
            // The captured response itself, with its comment tree.
            return ReplayResponse(status: 200, contentType: "application/json; charset=utf-8",
                                  body: Array(index.posts[postIndex].body))
        }
        return ReplayResponse(json: .object([
            JSONMember("success", .bool(true)),
            JSONMember("post", renderedPosts[postIndex]),
        ]))
    }

    private func comments(postID: String, _ request: ReplayRequest) -> ReplayResponse {
        guard let post = index.post(id: postID) else { return postNotFound(request) }
        if era == .a {
            return ReplayResponse(json: .object([
                JSONMember("success", .bool(true)),
                JSONMember("comments", .encoded(post.rawComments)),
                JSONMember("count", .int(post.commentTotal)),
            ]))
        }
        // The tree was validated at load, so it parses.
        let flat = render.flatComments((try? post.parsedComments()) ?? [])
        return ReplayResponse(json: .object([
            JSONMember("success", .bool(true)),
            JSONMember("comments", .array(flat)),
            JSONMember("count", .int(flat.count)),
        ]))
    }

    private func postNotFound(_ request: ReplayRequest) -> ReplayResponse {
        error(404, "Post not found", hint: "The post may have been deleted, or the id is wrong", request)
    }

    // MARK: - Submolts

    private func submoltList(_ request: ReplayRequest, overlapItems: Int?) -> ReplayResponse {
        let all = index.submolts.all
        // Submolt lists stay offset pages in every era.
        let window = PageRequest.offsets(request.query, overlapItems: overlapItems).window(total: all.count)
        let hasMore = window.upperBound < all.count
        return ReplayResponse(json: .object([
            JSONMember("success", .bool(true)),
            JSONMember("submolts", .array(all[window].map { render.record($0.listing) })),
            JSONMember("count", .int(all.count)),
            JSONMember("has_more", .bool(hasMore)),
            JSONMember("next_offset", .int(window.upperBound)),
        ]))
    }

    private func submoltDetail(name: String, _ request: ReplayRequest) -> ReplayResponse {
        guard let submolt = index.submolts.submolt(named: name) else { return submoltNotFound(request) }
        let newest = submolt.posts.prefix(PageRequest.defaultLimit).map { renderedPosts[$0] }
        return ReplayResponse(json: .object([
            JSONMember("success", .bool(true)),
            JSONMember("submolt", render.record(submolt.listing)),
            JSONMember("your_role", .null),
            JSONMember("posts", .array(newest)),
        ]))
    }

    private func submoltFeed(name: String, _ request: ReplayRequest, overlapItems: Int?) -> ReplayResponse {
        guard let submolt = index.submolts.submolt(named: name) else { return submoltNotFound(request) }
        let members = Set(submolt.posts)
        let order = index.order(PostSort(query: request.query["sort"])).filter(members.contains)
        return postPage(order, request, overlapItems: overlapItems)
    }

    private func submoltNotFound(_ request: ReplayRequest) -> ReplayResponse {
        error(404, "Submolt not found", hint: "Check the submolt name", request)
    }

    // MARK: - Agents

    private func agentProfile(_ request: ReplayRequest) -> ReplayResponse {
        guard let name = request.query["name"], let agent = index.agents.agent(named: name) else {
            return error(404, "Agent not found", hint: "Check the agent name", request)
        }
        // As the real profile shows them: without the author, the submolt by name only.
        let recent = agent.posts.prefix(PageRequest.defaultLimit).map { postIndex -> JSONValue in
            var post = index.posts[postIndex].post.removing("author")
            if let submolt = index.posts[postIndex].submoltName {
                post = post.setting("submolt", .object([JSONMember("name", .string(submolt))]))
            }
            return render.post(post)
        }
        return ReplayResponse(json: .object([
            JSONMember("success", .bool(true)),
            JSONMember("agent", render.record(agent.profile)),
            JSONMember("recentPosts", .array(recent)),
        ]))
    }

    // MARK: - Errors

    func error(_ status: Int, _ message: String, hint: String, _ request: ReplayRequest) -> ReplayResponse {
        ErrorBodies.apiError(status: status, message: message, hint: hint, path: request.path, era: era)
    }
}
