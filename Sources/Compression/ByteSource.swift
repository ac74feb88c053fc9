#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pull-based stream of bytes, delivered in chunks. Readers of compressed data and line readers are built on
/// it, so a multi-gigabyte file is never held in memory whole.
public protocol ByteSource: AnyObject {
    /// The next chunk of bytes, or `nil` at the end of the stream. Chunks are never empty.
    func nextChunk() throws -> [UInt8]?
    /// A name for error messages, usually the file path.
    var name: String { get }
}

/// Bytes of an open file descriptor (a regular file, a pipe or standard input), read in chunks of `chunkSize`.
public final class FileByteSource: ByteSource {
    public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let chunkSize: Int
    private var finished = false

    /// Opens `path` for reading; `"-"` means standard input.
    public init(path: String, chunkSize: Int = 1 << 20) throws {
        self.chunkSize = chunkSize
        if path == "-" {
            name = "<stdin>"
            descriptor = 0
            ownsDescriptor = false
        } else {
            name = path
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                throw CompressionError.io(source: path, reason: "cannot open: \(String(cString: strerror(errno)))")
            }
            ownsDescriptor = true
            var info = stat()
            if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(descriptor)
                throw CompressionError.io(source: path, reason: "is a directory, not a file")
            }
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func nextChunk() throws -> [UInt8]? {
        if finished { return nil }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var filled = 0
        // Fill the whole chunk unless the stream ends: pipes deliver short reads.
        while filled < chunkSize {
            let got = chunk.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + filled, chunkSize - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw CompressionError.io(source: name, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if got == 0 { finished = true; break }
            filled += got
        }
        if filled == 0 { return nil }
        if filled < chunkSize { chunk.removeSubrange(filled...) }
        return chunk
    }
}

/// Bytes already in memory, delivered as one chunk.
public final class MemoryByteSource: ByteSource {
    public let name: String
    private var bytes: [UInt8]?

    public init(_ bytes: [UInt8], name: String = "<memory>") {
        self.bytes = bytes.isEmpty ? nil : bytes
        self.name = name
    }

    public func nextChunk() throws -> [UInt8]? {
        defer { bytes = nil }
        return bytes
    }
}

/// Replays one chunk that was read ahead (e.g. to sniff a file's magic bytes), then continues with `rest`.
final class PrefixedByteSource: ByteSource {
    private var prefix: [UInt8]?
    private let rest: ByteSource
    var name: String { rest.name }

    init(prefix: [UInt8]?, rest: ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func nextChunk() throws -> [UInt8]? {
        if let chunk = prefix {
            prefix = nil
            return chunk
        }
        return try rest.nextChunk()
    }
}
