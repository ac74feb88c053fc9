import ArgumentParser

/// The input lines a line-oriented verb (`rt tokenize`, `rt chem validate|canonical|to-selfies|to-smiles`) could
/// not handle. Such verbs print one output line per input line — `error: <reason>` for a failed one — and go on;
/// at the end the summary on stderr names the first failure as `<file>:<line>: <reason>`, and the exit status
/// is 1 (`ExitStatus.failure`). Only the count and the first failure are kept, whatever the input's size.
struct LineFailures {
    private(set) var count = 0
    private(set) var first: (line: Int, reason: String)?

    mutating func record(line: Int, reason: String) {
        count += 1
        if first == nil { first = (line, reason) }
    }

    /// ` (first: <file>:<line>: <reason>)`, or nothing when every line succeeded.
    func firstFailure(in source: String) -> String {
        guard let first else { return "" }
        return " (first: \(source):\(first.line): \(first.reason))"
    }

    /// Ends the verb with exit status 1 when some line failed.
    func exitIfAny() throws {
        if count > 0 { throw ExitCode(ExitStatus.failure) }
    }
}
