import Foundation
import NIOConcurrencyHelpers
import Vapor

extension Application {
    private struct ClockKey: StorageKey { typealias Value = NIOLockedValueBox<@Sendable () -> Date> }

    /// The time deadlines, overdue work and forecasts are judged by; tests and the demo pin it.
    var now: @Sendable () -> Date {
        get { self.storage[ClockKey.self]?.withLockedValue { $0 } ?? { Date() } }
        set {
            if let box = self.storage[ClockKey.self] { box.withLockedValue { $0 = newValue } } else { self.storage[ClockKey.self] = NIOLockedValueBox(newValue) }
        }
    }
}
