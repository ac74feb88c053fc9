import Foundation
import TensorIO

/// Replacing a whole directory so that a reader never sees it half-written.
///
/// `replace(at:)` writes the new contents into a sibling `.NAME.tmp` directory, then swaps it in: the old
/// directory is renamed to `.NAME.old`, the new one to `NAME`, and the old one removed. A crash leaves either the
/// old or the new directory under `NAME` — or, between the two renames, only `.NAME.old`, which `existing(at:)`
/// falls back to. Every file of the new directory, the directory itself and, after the renames, its parent are
/// fsynced (`DurableFile`), so a power loss leaves the same two outcomes.
public enum AtomicDirectory {
    static func temporary(_ url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
    }

    static func old(_ url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).old")
    }

    /// Writes a fresh directory with `write` (given the directory to fill) and puts it at `url`.
    public static func replace(at url: URL, write: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let tmp = temporary(url), old = old(url)
        try? fm.removeItem(at: tmp)
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        do {
            try write(tmp)
            try DurableFile.syncTree(tmp)  // the new contents are on disk before any rename
        } catch {
            try? fm.removeItem(at: tmp)
            throw error
        }
        try? fm.removeItem(at: old)
        if fm.fileExists(atPath: url.path) { try fm.moveItem(at: url, to: old) }
        try fm.moveItem(at: tmp, to: url)
        try DurableFile.syncDirectory(url.deletingLastPathComponent())  // and so are the renames
        try? fm.removeItem(at: old)
    }

    /// `url` if it exists, else the `.old` copy a crash mid-swap may have left, else nil.
    public static func existing(at url: URL) -> URL? {
        let fm = FileManager.default
        if fm.fileExists(atPath: url.path) { return url }
        let old = old(url)
        return fm.fileExists(atPath: old.path) ? old : nil
    }
}
