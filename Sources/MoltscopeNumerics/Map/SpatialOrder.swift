/// Points in Z-order (Morton order) of their 2-D positions: visiting them so makes consecutive
/// Barnes-Hut walks cover the same cells, which stay in cache once the tree outgrows it.
enum SpatialOrder {
    /// Indices of the points (x, y interleaved) sorted by the interleaved bits of their
    /// coordinates quantised to 16 bits within the bounding box.
    static func zOrder(_ positions: [Float], into order: inout [Int32]) {
        let n = positions.count / 2
        var lowX = Float.infinity, lowY = Float.infinity, highX = -Float.infinity, highY = -Float.infinity
        for i in 0..<n {
            lowX = min(lowX, positions[2 * i]); highX = max(highX, positions[2 * i])
            lowY = min(lowY, positions[2 * i + 1]); highY = max(highY, positions[2 * i + 1])
        }
        let scaleX = highX > lowX ? 65535 / (highX - lowX) : 0, scaleY = highY > lowY ? 65535 / (highY - lowY) : 0
        var keyed = [UInt64](repeating: 0, count: n)
        for i in 0..<n {
            let x = UInt32((positions[2 * i] - lowX) * scaleX), y = UInt32((positions[2 * i + 1] - lowY) * scaleY)
            keyed[i] = UInt64(spread(x) << 1 | spread(y)) << 32 | UInt64(i)
        }
        keyed.sort()
        if order.count != n { order = [Int32](repeating: 0, count: n) }
        for (rank, key) in keyed.enumerated() { order[rank] = Int32(truncatingIfNeeded: key) }
    }

    /// The 16 low bits of `value` moved to the even bit positions.
    private static func spread(_ value: UInt32) -> UInt32 {
        var v = value & 0xFFFF
        v = (v | (v << 8)) & 0x00FF_00FF
        v = (v | (v << 4)) & 0x0F0F_0F0F
        v = (v | (v << 2)) & 0x3333_3333
        v = (v | (v << 1)) & 0x5555_5555
        return v
    }
}
