import ArgumentParser
import Chemistry
import Foundation
import RegressionTransformer

/// `rt evaluate` — the paper's protocols (thin: see `InferenceModel.evaluateRegression` / `evaluateGeneration`).
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a model with the paper's protocols: property prediction or conditional generation.",
        subcommands: [EvaluateRegression.self, EvaluateGeneration.self])
}

/// Options for reading labelled data.
struct EvaluationData: ParsableArguments {
    @Argument(help: "Labelled data: RT lines (<qed>0.41|CCO) or CSV (plain or gzip).") var data: String
    @Option(help: "Format of the data: lines or csv (default: csv for .csv/.csv.gz files).") var dataFormat: DatasetFormat?
    @Option(help: "CSV column holding the sequence.") var textColumn = "text"
    @Option(help: "Use only the first N samples.") var limit: Int?

    func validate() throws {
        if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
    }

    func read() throws -> [LabelledSample] {
        let source: LineSource
        do { source = try LineSources.open(data) } catch { throw CommandFailure("\(error)") }
        let format = dataFormat ?? (data.hasSuffix(".csv.gz") ? .csv : DatasetFormat.inferred(fromPath: data))
        let result: (samples: [LabelledSample], errors: [DatasetLineError])
        do { result = try LabelledData.read(source, format: format, csv: CSVOptions(textColumn: textColumn, decimals: nil)) } catch {
            throw CommandFailure("\(error)")
        }
        if !result.errors.isEmpty {
            printError("warning: \(result.errors.count) line(s) of \(data) could not be read, e.g. \(result.errors[0])")
        }
        guard !result.samples.isEmpty else { throw CommandFailure("\(data): no samples") }
        return limit.map { Array(result.samples.prefix($0)) } ?? result.samples
    }
}

func correlationJSON(_ name: String, _ c: Correlation) -> String {
    switch c {
    case .defined(let v): return "\"\(name)\":\(jsonNumber(v))"
    case .undefined(let why): return "\"\(name)\":null,\"\(name)_undefined\":\(jsonString(why.rawValue))"
    }
}

/// `rt evaluate regression`.
struct EvaluateRegression: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regression",
        abstract: "Property prediction on labelled data: RMSE, MAE, Pearson, Spearman (JSON on stdout).",
        discussion: """
            Every sample's sequence is predicted with all value tokens masked (rt predict's decoding and \
            --estimate, by default the mean of the model's distribution) and compared \
            in raw units with its label, for every property of the model the data label. Correlations of constant \
            data are null with the reason. --plot writes a parity plot (SVG) for the first property, \
            --samples-csv the per-sample predictions (line,sequence,property,label,prediction,error).

            Examples:
              rt evaluate regression test.csv --text-column smiles --model models/qed --plot parity.svg
              rt evaluate regression held_out.txt --samples-csv predictions.csv
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var search: SearchOptions
    @OptionGroup var input: EvaluationData
    @Option(help: "Write a parity plot (SVG) here.") var plot: String?
    @Option(help: "Write per-sample predictions (CSV) here.") var samplesCsv: String?
    @Option(help: valueEstimateHelp) var estimate: ValueEstimate = .mean
    @Flag(help: "Score values outside the property's training range as the model spells them (default: clamped into it, as rt predict does).")
    var allowExtrapolation = false

    func run() throws {
        let samples = try input.read()
        let network = try model.load()
        var random = SeededCollatorRandom(seed: 42)
        let evaluations: [RegressionEvaluation]
        do {
            let progress = ProgressLine("predicted", total: samples.count)
            evaluations = try network.evaluateRegression(
                samples, options: PredictionOptions(strategy: search.strategy(default: .greedy), uncertaintyLevel: nil,
                                           estimate: estimate, allowsExtrapolation: allowExtrapolation),
                random: &random, progress: { done, _ in progress.update(done) })
            progress.finish()
        } catch { throw CommandFailure("\(error)") }
        if let plot, let first = evaluations.first {
            let scored = first.rows.filter { $0.prediction != nil }
            try writeFileAtomically(EvaluationPlots.parity(property: first.property, labels: scored.map(\.label),
                                                           predictions: scored.compactMap(\.prediction),
                                                           summary: first.summary), to: plot)
        }
        if let samplesCsv {
            var lines = ["line,sequence,property,label,prediction,error"]
            for e in evaluations {
                for r in e.rows {
                    lines.append([String(r.line), r.sequence, e.property, formatNumber(r.label),
                                  r.prediction.map(formatNumber) ?? "", r.error ?? ""].map(csvField).joined(separator: ","))
                }
            }
            try writeFileAtomically(lines.joined(separator: "\n") + "\n", to: samplesCsv)
        }
        let properties = evaluations.map { e -> String in
            let s = e.summary
            return "{\"property\":\(jsonString(e.property)),\"count\":\(s.count),\"failed\":\(s.failed),"
                + "\"rmse\":\(jsonNumber(s.rmse)),\"mae\":\(jsonNumber(s.meanAbsoluteError)),"
                + correlationJSON("pearson", s.pearson) + "," + correlationJSON("spearman", s.spearman) + "}"
        }
        print("{\"task\":\"regression\",\"estimate\":\(jsonString(estimate.rawValue)),\"data\":\(jsonString(input.data)),\"samples\":\(samples.count),"
              + "\"properties\":[\(properties.joined(separator: ","))]}")
    }
}

/// `rt evaluate generation`.
struct EvaluateGeneration: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generation",
        abstract: "The paper's conditional-generation protocol on seed molecules (JSON summary on stdout).",
        discussion: """
            Each seed's sequence is span-masked once (--mask-probability, --max-span: the original's 0.4 and 7) \
            and primed with every primer value of --property (default for qed: 0.051, 0.151, …, 0.951; else 10 \
            values over the training range; --primers-from-range N spaces N over the training range). The masks \
            are filled (sampling at --temperature by default, left to right: --fill) and each generation's \
            property is measured by the Chemistry oracle (qed, logp, …; the model's own prediction for other \
            properties).

            Reported: validity, uniqueness, novelty (against --training, canonical SMILES), mean similarity to the \
            seed (Morgan r=2, 2048 bits), the mean over seeds of Spearman ρ(primer, property), the share of seeds \
            whose generations all have the same property (0-Var), and pooled Pearson/Spearman. --plot writes primer \
            vs obtained property (SVG), --samples-csv every generation.

            Examples:
              rt evaluate generation seeds.txt --limit 100 --plot primers.svg
              rt evaluate generation test.csv --text-column smiles --training train.csv --primers 0.4,0.6,0.8
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var search: SearchOptions
    @OptionGroup var fillOrder: FillOrderOption
    @OptionGroup var input: EvaluationData
    @Option(help: "The property primed (default: the model's first).") var property: String?
    @Option(help: ArgumentHelp("Primer values in raw units, comma-separated.", valueName: "values")) var primers: String?
    @Option(help: "Use N primers evenly spaced over the training range instead.") var primersFromRange: Int?
    @Option(help: "Share of the sequence masked (span masking).") var maskProbability = 0.4
    @Option(help: "Longest masked span.") var maxSpan = 7
    @Option(help: "Training data (RT lines or CSV with --training-text-column) for novelty.") var training: String?
    @Option(help: "CSV column of the training data holding the sequence.") var trainingTextColumn = "text"
    @Option(help: "Write the primer plot (SVG) here.") var plot: String?
    @Option(help: "Write every generation (CSV) here.") var samplesCsv: String?
    @Option(help: "Random seed (masks and sampling).") var randomSeed: UInt64 = 42

    func validate() throws {
        if let primersFromRange, primersFromRange < 2 { throw ValidationError("--primers-from-range needs at least 2") }
        guard maskProbability > 0, maskProbability <= 1 else { throw ValidationError("--mask-probability must lie in (0, 1]") }
        guard maxSpan > 0 else { throw ValidationError("--max-span must be positive") }
    }

    func run() throws {
        let seeds = try input.read()
        let network = try model.load()
        guard let target = property.map({ network.property(named: $0) }) ?? network.properties.first else {
            throw CommandFailure("the model has no property '\(property ?? "")' (it has \(network.properties.map(\.name).joined(separator: ", ")))")
        }
        var values: [Double]
        if let primers {
            values = try primers.split(separator: ",").map { text in
                guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                    throw ValidationError("--primers: '\(text)' is not a number")
                }
                return v
            }
        } else if let n = primersFromRange ?? (target.name == "qed" ? nil : 10) {
            guard let range = target.scale.range else {
                throw CommandFailure("<\(target.name)> has no training range in inference.json: pass --primers")
            }
            values = GenerationProtocol.evenlySpaced(range, count: n)
        } else {
            values = GenerationProtocol.qedPrimers
        }
        let outside = values.filter { !target.scale.isWithinTrainingRange($0) }
        if !outside.isEmpty, let range = target.scale.range {
            printError("warning: primer(s) \(outside.map(formatNumber).joined(separator: ", ")) lie outside the training "
                       + "range [\(formatNumber(range.lowerBound)), \(formatNumber(range.upperBound))] of \(target.name)")
        }
        let trainingSet = try training.map { try canonicalSet($0) }
        var random = SeededCollatorRandom(seed: randomSeed)
        let settings = GenerationProtocol(property: target.name, primers: values, maskProbability: maskProbability,
                                          maxSpanLength: maxSpan, strategy: search.strategy(default: .sample),
                                          // the protocol searches beam as greedy, so every fill order applies
                                          order: try fillOrder.order(for: .greedy))
        let result: GenerationEvaluation
        let progress = ProgressLine("seeds", total: seeds.count)
        do {
            result = try network.evaluateGeneration(seeds, protocol: settings, trainingSet: trainingSet, random: &random,
                                                    progress: { done, _ in progress.update(done) })
        } catch { throw CommandFailure("\(error)") }
        progress.finish()
        if !result.skipped.isEmpty {
            printError("warning: \(result.skipped.count) seed(s) skipped, e.g. line \(result.skipped[0].line): \(result.skipped[0].reason)")
        }
        if let plot {
            try writeFileAtomically(EvaluationPlots.primerResponse(property: target.name, records: result.records,
                                                                   summary: result.summary), to: plot)
        }
        if let samplesCsv {
            var lines = ["seed,primer,generated,valid,\(target.name),similarity,sequence"]
            for (r, s) in zip(result.records, result.sequences) {
                lines.append([r.seed, formatNumber(r.primer), r.canonical ?? "", r.canonical == nil ? "false" : "true",
                              r.property.map(formatNumber) ?? "", r.similarity.map(formatNumber) ?? "", s]
                    .map(csvField).joined(separator: ","))
            }
            try writeFileAtomically(lines.joined(separator: "\n") + "\n", to: samplesCsv)
        }
        let s = result.summary
        print("{\"task\":\"generation\",\"data\":\(jsonString(input.data)),\"property\":\(jsonString(target.name)),"
              + "\"primers\":[\(values.map(formatNumber).joined(separator: ","))],\"seeds\":\(seeds.count),"
              + "\"seeds_skipped\":\(result.skipped.count),\"generations\":\(s.generations),\"valid\":\(s.valid),"
              + "\"validity\":\(jsonNumber(s.validity)),\"uniqueness\":\(jsonNumber(s.uniqueness)),"
              + "\"novelty\":\(jsonNumber(s.novelty)),\"similarity\":\(jsonNumber(s.meanSimilarity)),"
              + "\"spearman_mean\":\(jsonNumber(s.meanSpearman)),\"seeds_evaluated\":\(s.seedsEvaluated),"
              + "\"zero_variance_seeds\":\(s.zeroVarianceSeeds),\"zero_variance_fraction\":\(jsonNumber(s.zeroVarianceFraction)),"
              + correlationJSON("pearson_all", s.pearsonAll) + "," + correlationJSON("spearman_all", s.spearmanAll) + "}")
    }

    /// Canonical SMILES of every molecule of a training file (SELFIES sequences are decoded first).
    func canonicalSet(_ path: String) throws -> Set<String> {
        let source: LineSource
        do { source = try LineSources.open(path) } catch { throw CommandFailure("\(error)") }
        let format: DatasetFormat = path.hasSuffix(".csv.gz") ? .csv : DatasetFormat.inferred(fromPath: path)
        let samples: [LabelledSample]
        do { samples = try LabelledData.read(source, format: format, csv: CSVOptions(textColumn: trainingTextColumn)).samples } catch {
            throw CommandFailure("\(error)")
        }
        var set = Set<String>()
        for sample in samples {
            let text = sample.sequence
            let smiles = text.hasPrefix("[") ? ((try? SelfiesDecoder.decode(text)) ?? text) : text
            if let molecule = try? Molecule(smiles: smiles) { set.insert(molecule.canonicalSmiles) }
        }
        return set
    }
}
