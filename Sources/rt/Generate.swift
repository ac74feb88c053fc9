import ArgumentParser
import Foundation
import RegressionTransformer

/// `rt generate` — conditional generation (thin: see `InferenceModel.generate`).
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate molecules similar to a seed with given property values (the RT's conditional generation).",
        discussion: """
            From a seed SMILES (--from): each sample masks a fraction of the seed's tokens (--fraction-to-mask; \
            only atoms of --atom-types if given; never the atoms of --keep-substructure, always those of \
            --mask-substructure — substructures are SMILES or SMARTS matched on the molecular graph), primes the \
            model with the goals (--goal, raw units, one per property of the model) and lets it fill the masks \
            (left to right, each choice seeing the earlier ones; --fill parallel for the original's one-pass \
            filling). Or from an RT line with its own masks and values (--sequence '<qed>0.8|[C][MASK][MASK][O]').

            Every generated molecule is decoded, sanitised and checked: not the seed, not a duplicate, not much \
            smaller than the seed (--min-size-ratio), containing every kept substructure, and — self-consistency — \
            the model's own prediction (greedy, as GT4SD's filter) of each property within --tolerance percent of \
            the training range of the goal. Goals outside the training range are refused unless --allow-extrapolation.

            Output: one row per accepted molecule (csv: smiles,valid,similarity,<p>_predicted,<p>_oracle,…,\
            sequence,status; smiles is canonical for valid molecules), <p>_oracle being the property computed \
            by the Chemistry module (qed, logp, molwt, sas, plogp, tpsa) and similarity the Morgan (r=2, 2048 \
            bits) Tanimoto similarity to the seed. --include-rejected adds every other generation with the \
            reason in status. A summary goes to stderr; \
            the exit status is 1 when no molecule was accepted.

            Examples:
              rt generate --from 'CC(=O)Nc1ccc(O)cc1' --goal qed=0.9 --samples 10 --random-seed 7
              rt generate --from 'c1ccccc1CCN' --goal qed=0.6 --keep-substructure c1ccccc1 --fraction-to-mask 0.5
              rt generate --sequence '<qed>0.850|[C][C][MASK][MASK][O]' --search greedy --format json
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var search: SearchOptions
    @OptionGroup var fillOrder: FillOrderOption

    @Option(name: .customLong("from"), help: "Seed molecule (SMILES).") var seed: String?
    @Option(help: "An RT line with values and [MASK]s in its sequence, in the model's language.") var sequence: String?
    @Option(help: ArgumentHelp("Property goal in raw units (repeat for each property of the model).", valueName: "name=value"))
    var goal: [String] = []
    @Option(help: "Number of molecules to return.") var samples = 10
    @Option(help: "Fraction of the maskable seed tokens masked in each sample.") var fractionToMask = 0.2
    @Option(help: ArgumentHelp("Only atoms of these elements may be masked (comma-separated, e.g. C,N).", valueName: "elements"))
    var atomTypes: String?
    @Option(help: "Substructure (SMILES or SMARTS) whose atoms are always masked (repeatable).") var maskSubstructure: [String] = []
    @Option(help: "Substructure (SMILES or SMARTS) never masked and required in every result (repeatable).")
    var keepSubstructure: [String] = []
    @Option(help: "Self-consistency tolerance in percent of each property's training range ('none' to disable).")
    var tolerance = "20"
    @Flag(help: "Allow goals outside the model's training range.") var allowExtrapolation = false
    @Option(help: "Drop molecules with at most this share of the seed's atoms or bonds (0 disables).") var minSizeRatio = 0.5
    @Option(help: "Give up after this many forward passes.") var maxBatches = 20
    @Flag(help: "Also print rejected generations, with the reason in 'status'.") var includeRejected = false
    @Option(help: "Random seed (masks and sampling).") var randomSeed: UInt64 = 42
    @Option(help: "Output format: csv, json (one object per line) or text.") var format: OutputFormat = .csv
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.") var output: String?

    func validate() throws {
        guard (seed == nil) != (sequence == nil) else {
            throw ValidationError("give either --from SMILES or --sequence LINE")
        }
        if seed != nil && goal.isEmpty { throw ValidationError("--from needs at least one --goal name=value") }
        guard samples > 0 else { throw ValidationError("--samples must be positive") }
        guard maxBatches > 0 else { throw ValidationError("--max-batches must be positive") }
        guard fractionToMask >= 0, fractionToMask <= 1 else { throw ValidationError("--fraction-to-mask must lie in [0, 1]") }
        guard minSizeRatio >= 0, minSizeRatio < 1 else { throw ValidationError("--min-size-ratio must lie in [0, 1)") }
        _ = try toleranceValue()
        for g in goal { _ = try parseGoal(g) }
    }

    func toleranceValue() throws -> Double? {
        if tolerance.lowercased() == "none" { return nil }
        guard let t = Double(tolerance), t >= 0, t.isFinite else {
            throw ValidationError("--tolerance must be a non-negative percentage or 'none', not '\(tolerance)'")
        }
        return t
    }

    func run() throws {
        let network = try model.load()
        let masking = MaskingRequest(
            fraction: fractionToMask,
            atomTypes: atomTypes.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? [],
            substructuresToMask: maskSubstructure, substructuresToKeep: keepSubstructure)
        let strategy = search.strategy(default: .sample)
        var request = GenerationRequest(
            source: seed.map { .seed($0) } ?? .maskedLine(sequence ?? ""), goals: try goal.map(parseGoal),
            masking: masking, samples: samples, strategy: strategy,
            order: try fillOrder.order(for: strategy), tolerance: try toleranceValue(),
            allowExtrapolation: allowExtrapolation,
            batchSize: min(model.batchSize, max(8, 2 * samples)),
            maxBatches: maxBatches, minimumSizeRatio: minSizeRatio)
        if case .maskedLine = request.source { request.minimumSizeRatio = 0 }
        var random = SeededCollatorRandom(seed: randomSeed)
        let result: GenerationResult
        do { result = try network.generate(request, random: &random) } catch { throw CommandFailure("\(error)") }
        for warning in result.warnings { printError("warning: \(warning)") }

        let names = network.properties.map(\.name)
        var header = ["smiles", "valid", "similarity"]
        for n in names { header += ["\(n)_predicted", "\(n)_oracle"] }
        header += ["sequence", "status"]
        let rows = result.accepted + (includeRejected ? result.rejected : [])
        let writer = try ResultWriter(path: output)
        var table: [[String]] = []
        if format == .csv { writer.line(header.joined(separator: ",")) }
        for m in rows {
            // Valid molecules are written as canonical SMILES (comparable across runs and tools), others as decoded.
            let smiles = m.canonical ?? m.smiles
            var cells = [smiles ?? "", m.valid ? "true" : "false", m.similarity.map(formatNumber) ?? ""]
            var json = ["\"smiles\":\(smiles.map(jsonString) ?? "null")", "\"valid\":\(m.valid)",
                        "\"similarity\":\(jsonNumber(m.similarity))"]
            for n in names {
                let predicted = m.predicted.first { $0.name == n }?.value
                let oracle = m.oracle.first { $0.name == n }?.value
                cells += [predicted.map(formatNumber) ?? "", oracle.map(formatNumber) ?? ""]
                json += ["\(jsonString(n + "_predicted")):\(jsonNumber(predicted))", "\(jsonString(n + "_oracle")):\(jsonNumber(oracle))"]
            }
            cells += [m.sequence, m.status.rawValue]
            json += ["\"sequence\":\(jsonString(m.sequence))", "\"status\":\(jsonString(m.status.rawValue))"]
            switch format {
            case .csv: writer.line(cells.map(csvField).joined(separator: ","))
            case .json: writer.line("{" + json.joined(separator: ",") + "}")
            case .text: table.append(cells)
            }
        }
        if format == .text { writeTable(header: header, rows: table, to: writer) }
        try writer.finish()
        let counts = result.counts
        let detail = GenerationStatus.allCases.filter { $0 != .accepted && (counts[$0] ?? 0) > 0 }
            .map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        printError("generated \(result.generated) sequences: \(result.accepted.count) accepted"
                   + (detail.isEmpty ? "" : ", \(detail)"))
        if result.accepted.isEmpty {
            printError("no molecule passed the filters (try more --max-batches, a larger --tolerance or "
                       + "--fraction-to-mask, or --include-rejected to see why)")
            throw ExitCode(1)
        }
    }
}
