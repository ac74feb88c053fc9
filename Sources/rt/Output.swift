import ArgumentParser
import Foundation
import TensorIO
import Tensors

// How every verb writes: results to stdout (buffered), messages to stderr, one `--format` vocabulary, one JSON
// and one CSV quoting rule.

/// Output formats: `text` (for people), `csv` (RFC 4180, with a header row) and `json`. Verbs that print one
/// result per input line print one JSON object per line; verbs that print one report print one JSON document.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, json
}

/// Buffered writing to standard output (millions of lines must not mean millions of system calls): bytes are
/// collected and written with one `fwrite` per MiB, and at `flush()` or when the buffer goes away.
final class StandardOutputBuffer {
    /// The bytes not yet written (hot loops append to it directly).
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1 << 20) }

    func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Appends `text` and a newline, flushing when the buffer is full.
    func writeLine(_ text: String) {
        append(text)
        bytes.append(0x0A)
        flushIfFull()
    }

    func flushIfFull() {
        if bytes.count >= 1 << 20 { flush() }
    }

    func flush() {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
        bytes.removeAll(keepingCapacity: true)
        fflush(stdout)
    }

    deinit { flush() }
}

/// The line-at-a-time face of `StandardOutputBuffer` (a value to keep in a `var`), used by `rt chem props` and
/// `rt chem similar`.
struct OutputBuffer {
    private let buffer = StandardOutputBuffer()

    mutating func writeLine(_ s: String) { buffer.writeLine(s) }

    mutating func flush() { buffer.flush() }
}

/// Writes to standard error (messages, progress, summaries; never results).
struct StandardError {
    func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}

/// Writes one line to standard error.
func printError(_ text: String) {
    StandardError().write(text + "\n")
}

/// A JSON string literal.
func jsonString(_ text: String) -> String { JSONText.quoted(text) }

/// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}
