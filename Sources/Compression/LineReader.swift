/// Reads text one line at a time from a `ByteSource`, never holding more than one chunk plus one line.
///
/// Lines end at `\n`; a `\r` before it is removed. A final line without a newline is returned too; the empty
/// "line" after a trailing newline is not. Line numbers start at 1 and name the line last returned, for error
/// messages of the form `file:line: problem`. A line longer than `maximumLineLength` bytes is an error
/// (`lineTooLong`), so that binary input or a gzip bomb without line breaks cannot exhaust the memory.
public final class LineReader {
    /// The default longest line: 256 MiB (a text line of data is a few kilobytes at most).
    public static let defaultMaximumLineLength = 1 << 28

    public let source: ByteSource
    /// The longest line accepted, in bytes (line end excluded).
    public let maximumLineLength: Int
    /// The number of the line most recently returned (0 before the first).
    public private(set) var lineNumber = 0
    private var chunk: [UInt8] = []
    private var position = 0
    private var carry: [UInt8] = []
    private var exhausted = false

    public init(source: ByteSource, maximumLineLength: Int = LineReader.defaultMaximumLineLength) {
        self.source = source
        self.maximumLineLength = maximumLineLength
    }

    /// Opens a text file, transparently decompressing it when it is gzip (detected by its magic number, not its
    /// name). `"-"` reads standard input.
    public convenience init(path: String) throws {
        let file = try FileByteSource(path: path)
        let first = try file.nextChunk()
        let replay = PrefixedByteSource(prefix: first, rest: file)
        if let first, GzipReader.isGzip(first) {
            self.init(source: GzipReader(source: replay))
        } else {
            self.init(source: replay)
        }
    }

    /// The name used in error messages (the file path).
    public var name: String { source.name }

    /// Calls `body` with the bytes of the next line (without the line end), or returns `false` at the end of the
    /// input. The buffer is only valid during the call. This is the allocation-free path for hot loops.
    public func withNextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R? {
        while true {
            let found: Int? = chunk.withUnsafeBufferPointer { buffer in
                guard position < buffer.count else { return nil }
                var k = position
                while k < buffer.count {
                    if buffer[k] == 0x0A { return k }
                    k += 1
                }
                return nil
            }
            if let newline = found {
                lineNumber += 1
                let length = carry.count + (newline - position)
                if length > maximumLineLength {
                    let last = newline > position ? chunk[newline - 1] : carry.last
                    try checkLength(length - (last == 0x0D ? 1 : 0))
                }
                if carry.isEmpty {
                    let start = position
                    position = newline + 1
                    return try chunk.withUnsafeBufferPointer { buffer in
                        try body(Self.trimmingCR(UnsafeBufferPointer(rebasing: buffer[start..<newline])))
                    }
                }
                carry.append(contentsOf: chunk[position..<newline])
                position = newline + 1
                defer { carry.removeAll(keepingCapacity: true) }
                return try carry.withUnsafeBufferPointer { try body(Self.trimmingCR($0)) }
            }
            // No newline in the rest of this chunk: keep the partial line and load the next chunk.
            if position < chunk.count { carry.append(contentsOf: chunk[position...]) }
            if carry.count > maximumLineLength + 1 {  // + 1: a `\r` before the `\n` to come
                lineNumber += 1
                try checkLength(carry.count)
            }
            position = 0
            chunk = []
            if !exhausted, let next = try source.nextChunk() {
                chunk = next
                continue
            }
            exhausted = true
            if carry.isEmpty { return nil }
            lineNumber += 1
            try checkLength(carry.count - (carry.last == 0x0D ? 1 : 0))
            defer { carry.removeAll(keepingCapacity: true) }
            return try carry.withUnsafeBufferPointer { try body(Self.trimmingCR($0)) }
        }
    }

    /// The next line as a `String`, or `nil` at the end of the input.
    /// - Throws: `invalidText` (with the line number) when the line is not valid UTF-8.
    public func nextLine() throws -> String? {
        let result: String?? = try withNextLine { bytes in String(validating: bytes, as: UTF8.self) }
        guard let line = result else { return nil }
        guard let text = line else { throw CompressionError.invalidText(source: name, line: lineNumber) }
        return text
    }

    /// Throws `lineTooLong` for line `lineNumber` when `length` (line end excluded) exceeds the maximum.
    private func checkLength(_ length: Int) throws {
        if length > maximumLineLength {
            throw CompressionError.lineTooLong(source: name, line: lineNumber, limit: maximumLineLength)
        }
    }

    private static func trimmingCR(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        if let last = bytes.last, last == 0x0D { return UnsafeBufferPointer(rebasing: bytes.dropLast()) }
        return bytes
    }
}
