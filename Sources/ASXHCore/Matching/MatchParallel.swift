import Dispatch
import Foundation

/// Runs independent pieces of work on all cores and collects their results in order.
enum MatchParallel {
    static var workerCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `body(i)` for every i in 0..<count, concurrently; results in index order.
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        guard count > 1 else { return count == 1 ? [body(0)] : [] }
        let buffer = UnsafeMutablePointer<T?>.allocate(capacity: count)
        buffer.initialize(repeating: nil, count: count)
        defer {
            buffer.deinitialize(count: count)
            buffer.deallocate()
        }
        let slots = MatchUnsafeSlots(buffer)
        withoutActuallyEscaping(body) { body in
            let work = MatchUnsafeBox(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                slots.pointer[i] = work.value(i)
            }
        }
        return (0..<count).map { buffer[$0]! }
    }

    /// Calls `body` on consecutive chunks of 0..<count, concurrently (a few chunks per core).
    static func forChunks(_ count: Int, _ body: (Range<Int>) -> Void) {
        let chunks = count < 4096 ? 1 : self.workerCount * 4
        _ = self.map(chunks) { c in body(count * c / chunks..<count * (c + 1) / chunks) }
    }

    /// The array of `element(i)` for i in 0..<count, computed concurrently; `element` only reads shared state.
    static func array<T>(_ count: Int, _ element: (Int) -> T) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                let out = MatchUnsafeSlots(buffer.baseAddress!)
                self.forChunks(count) { range in
                    for i in range { (out.pointer + i).initialize(to: element(i)) }
                }
            }
            initialized = count
        }
    }

    /// Splits 0..<count into batches handed out to `workerCount` workers as they free up; each worker keeps
    /// its own state from `makeState` (scratch buffers, caches) across its batches.
    static func forEachBatch<State>(
        count: Int, batchSize: Int, makeState: () -> State, _ body: (inout State, Range<Int>) -> Void
    ) {
        let workers = min(self.workerCount, max(1, (count + batchSize - 1) / batchSize))
        let next = MatchCounter()
        withoutActuallyEscaping(makeState) { makeState in
            withoutActuallyEscaping(body) { body in
                let make = MatchUnsafeBox(makeState)
                let work = MatchUnsafeBox(body)
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    var state = make.value()
                    while true {
                        let start = next.take(batchSize)
                        if start >= count { break }
                        work.value(&state, start..<min(count, start + batchSize))
                    }
                }
            }
        }
    }
}

/// A value handed to concurrent workers that only read it or that write disjoint parts of it.
final class MatchUnsafeBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A pointer whose elements concurrent workers write at distinct indices.
struct MatchUnsafeSlots<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// A shared counter handing out batch starts.
final class MatchCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(_ amount: Int) -> Int {
        self.lock.lock()
        defer { self.lock.unlock() }
        let start = self.value
        self.value += amount
        return start
    }
}
