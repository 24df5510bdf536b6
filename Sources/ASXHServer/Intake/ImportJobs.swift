import Foundation
import Vapor

/// Progress of one running import, as a page shows it.
struct ImportProgress: Sendable, Codable {
    var rowsRead: Int = 0
    /// Share of the file read so far (0…1), when the reader can tell.
    var fraction: Double?
}

/// Imports started from the web page run in the background; this remembers their progress for the progress page.
/// It lives in memory: an import's durable record is its `SourceList`, written when the import commits.
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
    }

    private var jobs: [UUID: Job] = [:]

    func start(fileName: String, owner: User) -> UUID {
        let id = UUID()
        self.jobs[id] = Job(ownerID: owner.id, fileName: fileName, state: .running(ImportProgress()))
        return id
    }

    func update(_ id: UUID, _ state: State) {
        self.jobs[id]?.state = state
    }

    func job(_ id: UUID) -> Job? { self.jobs[id] }
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
