import Foundation

/// A one-line progress report on stderr — items done, rate and, when the total is known, percentage and ETA —
/// redrawn in place at most every half second. Only when stderr is a terminal: logs and pipes stay clean.
final class ProgressLine {
    private let label: String
    private let total: Int?
    private let start = Date()
    private var last = Date.distantPast
    private let enabled: Bool
    private var drawn = false

    init(_ label: String, total: Int? = nil) {
        self.label = label
        self.total = total
        enabled = isatty(STDERR_FILENO) != 0
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.5 || done == total else { return }
        last = now
        let elapsed = max(now.timeIntervalSince(start), 1e-9)
        let rate = Double(done) / elapsed
        var text = "\(label): \(done)"
        if let total, total > 0 {
            text += "/\(total) (\(100 * done / total) %)"
            if rate > 0, done < total { text += ", ETA \(Self.duration(Double(total - done) / rate))" }
        }
        text += String(format: ", %.1f/s", rate)
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        drawn = true
    }

    /// Ends the line (call once at the end).
    func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
