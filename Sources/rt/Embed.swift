import ArgumentParser
import Foundation
import RegressionTransformer
import Tensors

/// `rt embed` — the final content-stream states of RT lines, for downstream models (thin: see
/// `XLNetModel.embed`).
struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed RT lines with a model: one JSON object per input line (tokens, mean hidden state).",
        discussion: """
            Each input line (e.g. <qed>0.8215|[C][C]…, in the model's sequence language) is tokenized as the \
            model was trained ([CLS] … [SEP], even-length [PAD]) and run through the model in inference mode: no \
            dropout, no permutation mask, [PAD] positions masked in attention as the RT's collators do. Output \
            per line: {"tokens": [...], "mean": [...]} where mean averages the final content-stream states over \
            the non-padding positions; --per-token adds "hidden" (one vector per token). A line that cannot be \
            tokenized prints {"line": N, "error": "..."} and the command exits with status 1 at the end.

            Examples:
              echo '<qed>0.8215|[C][C][O]' | rt embed --model models/qed
              rt embed --model models/qed molecules.txt --per-token > embeddings.jsonl
            """)

    @Option(help: "The model folder.") var model: String
    @Argument(help: "Input file of RT lines ('-' or none: standard input).") var input: String?
    @Flag(help: "Also print one hidden vector per token.") var perToken = false
    @Option(help: "Sequence language (default: the model's config.json, else the SMILES regex).")
    var language: SequenceLanguage?
    @Flag(help: "Map tokens missing from the vocabulary to [UNK] instead of reporting the line.") var allowUnknown = false
    @Option(help: "Lines per forward pass.") var batchSize = 32
    @Option(help: ArgumentHelp(
        "The most tokens a line may have ([CLS] and [SEP] included); longer lines are reported. Default: the "
            + "block_size the model was trained with (training_config.json), else 512.", valueName: "tokens"))
    var maxLength: Int?
    @OptionGroup var precision: PrecisionOptions

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        if let maxLength, maxLength < 4 { throw ValidationError("--max-length must be at least 4") }
    }

    func run() throws {
        _ = try Gemm.backendFromEnvironment()
        try precision.applyReportingChoices()
        let folder: ModelFolder
        let network: XLNetModel
        do {
            folder = try ModelFolder(path: model)
            network = try folder.loadModel()
        } catch { throw CommandFailure("\(error)") }
        let tokenizer = RTTokenizer(language: language ?? folder.configuration.language ?? .smiles)
        let encoder = RTEncoder(vocabulary: folder.vocabulary, tokenizer: tokenizer, allowsUnknownTokens: allowUnknown)
        var limit: SequenceLengthLimit
        do { limit = try SequenceLengthLimit(folder: folder) } catch { throw CommandFailure("\(error)") }
        if let maxLength { limit.tokens = maxLength }
        let source = try InputFiles.lines(input)
        let output = StandardOutputBuffer()
        var pending: [(line: Int, ids: [Int32])] = []
        var failures = 0
        var lineNumber = 0
        func flush() throws {
            guard !pending.isEmpty else { return }
            let embeddings = try network.embed(pending.map(\.ids), padID: folder.vocabulary.specialIDs.pad,
                                               perToken: perToken, batchSize: batchSize)
            for (item, e) in zip(pending, embeddings) {
                let tokens = item.ids.map { jsonString(folder.vocabulary.tokens[Int($0)]) }.joined(separator: ",")
                output.append("{\"tokens\":[\(tokens)],\"mean\":[\(e.mean.map { "\($0)" }.joined(separator: ","))]")
                if let hidden = e.hidden {
                    output.append(",\"hidden\":[" + hidden.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]")
                }
                output.append("}\n")
            }
            output.flushIfFull()
            pending.removeAll(keepingCapacity: true)
        }
        while let text = try source.withNextLine({ String(decoding: $0, as: UTF8.self) }) {
            lineNumber += 1
            do {
                try limit.check(text: text)
                let ids = try encoder.encode(text)
                try limit.check(tokenCount: ids.count)
                pending.append((lineNumber, ids))
                if pending.count >= batchSize { try flush() }
            } catch {
                try flush()  // keep output lines in input order
                failures += 1
                output.append("{\"line\":\(lineNumber),\"error\":\(jsonString("\(error)"))}\n")
            }
        }
        try flush()
        output.flush()
        if failures > 0 { throw CommandFailure("\(failures) of \(lineNumber) lines could not be embedded") }
    }
}
