import ArgumentParser
import Foundation
import RegressionTransformer
import Tensors

/// Where the model comes from when `--model` is not given: the QED model that ships with the package
/// (`models/qed` in the repository). Looked up, in order:
///
/// 1. `$RT_MODEL` (a model folder; when set it must be one — a mistyped path is an error, not a silent fall-back to
///    another model);
/// 2. `models/qed` in the nearest ancestor directory of the running `rt` executable — the repository a `swift build`
///    / `swift run` binary lives in (`.build/<triple>/<configuration>/rt`);
/// 3. `<prefix>/share/regression-transformer/models/qed` beside an installed `<prefix>/bin/rt`.
///
/// No download ever happens: the model is part of the repository.
enum ShippedModel {
    static let relativePath = "models/qed"

    /// Where the shipped model may be when `$RT_MODEL` is not set, nearest first.
    static func candidates() -> [URL] {
        var result: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        var ancestors: [URL] = []
        while directory.path != "/" && !directory.path.isEmpty {
            ancestors.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        result += ancestors.map { $0.appendingPathComponent(relativePath) }
        result.append(executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/regression-transformer").appendingPathComponent(relativePath))
        return result
    }

    static func locate() throws -> URL {
        func isModelFolder(_ url: URL) -> Bool {
            FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path)
        }
        if let path = ProcessInfo.processInfo.environment["RT_MODEL"], !path.isEmpty {
            let url = URL(fileURLWithPath: path)
            guard isModelFolder(url) else {
                throw CommandFailure("RT_MODEL=\(path) is not a model folder (no config.json); unset it to use the shipped model")
            }
            return url
        }
        if let found = candidates().first(where: isModelFolder) { return found }
        throw CommandFailure("no --model given, and the shipped model \(relativePath) was not found (looked for "
                             + "$RT_MODEL, \(relativePath) above \(CommandLine.arguments[0]), and share/regression-transformer/"
                             + "\(relativePath)); pass --model FOLDER")
    }
}

/// The options every inference verb shares.
struct ModelOptions: ParsableArguments {
    @Option(help: "Model folder (ours or an imported GT4SD one); default: the shipped QED model (models/qed).")
    var model: String?

    @Option(help: "Sequence language of the model (default: from the model folder; SELFIES if its vocabulary has SELFIES symbols).")
    var language: SequenceLanguage?

    @Option(help: "Sequences per forward pass.")
    var batchSize = 32

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
    }

    func load() throws -> InferenceModel {
        _ = try Gemm.backendFromEnvironment()
        let url = try model.map { URL(fileURLWithPath: $0) } ?? ShippedModel.locate()
        do {
            return try InferenceModel(folder: try ModelFolder(url: url), language: language, batchSize: batchSize)
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}

/// How masks are filled, as options.
struct SearchOptions: ParsableArguments {
    enum Search: String, ExpressibleByArgument, CaseIterable { case greedy, sample, beam }

    @Option(help: "Decoding: greedy, sample (with --temperature) or beam (with --beam-width).")
    var search: Search?

    @Option(help: "Sampling temperature (> 0) for --search sample.")
    var temperature = 1.0

    @Option(help: "Number of beams for --search beam.")
    var beamWidth = 3

    func validate() throws {
        guard temperature > 0, temperature.isFinite else { throw ValidationError("--temperature must be positive") }
        guard beamWidth > 0 else { throw ValidationError("--beam-width must be positive") }
    }

    func strategy(default fallback: Search) -> DecodingStrategy {
        switch search ?? fallback {
        case .greedy: return .greedy
        case .sample: return .sample(temperature: temperature)
        case .beam: return .beam(width: beamWidth)
        }
    }
}

/// In which order masked sequence tokens are filled, as an option of the generating commands. The tool's default
/// is sequential (measured better on the shipped model: per-seed Spearman 0.355 vs 0.263 and similarity 0.174 vs
/// 0.146 in the QED protocol over 100 seeds, 0.335 vs 0.241 over 500); the library's (`GenerationRequest`,
/// `GenerationProtocol`) is the original's parallel.
struct FillOrderOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "How masked sequence tokens are filled: sequential (left to right, one forward pass per mask, each choice "
            + "seeing the earlier ones) or parallel (all from one pass, independently: the original's decoding). "
            + "Default: sequential; parallel with --search beam.",
        valueName: "order"))
    var fill: FillOrder?

    /// The order for `strategy`; sequential beam search is a usage error.
    func order(for strategy: DecodingStrategy) throws -> FillOrder {
        if case .beam = strategy {
            if fill == .sequential {
                throw ValidationError("--fill sequential cannot be combined with --search beam (beam search fills all masks at once)")
            }
            return .parallel
        }
        return fill ?? .sequential
    }
}

extension FillOrder: ExpressibleByArgument {}

extension ValueEstimate: ExpressibleByArgument {}

/// The help of `--estimate` (rt predict, rt evaluate regression). The tool's default is `mean` (on the shipped model's
/// held-out molecules RMSE 0.0436 vs 0.0566, Pearson 0.911 vs 0.850); the library's (`PredictionOptions`) is the
/// original's `decoded`.
let valueEstimateHelp = ArgumentHelp(
    "Which number is reported: mean (default: the mean of the model's distribution over the values the slot can "
        + "spell, the estimate with the smallest expected error) or decoded (the number the search spells: the "
        + "original's prediction).",
    valueName: "estimate")

extension SequenceFormat: ExpressibleByArgument {}

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
        try? handle.close()
        do {
            if FileManager.default.fileExists(atPath: destination.path) {
                _ = try FileManager.default.replaceItemAt(destination, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: destination)
            }
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
    do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
        throw CommandFailure("cannot write '\(path)': \(error.localizedDescription)")
    }
}

/// A number for output: rounded to 10 significant digits (so 10·0.812 − 2 prints 6.12, not 6.120000000000001),
/// shortest form.
func formatNumber(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    let rounded = Double(String(format: "%.10g", x)) ?? x
    return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(format: "%.1f", rounded) : "\(rounded)"
}

/// A JSON number or null.
func jsonNumber(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "null" }
    return formatNumber(x)
}

/// Parses `name=value` (a property goal).
func parseGoal(_ text: String) throws -> (name: String, value: Double) {
    let parts = text.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
    guard parts.count == 2, !parts[0].isEmpty else {
        throw ValidationError("a goal is written PROPERTY=VALUE (e.g. qed=0.8), not '\(text)'")
    }
    guard let value = Double(parts[1]), value.isFinite else {
        throw ValidationError("the goal '\(text)' has no numeric value")
    }
    return (parts[0], value)
}

/// The input sequences, streamed: every line of a file or stdin (in order, empty lines kept so rows match lines), or
/// one column of a CSV file (`--column`).
final class InputSequences {
    private let source: LineSource
    private let name: String
    private var columnIndex: Int?

    init(path: String?, column: String?) throws {
        source = try InputFiles.lines(path)
        name = path ?? "stdin"
        guard let column else { return }
        guard let header = try source.withNextLine({ String(decoding: $0, as: UTF8.self) }) else {
            throw CommandFailure("\(name): the CSV file is empty")
        }
        let names = csvSplit(header).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let index = names.firstIndex(of: column) else {
            throw CommandFailure("\(name): no column '\(column)' (columns: \(names.joined(separator: ", ")))")
        }
        columnIndex = index
    }

    /// Up to `count` more sequences (empty at the end).
    func next(_ count: Int) throws -> [String] {
        var lines: [String] = []
        while lines.count < count, let line = try source.withNextLine({ String(decoding: $0, as: UTF8.self) }) {
            if let index = columnIndex {
                let fields = csvSplit(line)
                lines.append(index < fields.count ? fields[index] : "")
            } else {
                lines.append(line)
            }
        }
        return lines
    }
}

/// Splits one CSV line (RFC 4180 quotes).
func csvSplit(_ line: String) -> [String] {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var chars = Array(line)
    if chars.last == "\r" { chars.removeLast() }
    var i = 0
    while i < chars.count {
        let c = chars[i]
        if quoted {
            if c == "\"" {
                if i + 1 < chars.count && chars[i + 1] == "\"" { current.append("\""); i += 1 } else { quoted = false }
            } else {
                current.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            fields.append(current)
            current = ""
        } else {
            current.append(c)
        }
        i += 1
    }
    fields.append(current)
    return fields
}
