import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only file descriptor with plain `read`/`pread`: no Foundation buffering between the disk and the parsers.
final class RawFile {
    let path: String
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw TabularFileError.unreadable(path: path, reason: "là thư mục / is a directory")
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw TabularFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        self.descriptor = descriptor
    }

    deinit {
        close(self.descriptor)
    }

    /// Fills `buffer` from the current position as far as the file goes; returns the byte count, 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try self.fill(buffer) { pointer, count, done in Foundation.read(self.descriptor, pointer, count) }
    }

    /// Fills `buffer` from `offset` without moving the current position.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try self.fill(buffer) { pointer, count, done in pread(self.descriptor, pointer, count, off_t(offset + done)) }
    }

    private func fill(
        _ buffer: UnsafeMutableRawBufferPointer,
        _ call: (UnsafeMutableRawPointer, Int, Int) -> Int
    ) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = call(base + done, buffer.count - done, done)
            if n < 0 {
                if errno == EINTR { continue }
                throw TabularFileError.unreadable(path: self.path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            done += n
        }
        return done
    }
}
