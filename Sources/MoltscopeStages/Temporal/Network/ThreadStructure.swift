/// How conversations are shaped: each comment's depth (1 for an answer to the post), each
/// thread's deepest comment, and the comments nobody answered (published: mean depth 1.07,
/// 93.5% unanswered).
struct ThreadStructure: Sendable {
    /// Comments per depth (index 0 unused).
    var commentDepths: [Int]
    /// Posts per deepest comment depth (0: no comment).
    var threadDepths: [Int]
    var comments: Int
    var unanswered: Int

    var meanCommentDepth: Double? {
        comments > 0 ? Double(commentDepths.enumerated().reduce(0) { $0 + $1.offset * $1.element }) / Double(comments) : nil
    }

    var unansweredShare: Double? { comments > 0 ? Double(unanswered) / Double(comments) : nil }

    init(_ records: SocietyRecords) {
        var depth = [Int32](repeating: 0, count: records.count)
        var answered = [Bool](repeating: false, count: records.count)
        // Parents may come later in time order (clock skew), so depths are resolved by walking up.
        func resolve(_ i: Int) -> Int32 {
            var chain: [Int] = []
            var current = i
            while !records.isPost[current], depth[current] == 0 {
                chain.append(current)
                let parent = Int(records.parent[current])
                // A missing parent makes a top-level comment; the length guard stops a cycle.
                guard parent >= 0, chain.count <= 100_000 else { current = -1; break }
                current = parent
            }
            var base: Int32 = current < 0 || records.isPost[current] ? 0 : depth[current]
            for node in chain.reversed() {
                base += 1
                depth[node] = base
            }
            return depth[i]
        }
        var deepest = [Int32](repeating: 0, count: records.count)
        var comments = 0
        for i in 0..<records.count where !records.isPost[i] {
            comments += 1
            let d = resolve(i)
            let parent = Int(records.parent[i])
            if parent >= 0, !records.isPost[parent] { answered[parent] = true }
            let post = Int(records.post[i])
            if post >= 0 { deepest[post] = max(deepest[post], d) }
        }
        let maxDepth = Int(depth.max() ?? 0)
        commentDepths = [Int](repeating: 0, count: maxDepth + 1)
        threadDepths = [Int](repeating: 0, count: maxDepth + 1)
        var unanswered = 0
        for i in 0..<records.count {
            if records.isPost[i] {
                threadDepths[Int(deepest[i])] += 1
            } else {
                commentDepths[Int(depth[i])] += 1
                if !answered[i] { unanswered += 1 }
            }
        }
        self.comments = comments
        self.unanswered = unanswered
    }
}
