/// Where the planted events sit in the stream of posts: a handful of post positions, so the
/// generator can stream every other post without remembering any.
struct SynthSchedule {
    enum Slot: Equatable {
        /// Member `member` of flood `flood`.
        case flood(Int, member: Int)
        /// The first use of the meme by adopter `index` (in adoption order).
        case adoption(Int)
        /// Viral agent `index`'s viral post.
        case viral(Int)
    }

    private(set) var slots: [Int: Slot] = [:]

    init(posts: Int, floodSizes: [Int], adopters: Int, viral: Int) {
        // Floods spread over the run, the meme adopted steadily from 10% to 90% of it, viral
        // posts in the first half so the drift afterwards has room to show.
        for (flood, size) in floodSizes.enumerated() {
            let desired = posts * (2 + 3 * flood) / 10
            let start = place(from: desired, length: size, posts: posts)
            for member in 0..<size { slots[start + member] = .flood(flood, member: member) }
        }
        var earliest = 0
        for index in 0..<adopters {
            let desired = max(earliest, posts / 10 + posts * 8 * index / (10 * max(adopters, 1)))
            let at = place(from: desired, length: 1, posts: posts)
            slots[at] = .adoption(index)
            earliest = at + 1   // adoption order is the order in the stream
        }
        for index in 0..<viral {
            slots[place(from: posts * (30 + 5 * index) / 100, length: 1, posts: posts)] = .viral(index)
        }
    }

    subscript(position: Int) -> Slot? { slots[position] }

    /// The first position at or after `from` with `length` free positions (wrapping to 0).
    private func place(from: Int, length: Int, posts: Int) -> Int {
        var start = from
        while true {
            if start + length > posts { start = 0 }
            if (start..<start + length).allSatisfy({ slots[$0] == nil }) { return start }
            start += 1
        }
    }
}
