import ArgumentParser
import Foundation
import RegressionTransformer
import Tensors

/// The options every inference verb shares.
struct ModelOptions: ParsableArguments {
    @Option(help: "Model folder (ours or an imported GT4SD one); default: the shipped QED model (models/qed).")
    var model: String?

    @Option(help: "Sequence language of the model (default: from the model folder; SELFIES if its vocabulary has SELFIES symbols).")
    var language: SequenceLanguage?

    @Option(help: "Sequences per forward pass.")
    var batchSize = 32

    @Option(help: ArgumentHelp(
        "The most tokens a model row may have (property prefix and specials included); longer inputs are refused "
            + "with an error row. Default: the block_size the model was trained with (training_config.json), else 512. "
            + "Cost grows with the square of the length.",
        valueName: "tokens"))
    var maxLength: Int?

    @Option(help: ArgumentHelp(
        "Sequence tokens missing from the model's vocabulary: error (default: the line is reported, naming the "
            + "token) or unk (mapped to [UNK], as the original does silently).",
        valueName: "policy"))
    var unknownTokens: UnknownTokenPolicy = .error

    enum UnknownTokenPolicy: String, ExpressibleByArgument, CaseIterable { case error, unk }

    @OptionGroup var precision: PrecisionOptions

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        if let maxLength, maxLength < 4 { throw ValidationError("--max-length must be at least 4") }
    }

    func load() throws -> InferenceModel {
        _ = try Gemm.backendFromEnvironment()
        try precision.applyReportingChoices()
        let url = try model.map { URL(fileURLWithPath: $0) } ?? ShippedModel.locate()
        do {
            let network = try InferenceModel(folder: try ModelFolder(url: url), language: language, batchSize: batchSize)
            if let maxLength { network.maximumLength = maxLength }
            network.mapsUnknownTokensToUNK = unknownTokens == .unk
            return network
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
