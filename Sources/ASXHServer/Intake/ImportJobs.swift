import Foundation
import Vapor

/// Progress of one running import, as a page shows it.
struct ImportProgress: Sendable, Codable {
    var rowsRead: Int = 0
    /// Share of the file read so far (0…1), when the reader can tell.
    var fraction: Double?
}

/// Imports started from the web page run in the background; this remembers their progress for the progress page.
/// It lives in memory: an import's durable record is its `SourceList`, written when the import commits. A
/// finished job is forgotten after `keepFinished` (its page then says "not found"; the list page stays).
actor ImportJobs {
    enum State: Sendable {
        case running(ImportProgress)
        case finished(ListImportSummary)
        case failed(vi: String, en: String)
    }

    struct Job: Sendable {
        var ownerID: UUID?
        var fileName: String
        var state: State
        var finishedAt: Date?
    }

    private var jobs: [UUID: Job] = [:]
    let keepFinished: TimeInterval
    private let now: @Sendable () -> Date

    init(keepFinished: TimeInterval = 3600, now: @escaping @Sendable () -> Date = { Date() }) {
        self.keepFinished = keepFinished
        self.now = now
    }

    /// Imports running at once, city-wide: each holds a database connection and about 80 MiB.
    static let maxRunning = 4

    /// A new job's ID, or nil when `maxRunning` imports are already running.
    func start(fileName: String, owner: User) -> UUID? {
        self.evictFinished()
        let running = self.jobs.values.filter { if case .running = $0.state { return true } else { return false } }.count
        guard running < Self.maxRunning else { return nil }
        let id = UUID()
        self.jobs[id] = Job(ownerID: owner.id, fileName: fileName, state: .running(ImportProgress()))
        return id
    }

    func update(_ id: UUID, _ state: State) {
        // Progress reports can arrive after the end; a finished job stays finished.
        guard let job = self.jobs[id], job.finishedAt == nil else { return }
        self.jobs[id]?.state = state
        if case .running = state { return }
        self.jobs[id]?.finishedAt = self.now()
    }

    /// Jobs held in memory (running ones and recently finished ones).
    var count: Int { self.jobs.count }

    func evictFinished() {
        let cutoff = self.now().addingTimeInterval(-self.keepFinished)
        self.jobs = self.jobs.filter { _, job in job.finishedAt.map { $0 > cutoff } ?? true }
    }

    func job(_ id: UUID) -> Job? {
        self.evictFinished()
        return self.jobs[id]
    }
}

extension Application {
    private struct ImportJobsKey: StorageKey {
        typealias Value = ImportJobs
    }

    /// Set once in `configure`, before any request can read it.
    var importJobs: ImportJobs {
        get { self.storage[ImportJobsKey.self]! }
        set { self.storage[ImportJobsKey.self] = newValue }
    }
}
