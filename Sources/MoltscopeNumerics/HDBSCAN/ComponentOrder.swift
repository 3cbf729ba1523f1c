/// Rows grouped by component (then by point), so that every component is one contiguous range
/// of rows and a block of one component can be multiplied against the others only.
struct ComponentOrder {
    /// Component `c` holds rows `start[c]..<start[c + 1]`.
    let start: [Int]
    /// Per row: its component and its squared core distance.
    let rowComponent: [Int32]
    let rowCoreSquared: [Float]

    /// Reorders `rows` by `component` (dense numbers `0..<componentCount`).
    init(component: [Int32], componentCount: Int, coreSquared: [Float], rows: inout CenteredRows) {
        var start = [Int](repeating: 0, count: componentCount + 1)
        for c in component { start[Int(c) + 1] += 1 }
        for c in 0..<componentCount { start[c + 1] += start[c] }
        var order = [Int32](repeating: 0, count: component.count)
        var fill = start
        for (point, c) in component.enumerated() {
            order[fill[Int(c)]] = Int32(point)
            fill[Int(c)] += 1
        }
        rows.reorder(order)
        self.start = start
        rowComponent = order.map { component[Int($0)] }
        rowCoreSquared = order.map { coreSquared[Int($0)] }
    }

    func size(of component: Int) -> Int { start[component + 1] - start[component] }
}
