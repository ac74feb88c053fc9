#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams text lines from a file or stdin with C stdio (`getline`), so arbitrarily large inputs are processed
/// without being loaded whole. Lines are returned without their terminator.
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    private var buffer: UnsafeMutablePointer<CChar>? = nil
    private var capacity = 0

    /// `path == nil` or `"-"` reads stdin.
    init(path: String?) throws {
        if let path, path != "-" {
            guard let f = fopen(path, "r") else {
                throw LineIOError("cannot open '\(path)': \(String(cString: strerror(errno)))")
            }
            file = f
            ownsFile = true
        } else {
            file = stdin
            ownsFile = false
        }
    }

    deinit {
        free(buffer)
        if ownsFile { fclose(file) }
    }

    func next() -> String? {
        let n = getline(&buffer, &capacity, file)
        guard n >= 0, let buffer else { return nil }
        var len = n
        while len > 0 && (buffer[len - 1] == 10 || buffer[len - 1] == 13) { len -= 1 }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: len) {
            String(decoding: UnsafeBufferPointer(start: $0, count: len), as: UTF8.self)
        }
    }
}

/// Buffered stdout writer (one `fwrite` per 64 KiB).
struct OutputBuffer {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1 << 16) }

    mutating func writeLine(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        bytes.append(10)
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
        fflush(stdout)
        bytes.removeAll(keepingCapacity: true)
    }
}

struct LineIOError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
