import Compression
import Foundation

/// A stream of text lines read one at a time, so that files of millions of lines are never held whole.
///
/// `Compression.LineReader` (plain or gzip files, standard input) conforms; `LineSources.open` opens one.
/// Tests use `MemoryLineSource`.
public protocol LineSource: AnyObject {
    /// A name for error messages, usually the file path.
    var name: String { get }
    /// The 1-based number of the line most recently returned (0 before the first).
    var lineNumber: Int { get }
    /// Calls `body` with the bytes of the next line (without its line end, `\r\n` or `\n`), or returns nil at
    /// the end of the input. The buffer is only valid during the call.
    func withNextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R?
}

/// Lines of text held in memory.
public final class MemoryLineSource: LineSource {
    public let name: String
    public private(set) var lineNumber = 0
    private let bytes: [UInt8]
    private var position = 0

    public init(_ text: String, name: String = "<memory>") {
        self.bytes = Array(text.utf8)
        self.name = name
    }

    public init(bytes: [UInt8], name: String) {
        self.bytes = bytes
        self.name = name
    }

    public func withNextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R? {
        guard position < bytes.count else { return nil }
        return try bytes.withUnsafeBufferPointer { buffer in
            var end = position
            while end < buffer.count, buffer[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > position, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let start = position
            position = end + 1
            lineNumber += 1
            return try body(UnsafeBufferPointer(rebasing: buffer[start..<lineEnd]))
        }
    }
}

extension Compression.LineReader: LineSource {}

/// Opening line sources by path.
public enum LineSources {
    /// The lines of a file, streamed; gzip files (recognised by their magic number, not their name) are
    /// decompressed on the fly. `-` reads standard input.
    /// - Throws: `DatasetError` naming the path if it cannot be opened. Errors while reading (a damaged gzip
    ///   stream …) surface as `CompressionError` from `withNextLine`, naming the file.
    public static func open(_ path: String) throws -> LineSource {
        do {
            return try Compression.LineReader(path: path)
        } catch let error as CompressionError {
            throw DatasetError(error.description)
        }
    }
}
