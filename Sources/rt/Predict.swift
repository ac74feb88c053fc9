import ArgumentParser
import Foundation
import RegressionTransformer

/// `rt predict` — properties of sequences (thin: see `InferenceModel.predict`).
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict the properties of molecules (or other sequences) with a model, in raw units.",
        discussion: """
            Input: one sequence per line (file or stdin) — SMILES, or the model's own language (SELFIES, amino \
            acids); molecules may always be given as SMILES, they are converted for SELFIES models. RT lines \
            (<qed>0.41|CCO) work too: the text after the last '|' is used. With --column, the sequences are that \
            column of a CSV file.

            For each input the model sees <p>[MASK]…|SEQUENCE for every property p of the model (mask lengths from \
            inference.json) and every value slot is decoded within the number grammar: only a sign, digits of the \
            right order and a point can fill it, so a prediction is always a number. The value reported is the mean \
            of the model's distribution over those numbers (--estimate mean, the default: the smallest expected \
            error); --estimate decoded reports the number the search spells, as the original does (greedy: the most \
            probable one). Values (and the interval's mean and bounds) are clamped into the property's \
            training range (inference.json property_ranges; the model has no evidence beyond it) unless \
            --allow-extrapolation is given. --search beam lists the best \
            values (column <p>_candidates); --uncertainty adds the mean, standard deviation and central interval of \
            the model's own distribution over the values the slot can spell (exact, from the digit distributions).

            Output: one row per input line, in order. csv: header input,<p>…[,<p>_mean,<p>_sd,<p>_low,<p>_high]\
            [,<p>_candidates],error; an input that cannot be used keeps its row with empty cells and the reason in \
            'error', and the command exits with status 1 after writing every row. json: one object per line. text: \
            aligned columns.

            Examples:
              echo 'CC(=O)Nc1ccc(O)cc1' | rt predict
              rt predict molecules.smi --uncertainty --format csv -o predictions.csv
              rt predict data.csv --column smiles --model my_model --search beam --beam-width 5
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var search: SearchOptions

    @Argument(help: "Input file (plain or gzip); '-' or none: standard input.") var input: String?
    @Option(help: "Read the sequences from this column of a CSV input.") var column: String?
    @Option(help: "How inputs are written: auto (SMILES unless it is SELFIES the model knows), smiles or native.")
    var inputFormat: SequenceFormat = .auto
    @Flag(help: "Add the mean, standard deviation and central interval of each prediction.") var uncertainty = false
    @Option(help: "Central probability of the interval for --uncertainty.") var level = 0.9
    @Option(help: valueEstimateHelp) var estimate: ValueEstimate = .mean
    @Flag(help: ArgumentHelp("Report values outside the property's training range (inference.json property_ranges) as the model spells them; by default values, candidates and interval bounds are clamped into it.")) var allowExtrapolation = false
    @Option(help: "Output format: csv, json (one object per line) or text.") var format: OutputFormat = .csv
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.") var output: String?
    @Option(help: "Random seed (sampling only).") var randomSeed: UInt64 = 42

    func validate() throws {
        guard level > 0, level < 1 else { throw ValidationError("--level must lie strictly between 0 and 1") }
    }

    func run() throws {
        let inputs = try InputSequences(path: input, column: column)
        let network = try model.load()
        let options = PredictionOptions(strategy: search.strategy(default: .greedy),
                                        uncertaintyLevel: uncertainty ? level : nil, inputFormat: inputFormat,
                                        estimate: estimate, allowsExtrapolation: allowExtrapolation)
        var random = SeededCollatorRandom(seed: randomSeed)
        let writer = try ResultWriter(path: output)
        let names = network.properties.map(\.name)
        let beam: Bool = { if case .beam = options.strategy { return true } else { return false } }()
        var header = ["input"] + names
        if uncertainty { for n in names { header += ["\(n)_mean", "\(n)_sd", "\(n)_low", "\(n)_high"] } }
        if beam { header += names.map { "\($0)_candidates" } }
        header.append("error")
        var table: [[String]] = []
        if format == .csv { writer.line(header.joined(separator: ",")) }
        var failures = LineFailures(), total = 0
        let headerLines = column == nil ? 0 : 1
        let progress = ProgressLine("predicted")
        while true {
            let slice = try inputs.next(max(model.batchSize * 4, 64))
            if slice.isEmpty { break }
            let results: [Result<PropertyPrediction, InferenceError>]
            do { results = try network.predict(slice, options: options, random: &random) } catch {
                throw CommandFailure("\(error)")
            }
            for (k, (text, result)) in zip(slice, results).enumerated() {
                var cells = [text]
                var json = ["\"input\":\(jsonString(text))"]
                switch result {
                case .success(let p):
                    cells += p.properties.map { formatNumber($0.value) }
                    json += p.properties.map { "\(jsonString($0.name)):\(jsonNumber($0.value))" }
                    if uncertainty {
                        for v in p.properties {
                            let u = v.uncertainty
                            cells += [u?.mean, u?.standardDeviation, u?.lower, u?.upper].map { $0.map(formatNumber) ?? "" }
                            json.append("\(jsonString(v.name + "_uncertainty")):{\"mean\":\(jsonNumber(u?.mean)),"
                                        + "\"sd\":\(jsonNumber(u?.standardDeviation)),\"low\":\(jsonNumber(u?.lower)),"
                                        + "\"high\":\(jsonNumber(u?.upper)),\"level\":\(jsonNumber(u?.level)),"
                                        + "\"grammar_mass\":\(jsonNumber(u?.grammarMass))}")
                        }
                    }
                    if beam {
                        cells += p.properties.map { $0.candidates.map(formatNumber).joined(separator: ";") }
                        json += p.properties.map { "\(jsonString($0.name + "_candidates")):[\($0.candidates.map(formatNumber).joined(separator: ","))]" }
                    }
                    cells.append("")
                    json.append("\"sequence\":\(jsonString(p.sequence))")
                case .failure(let error):
                    failures.record(line: total + k + 1 + headerLines, reason: error.message)
                    cells += [String](repeating: "", count: header.count - 2) + [error.message]
                    json.append("\"error\":\(jsonString(error.message))")
                }
                switch format {
                case .csv: writer.line(cells.map(csvField).joined(separator: ","))
                case .json: writer.line("{" + json.joined(separator: ",") + "}")
                case .text: table.append(cells)
                }
            }
            total += slice.count
            writer.flush()
            progress.update(total)
        }
        progress.finish()
        if format == .text { writeTable(header: header, rows: table, to: writer) }
        try writer.finish()
        if failures.count > 0 {
            printError("\(failures.count) of \(total) inputs could not be predicted (see the error column)"
                       + failures.firstFailure(in: input ?? "stdin"))
            throw ExitCode(1)
        }
    }
}

/// Aligned columns, empty columns dropped (for `--format text`).
func writeTable(header: [String], rows: [[String]], to writer: ResultWriter) {
    let used = header.indices.filter { c in rows.contains { c < $0.count && !$0[c].isEmpty } || c == 0 }
    let widths = used.map { c in ([header[c]] + rows.map { c < $0.count ? $0[c] : "" }).map(\.count).max() ?? 0 }
    func render(_ cells: [String]) -> String {
        zip(used, widths).map { c, w in
            let s = c < cells.count ? cells[c] : ""
            return s + String(repeating: " ", count: max(0, w - s.count))
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    writer.line(render(header))
    for row in rows { writer.line(render(row)) }
}
