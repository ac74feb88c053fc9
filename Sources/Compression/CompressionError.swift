/// What can go wrong while reading compressed or archived data. Every case names the source (usually a file
/// path) and, where it helps, the byte offset in the *compressed* input where the problem was found.
public enum CompressionError: Error, Equatable, CustomStringConvertible {
    /// The input ended before the format said it would.
    case truncated(source: String, offset: Int)
    /// The bytes do not follow the format (bad header, invalid Huffman code, distance too far back, …).
    case corrupt(source: String, offset: Int, reason: String)
    /// A stored checksum or length does not match the decoded data.
    case checksumMismatch(source: String, what: String)
    /// A feature of the format this reader does not implement (e.g. a zip compression method).
    case unsupported(source: String, reason: String)
    /// Reading from the operating system failed.
    case io(source: String, reason: String)
    /// A line is not valid UTF-8 text.
    case invalidText(source: String, line: Int)
    /// An archive has no entry of that name.
    case missingEntry(source: String, name: String)
    /// A line is longer than a line reader accepts (binary data, or a decompression bomb without line breaks).
    case lineTooLong(source: String, line: Int, limit: Int)

    public var description: String {
        switch self {
        case .truncated(let source, let offset):
            return "\(source): unexpected end of compressed data at byte \(offset)"
        case .corrupt(let source, let offset, let reason):
            return "\(source): corrupt data at byte \(offset): \(reason)"
        case .checksumMismatch(let source, let what):
            return "\(source): \(what) does not match the data (file damaged?)"
        case .unsupported(let source, let reason):
            return "\(source): unsupported: \(reason)"
        case .io(let source, let reason):
            return "\(source): \(reason)"
        case .invalidText(let source, let line):
            return "\(source):\(line): line is not valid UTF-8 text"
        case .missingEntry(let source, let name):
            return "\(source): archive has no entry named '\(name)'"
        case .lineTooLong(let source, let line, let limit):
            return "\(source):\(line): line longer than \(limit) bytes (not a text file?)"
        }
    }
}
