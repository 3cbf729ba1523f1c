/// Cross-validation folds that keep each class's share about equal in every fold (as
/// scikit-learn's StratifiedKFold with shuffling): each class's examples, shuffled with the
/// seed, are dealt to the folds in turn.
public enum StratifiedFolds {
    /// The fold (0..<folds) of every example.
    public static func assign(labels: [Int], folds: Int, seed: UInt64) -> [Int] {
        precondition(folds >= 2, "cross-validation needs at least two folds")
        var random = SeededRandom(seed: seed)
        var fold = [Int](repeating: 0, count: labels.count)
        var next = 0
        for label in Set(labels).sorted() {
            let members = labels.indices.filter { labels[$0] == label }
            for index in random.sample(members.count, of: members.count) {
                fold[members[index]] = next % folds
                next += 1
            }
        }
        return fold
    }
}
