#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered stdout writer for line-oriented verbs (one `fwrite` per 64 KiB); a value-type sibling of
/// `StandardOutputBuffer`, used by `rt chem props` and `rt chem similar`.
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
