import Foundation
import MoltscopeNumerics

/// MoltNet's contagion dimension: is conflict catching? Each comparison splits labelled comments
/// by what they answer or follow, conflictual or calm, and compares the conflictual share of the
/// two groups, with Wilson 95% intervals for each share and Newcombe's for the difference.
struct ConflictContagion {
    struct Group: Sendable, Equatable {
        var comments = 0
        var conflictual = 0
        var share: Double? { comments > 0 ? Double(conflictual) / Double(comments) : nil }
        var interval: Proportions.Interval? { Proportions.wilson(conflictual, comments) }

        mutating func add(_ conflict: Int8) {
            comments += 1
            if conflict == 1 { conflictual += 1 }
        }
    }

    struct Comparison: Sendable, Equatable {
        var name: String
        var description: String
        /// Comments after or under conflict, and after or under calm.
        var exposed = Group()
        var calm = Group()
        var publishedExposed: Double?
        var publishedCalm: Double?

        var difference: Double? {
            guard let a = exposed.share, let b = calm.share else { return nil }
            return a - b
        }
        var differenceInterval: Proportions.Interval? {
            Proportions.difference(exposed.conflictual, exposed.comments, calm.conflictual, calm.comments)
        }
        var riskRatio: Double? {
            guard let a = exposed.share, let b = calm.share, b > 0 else { return nil }
            return a / b
        }
    }

    static func run(_ records: SocietyRecords) -> [Comparison] {
        var underPost = Comparison(name: "under_post",
                                   description: "comments under a conflictual post vs under a calm post",
                                   publishedExposed: 0.146, publishedCalm: 0.052)
        var afterFirst = Comparison(name: "after_first_comment",
                                    description: "later comments of a thread whose first comment is conflictual vs calm",
                                    publishedExposed: 0.116, publishedCalm: 0.030)
        var replies = Comparison(name: "reply_to_comment",
                                 description: "replies to a conflictual comment vs replies to a calm comment")
        let none = SocietyRecords.noLabel
        // The first labelled comment of each post; records are in time order.
        var firstComment = [Int32](repeating: -1, count: records.count)
        for i in 0..<records.count where !records.isPost[i] && records.conflict[i] != none {
            let post = records.post[i]
            guard post >= 0 else { continue }
            let conflict = records.conflict[i]
            if records.conflict[Int(post)] != none {
                if records.conflict[Int(post)] == 1 { underPost.exposed.add(conflict) } else { underPost.calm.add(conflict) }
            }
            if firstComment[Int(post)] < 0 {
                firstComment[Int(post)] = Int32(i)
            } else {
                let first = Int(firstComment[Int(post)])
                if records.conflict[first] == 1 { afterFirst.exposed.add(conflict) } else { afterFirst.calm.add(conflict) }
            }
            let parent = records.parent[i]
            if parent >= 0, !records.isPost[Int(parent)], records.conflict[Int(parent)] != none {
                if records.conflict[Int(parent)] == 1 { replies.exposed.add(conflict) } else { replies.calm.add(conflict) }
            }
        }
        return [underPost, afterFirst, replies]
    }
}
