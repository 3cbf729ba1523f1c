/// Depths of a flattened comment list. A reply nested in `replies` sits one below its enclosing
/// comment. A list entry (a flat `/comments` list, or a top-level comment) sits one below its
/// `parentId` when that is in the list; at 1 when the parent is missing (deleted or beyond the
/// cap); at 0 without a parent. Parent chains may point forward in the list and may loop: a loop
/// is cut where it is found, as if the parent were missing, so every depth is finite.
enum CommentDepths {
    static func compute(ids: [String], parentIds: [String?], enclosing: [Int?]) -> [Int] {
        var indexOfId: [String: Int] = [:]
        indexOfId.reserveCapacity(ids.count)
        for (index, id) in ids.enumerated() where indexOfId[id] == nil { indexOfId[id] = index }

        let unknown = -1
        let onPath = -2
        var depths = [Int](repeating: unknown, count: ids.count)
        var path: [Int] = []
        for start in ids.indices where depths[start] == unknown {
            // Climb until a known depth, a root, or a missing or looping parent; then assign downwards.
            path.removeAll(keepingCapacity: true)
            var current = start
            var depthAbovePath: Int
            while true {
                path.append(current)
                depths[current] = onPath
                let next: Int?
                if let parent = enclosing[current] {
                    next = parent
                } else if let parentId = parentIds[current] {
                    guard let parent = indexOfId[parentId] else { depthAbovePath = 0; break }
                    next = parent
                } else {
                    depthAbovePath = -1
                    break
                }
                guard let next, depths[next] != onPath else { depthAbovePath = 0; break }
                if depths[next] >= 0 {
                    depthAbovePath = depths[next]
                    break
                }
                current = next
            }
            var depth = depthAbovePath
            for index in path.reversed() {
                depth += 1
                depths[index] = depth
            }
        }
        return depths
    }
}
