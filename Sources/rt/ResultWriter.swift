import Foundation
import TensorIO
import Tensors

/// Results go to stdout, or to `--output FILE` written atomically: a temporary file beside it, renamed into place
/// only when the command completes — an interrupted or failed run never leaves a half-written file.
final class ResultWriter {
    private let destination: URL?
    private let temporary: URL?
    private let handle: FileHandle?
    private var buffer: [UInt8] = []
    private var finished = false

    init(path: String?) throws {
        guard let path, path != "-" else {
            destination = nil
            temporary = nil
            handle = nil
            return
        }
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: temp) else {
            throw CommandFailure("cannot write '\(path)'")
        }
        destination = url
        temporary = temp
        self.handle = handle
    }

    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(10)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        if let handle {
            handle.write(Data(buffer))
        } else {
            buffer.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
            fflush(stdout)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Completes the output (renames the temporary file into place).
    func finish() throws {
        flush()
        finished = true
        guard let handle, let temporary, let destination else { return }
        do { try handle.synchronize() } catch {
            throw CommandFailure("cannot write '\(destination.path)': \(error.localizedDescription)")
        }
        try? handle.close()
        do {
            if FileManager.default.fileExists(atPath: destination.path) {
                _ = try FileManager.default.replaceItemAt(destination, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: destination)
            }
            try DurableFile.syncDirectory(destination.deletingLastPathComponent())
        } catch {
            throw CommandFailure("cannot write '\(destination.path)': \(error.localizedDescription)")
        }
    }

    deinit {
        if !finished, let temporary {
            try? handle?.close()
            try? FileManager.default.removeItem(at: temporary)
        }
    }
}

/// Writes `text` to `path` atomically (plots, per-sample CSVs).
func writeFileAtomically(_ text: String, to path: String) throws {
    do { try DurableFile.write(Data(text.utf8), to: URL(fileURLWithPath: path)) } catch {
        throw CommandFailure("cannot write '\(path)': \(error)")
    }
}
