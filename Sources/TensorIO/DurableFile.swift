#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif
import Foundation

/// Writing files so that a crash or a power loss leaves either the old or the new version, never a torn one.
///
/// A rename is atomic for readers, but without `fsync` the kernel may persist the rename before the file's data:
/// after a power loss the new name can point at an empty or partial file. So every replacement here is
///
/// 1. write a temporary file beside the destination, `fsync` it;
/// 2. `rename` it over the destination;
/// 3. `fsync` the directory, so the rename itself is on disk.
///
/// `AtomicDirectory` does the same for whole directories (checkpoints, model folders) with `syncTree`.
public enum DurableFile {
    /// Writes `data` to `url` durably: temporary file, `fsync`, rename, `fsync` of the directory.
    /// - Throws: `FileError` naming the file; the destination is then unchanged.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure("cannot create", temporary) }
        var ok = true
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; ok = false; return }
                offset += n
            }
        }
        if ok { ok = fsync(fd) == 0 }
        let error = errno
        close(fd)
        guard ok else {
            unlink(temporary.path)
            throw FileError(path: url.path, "cannot write (\(String(cString: strerror(error))))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let e = failure("cannot rename into place", url)
            unlink(temporary.path)
            throw e
        }
        try syncDirectory(directory)
    }

    /// `fsync` of one file or directory.
    /// - Throws: `FileError` naming it.
    public static func sync(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw failure("cannot open to sync", url) }
        defer { close(fd) }
        // Some file systems refuse fsync on directories (EINVAL): nothing more can be done there.
        guard fsync(fd) == 0 || errno == EINVAL else { throw failure("cannot sync", url) }
    }

    /// `fsync` of a directory (so that renames and new entries in it are on disk).
    public static func syncDirectory(_ url: URL) throws { try sync(url) }

    /// `fsync` of every regular file below `directory`, then of every directory, deepest first.
    public static func syncTree(_ directory: URL) throws {
        let fm = FileManager.default
        var directories = [directory]
        if let walker = fm.enumerator(at: directory, includingPropertiesForKeys: [.isDirectoryKey, .isRegularFileKey]) {
            for case let item as URL in walker {
                let values = try? item.resourceValues(forKeys: [.isDirectoryKey, .isRegularFileKey])
                if values?.isDirectory == true { directories.append(item) } else if values?.isRegularFile == true { try sync(item) }
            }
        }
        for d in directories.reversed() { try syncDirectory(d) }
    }

    static func failure(_ what: String, _ url: URL) -> FileError {
        FileError(path: url.path, "\(what) (\(String(cString: strerror(errno))))")
    }
}
