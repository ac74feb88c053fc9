import Foundation

/// `metrics.jsonl`: one JSON object per line, appended as training goes — `{"event": "train", "step": …}` every
/// `logging_steps`, `{"event": "eval", …}` after every validation, `{"event": "checkpoint", …}` when one is
/// written. Every line has `step` (optimizer steps done); keys are sorted.
///
/// Resuming from a checkpoint at step `s` first drops every line with a larger step (written after that
/// checkpoint by the interrupted run), so the file of a resumed run is the file of an uninterrupted one.
public final class MetricsLog {
    public let url: URL
    private var handle: FileHandle?

    /// Opens (creating) the log; with `truncatingAfter`, keeps only the lines whose step is at most that.
    public init(url: URL, truncatingAfter step: Int? = nil) throws {
        self.url = url
        let fm = FileManager.default
        if let step, fm.fileExists(atPath: url.path) {
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            let kept = text.split(separator: "\n").filter { line in
                guard let data = line.data(using: .utf8),
                      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let s = object["step"] as? Int else { return false }
                return s <= step
            }
            try Data(kept.map { $0 + "\n" }.joined().utf8).write(to: url, options: .atomic)
        } else if step == nil {
            try Data().write(to: url, options: .atomic)
        }
        if !fm.fileExists(atPath: url.path) { _ = fm.createFile(atPath: url.path, contents: nil) }
        handle = try FileHandle(forWritingTo: url)
        handle?.seekToEndOfFile()
    }

    /// Appends one line.
    public func append(_ object: [String: JSONValue]) {
        handle?.write(Data((JSONValue.object(object).description + "\n").utf8))
    }

    public func close() {
        try? handle?.close()
        handle = nil
    }

    deinit { close() }
}
