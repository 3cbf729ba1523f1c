/// Nice ticks for a horizontal axis: as many as one per 100 units, fewer while their labels would not fit
/// side by side (level labels never overlap).
struct FittedTicks {
    let ticks: NiceTicks
    /// The tick values drawn (with `inside`, only those within `min...max`).
    let values: [Double]
    let labels: [String]

    /// `inside`: keep the axis at `min...max` (histogram bins) instead of widening it to whole steps.
    init(min: Double, max: Double, width: Double, format: ValueFormat, minStep: Double = 0, inside: Bool = false) {
        var target = Swift.max(2, Int(width / 100))
        while true {
            let ticks = NiceTicks(min: min, max: max, target: target, minStep: minStep)
            let values = inside ? ticks.values.filter { $0 >= min - ticks.step * 1e-9 && $0 <= max + ticks.step * 1e-9 } : ticks.values
            let labels = format.tickLabels(values, step: ticks.step)
            let widest = labels.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0
            if inside && values.count < 2 {
                // A range too narrow for two nice ticks: label its ends.
                self.ticks = ticks
                self.values = min < max ? [min, max] : [min]
                self.labels = self.values.map { format.string($0) }
                return
            }
            if target <= 2 || Double(labels.count) * (widest + 14) <= width {
                self.ticks = ticks
                self.values = values
                self.labels = labels
                return
            }
            target -= 1
        }
    }
}
