import Foundation
import MoltscopeCore
import Testing

struct ClockTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_769_823_242.703, "2026-01-31T01:34:02.703Z"),
        (951_782_400.5, "2000-02-29T00:00:00.500Z"),
        (4_102_444_799.999, "2099-12-31T23:59:59.999Z"),
    ])
    func formatsUTCWithMilliseconds(seconds: Double, expected: String) {
        #expect(Clock.iso(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func agreesWithFoundationsFormatter() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for seconds in stride(from: 1_700_000_000.0, to: 1_800_000_000.0, by: 7_654_321.125) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Clock.iso(date) == formatter.string(from: date))
        }
    }
}
