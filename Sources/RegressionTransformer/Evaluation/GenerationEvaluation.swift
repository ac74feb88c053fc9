import Chemistry

/// Settings of the paper's conditional-generation protocol (docs/inference.md §6.2; the QED evaluation config of
/// the original: span masking with probability 0.4 and spans up to 7 tokens, primers 0.051 … 0.951).
public struct GenerationProtocol: Sendable {
    /// The property primed (without brackets).
    public var property: String
    /// Primer values in raw units.
    public var primers: [Double]
    /// Span masking of the sequence (`plm_probability`, `max_span_length`).
    public var maskProbability: Double
    public var maxSpanLength: Int
    /// How masks are filled: the original's per-seed Spearman uses its sampling decoder.
    public var strategy: DecodingStrategy
    /// In which order masks are filled (`FillOrder`).
    public var order: FillOrder

    public init(property: String, primers: [Double], maskProbability: Double = 0.4, maxSpanLength: Int = 7,
                strategy: DecodingStrategy = .sample(temperature: 1), order: FillOrder = .parallel) {
        self.property = property
        self.primers = primers
        self.maskProbability = maskProbability
        self.maxSpanLength = maxSpanLength
        self.strategy = strategy
        self.order = order
    }

    /// The original's QED primers: 0.051, 0.151, …, 0.951.
    public static let qedPrimers: [Double] = (0..<10).map { (51 + 100 * Double($0)) / 1000 }

    /// `count` primers evenly spaced over `range`, ends included.
    public static func evenlySpaced(_ range: ClosedRange<Double>, count: Int) -> [Double] {
        guard count > 1 else { return [(range.lowerBound + range.upperBound) / 2] }
        return (0..<count).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(count - 1) }
    }
}

/// The outcome of the protocol: every generation and the summary.
public struct GenerationEvaluation: Sendable {
    public var records: [GenerationRecord]
    /// The generated sequence of each record (model language), aligned with `records`.
    public var sequences: [String]
    public var summary: GenerationSummary
    /// Seeds that could not be used, with the reason.
    public var skipped: [(line: Int, reason: String)]
}

extension InferenceModel {
    /// Runs the protocol: for every seed, the sequence (after its property blocks) is span-masked **once**, and that
    /// masked sequence is primed with every primer — the property evaluated gets the primer, other properties keep
    /// the seed's own values — so the generations of one seed differ only by primer (and sampling). Masks are filled,
    /// the results decoded to molecules, and the property measured by the oracle (`PropertyOracle`; where none
    /// exists, by the model's own prediction, as the original does). Spans follow `SpanSampler` over the whole
    /// sequence (the original's evaluation collator never masks the last token, docs/inference.md §6.2).
    ///
    /// Seeds are processed in chunks (each seed's masks, then the chunk's forward pass and sampling); `progress` is
    /// called after each chunk with the number of seeds done.
    ///
    /// - Parameter trainingSet: canonical SMILES of the training molecules, for novelty.
    public func evaluateGeneration<R: CollatorRandomSource>(_ seeds: [LabelledSample], protocol settings: GenerationProtocol,
                                                            trainingSet: Set<String>? = nil, random: inout R,
                                                            progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws
        -> GenerationEvaluation
    {
        guard let target = property(named: settings.property) else {
            throw InferenceError("the model has no property '\(settings.property)' (it has \(properties.map(\.name).joined(separator: ", ")))")
        }
        guard !settings.primers.isEmpty else { throw InferenceError("no primers") }
        let sampler: SpanSampler
        do { sampler = try SpanSampler(probability: settings.maskProbability, maxSpanLength: settings.maxSpanLength) } catch {
            throw InferenceError("\(error)")
        }
        var skipped: [(line: Int, reason: String)] = []
        var records: [GenerationRecord] = []
        var sequences: [String] = []
        let tokenizer = RTTokenizer(language: language)
        let strategy: DecodingStrategy = { if case .beam = settings.strategy { return .greedy } else { return settings.strategy } }()
        let seedsPerChunk = max(1, 256 / settings.primers.count)
        var done = 0
        while done < seeds.count {
            let chunk = seeds[done..<min(seeds.count, done + seedsPerChunk)]
            var rows: [[Int32]] = []
            var rowTokens: [[String]] = []
            var meta: [(seed: String, primer: Double, molecule: Molecule?)] = []
            for seed in chunk {
                do {
                    let sequence = try modelSequence(seed.sequence)
                    let tokens = try tokenizer.tokenize(sequence)
                    guard !tokens.isEmpty else { throw InferenceError("empty sequence") }
                    var masked = [Bool](repeating: false, count: tokens.count)
                    sampler.sample(0..<tokens.count, into: &masked, random: &random)
                    let maskedTokens = zip(tokens, masked).map { $1 ? SpecialToken.mask.text : $0 }
                    let smiles = try? (language == .selfies ? SelfiesDecoder.decode(sequence) : sequence)
                    let molecule = smiles.flatMap { try? Molecule(smiles: $0) }
                    let name = molecule?.canonicalSmiles ?? sequence
                    var seedRows: [[Int32]] = []
                    for primer in settings.primers {
                        var prefix = ""
                        for p in properties {
                            let value = p.name == target.name ? primer : seed.value(of: p.name)
                            guard let value else { throw InferenceError("no value for <\(p.name)> (the model has several properties)") }
                            prefix += p.token + (try GenerationTemplate.primer(value, property: p, vocabulary: vocabulary)) + "|"
                        }
                        seedRows.append(try encode(prefix + maskedTokens.joined()))
                    }
                    rows += seedRows
                    for primer in settings.primers {
                        rowTokens.append(maskedTokens)
                        meta.append((name, primer, molecule))
                    }
                } catch {
                    skipped.append((seed.line, "\(error)"))
                }
            }
            let fillings = try fillMasks(rows, strategy: strategy, order: settings.order, random: &random)
            var chunkSequences: [String] = []
            var molecules: [Molecule?] = []
            for (tokens, assignments) in zip(rowTokens, fillings) {
                let filled = substitute(tokens, assignments[0]).joined()
                chunkSequences.append(filled)
                let smiles = language == .selfies ? try? SelfiesDecoder.decode(filled) : filled
                molecules.append(smiles.flatMap { $0.isEmpty ? nil : try? Molecule(smiles: $0) }.flatMap { $0.atomCount > 0 ? $0 : nil })
            }
            // Where no oracle exists, the model predicts the property of its own generations.
            var modelValues: [Int: Double] = [:]
            if !PropertyOracle.exists(for: target.name) {
                let valid = molecules.indices.filter { molecules[$0] != nil }
                let predictions = try predict(valid.map { chunkSequences[$0] },
                                              options: PredictionOptions(uncertaintyLevel: nil, inputFormat: .native),
                                              random: &random)
                for (k, p) in zip(valid, predictions) { modelValues[k] = try? p.get().value(of: target.name) }
            }
            for (k, molecule) in molecules.enumerated() {
                let seedMolecule = meta[k].molecule
                let property = molecule.flatMap { PropertyOracle.value(target.name, of: $0) } ?? modelValues[k]
                let similarity = molecule.flatMap { m in seedMolecule.map { SimilaritySearch(query: $0).similarity(m) } }
                records.append(GenerationRecord(seed: meta[k].seed, primer: meta[k].primer,
                                                canonical: molecule?.canonicalSmiles, property: property,
                                                similarity: similarity))
            }
            sequences += chunkSequences
            done += chunk.count
            progress?(done, seeds.count)
        }
        return GenerationEvaluation(records: records, sequences: sequences,
                                    summary: GenerationSummary(records: records, trainingSet: trainingSet), skipped: skipped)
    }
}
