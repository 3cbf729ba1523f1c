/// Counts of (true class, predicted class) and the scores read from them, as scikit-learn's
/// `classification_report`: macro averages run over the classes present in the truth or the
/// predictions.
public struct ConfusionMatrix: Sendable, Equatable {
    public let classes: Int
    /// counts[truth * classes + predicted]
    public private(set) var counts: [Int]

    public init(classes: Int) {
        self.classes = classes
        counts = [Int](repeating: 0, count: classes * classes)
    }

    public init(classes: Int, truth: [Int], predicted: [Int]) {
        precondition(truth.count == predicted.count, "one prediction per truth needed")
        self.init(classes: classes)
        for (t, p) in zip(truth, predicted) { add(truth: t, predicted: p) }
    }

    public mutating func add(truth: Int, predicted: Int) {
        counts[truth * classes + predicted] += 1
    }

    public mutating func add(_ other: ConfusionMatrix) {
        precondition(other.classes == classes, "confusion matrices of different sizes")
        for i in counts.indices { counts[i] += other.counts[i] }
    }

    public subscript(truth: Int, predicted: Int) -> Int { counts[truth * classes + predicted] }

    public var total: Int { counts.reduce(0, +) }

    public func support(_ c: Int) -> Int { (0..<classes).reduce(0) { $0 + self[c, $1] } }

    public func predictedCount(_ c: Int) -> Int { (0..<classes).reduce(0) { $0 + self[$1, c] } }

    public var accuracy: Double {
        total == 0 ? 0 : Double((0..<classes).reduce(0) { $0 + self[$1, $1] }) / Double(total)
    }

    public func precision(_ c: Int) -> Double {
        let predicted = predictedCount(c)
        return predicted == 0 ? 0 : Double(self[c, c]) / Double(predicted)
    }

    public func recall(_ c: Int) -> Double {
        let support = support(c)
        return support == 0 ? 0 : Double(self[c, c]) / Double(support)
    }

    public func f1(_ c: Int) -> Double {
        let p = precision(c), r = recall(c)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// Classes that occur in the truth or the predictions.
    public var presentClasses: [Int] { (0..<classes).filter { support($0) > 0 || predictedCount($0) > 0 } }

    public var macroF1: Double {
        let present = presentClasses
        return present.isEmpty ? 0 : present.reduce(0) { $0 + f1($1) } / Double(present.count)
    }

    public var weightedF1: Double {
        total == 0 ? 0 : (0..<classes).reduce(0) { $0 + f1($1) * Double(support($1)) } / Double(total)
    }

    /// Cohen's kappa: agreement beyond what the two marginal distributions give by chance.
    public var cohenKappa: Double {
        let n = Double(total)
        guard n > 0 else { return 0 }
        let chance = (0..<classes).reduce(0.0) { $0 + Double(support($1)) * Double(predictedCount($1)) } / (n * n)
        return chance >= 1 ? 1 : (accuracy - chance) / (1 - chance)
    }
}
