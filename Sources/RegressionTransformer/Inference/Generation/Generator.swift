import Chemistry

/// Conditional generation (docs/inference.md §5, GT4SD's `generate_batch_generation`), with this port's
/// decisions:
///
/// 1. Every property of the model gets a goal in raw units; goals outside the training range are refused unless
///    extrapolation is allowed. Each goal is converted to the model's units and written in a number layout of the
///    property's mask length (fewest integer digits that fit, unsigned if possible: `0.8` → `0.8000` for 6 tokens),
///    instead of GT4SD's `str(x + 1e-10)[:n]`, which breaks for short or scientific-notation strings (docs/inference.md §5.2).
/// 2. Each row masks the seed afresh (`MaskingPlan.draw`: GT4SD masks once per batch), so one batch explores
///    several masks. Masked positions are filled from the sequence alphabet only (`SequenceAlphabet`), in
///    `request.order` (`FillOrder`: left to right by default, each choice seeing the earlier ones; the original's
///    one-pass filling on request).
/// 3. Each generated sequence is decoded (SELFIES → SMILES with selfies 1.0.4), sanitised (validity), and checked in
///    order: the seed itself, a duplicate of an earlier generation, too small (GT4SD's `filter_stubbed`), a
///    substructure to keep missing (graph match), the self-consistency tolerance (the model predicts the
///    property of its own generation with constrained greedy decoding; GT4SD's filter). The first failed check is the
///    status; molecules passing all are accepted until `samples` are reached.
/// 4. Batches continue until enough molecules are accepted or `maxBatches` passes were made.
///
/// Randomness: per batch, first every row's mask draws, then the sampling draws (`fillMasks`) — one seed gives the
/// same run.
extension InferenceModel {
    public func generate<R: CollatorRandomSource>(_ request: GenerationRequest, random: inout R) throws -> GenerationResult {
        guard request.samples > 0 else { throw InferenceError("the number of samples must be positive") }
        guard request.batchSize > 0, request.maxBatches > 0 else {
            throw InferenceError("batch size and number of batches must be positive")
        }
        guard !alphabet.ids.isEmpty else { throw InferenceError("the vocabulary has no \(language) tokens to generate") }
        var warnings: [String] = []
        let template = try GenerationTemplate(request: request, model: self, warnings: &warnings)

        let keep = try request.masking.substructuresToKeep.map { text throws(InferenceError) in try SubstructureQuery(text) }
        let similarity = template.seed.map { SimilaritySearch(query: $0.molecule, kind: .bits, radius: 2, size: 2048) }
        var tolerances: [Double?] = []
        for property in properties {
            guard let percent = request.tolerance else { tolerances.append(nil); continue }
            guard let range = property.scale.range, range.upperBound > range.lowerBound else {
                warnings.append("<\(property.name)> has no training range in inference.json: its tolerance filter is off")
                tolerances.append(nil)
                continue
            }
            tolerances.append(percent / 100 * (range.upperBound - range.lowerBound))
        }

        var accepted: [GeneratedMolecule] = []
        var rejected: [GeneratedMolecule] = []
        var seen = Set<String>()
        var generated = 0
        let rowsPerBatch = template.isFixed && request.strategy.isDeterministic ? 1 : request.batchSize
        for _ in 0..<request.maxBatches where accepted.count < request.samples {
            let masks = (0..<rowsPerBatch).map { _ in template.masks(random: &random) }
            let rowTokens = masks.map { template.tokens(masking: $0) }
            let rows = try rowTokens.map { tokens throws(InferenceError) in try encode(template.line(tokens)) }
            let fillings = try fillMasks(rows, strategy: request.strategy, order: request.order, random: &random)

            var candidates: [GeneratedMolecule] = []
            var molecules: [Molecule?] = []
            for (tokens, assignments) in zip(rowTokens, fillings) {
                for ids in assignments {
                    generated += 1
                    let (candidate, molecule) = describe(substitute(tokens, ids).joined(), seed: template.seed,
                                                         similarity: similarity)
                    candidates.append(candidate)
                    molecules.append(molecule)
                }
            }
            // Cheap checks first, in generation order.
            var survivors: [Int] = []
            for (k, molecule) in molecules.enumerated() {
                guard let molecule, let canonical = candidates[k].canonical else {
                    candidates[k].status = .invalid
                    continue
                }
                if canonical == template.seed?.canonical {
                    candidates[k].status = .seed
                } else if !seen.insert(canonical).inserted {
                    candidates[k].status = .duplicate
                } else if let seed = template.seed, request.minimumSizeRatio > 0,
                          Self.isTooSmall(molecule, comparedTo: seed.molecule, ratio: request.minimumSizeRatio) {
                    candidates[k].status = .tooSmall
                } else if !keep.allSatisfy({ $0.occurs(in: molecule) }) {
                    candidates[k].status = .missingSubstructure
                } else {
                    survivors.append(k)
                }
            }
            // Self-consistency: the model's own prediction of every property of the survivors.
            let predictions = try predict(survivors.map { candidates[$0].sequence },
                                          options: PredictionOptions(strategy: .greedy, uncertaintyLevel: nil,
                                                                     inputFormat: .native),
                                          random: &random)
            for (k, prediction) in zip(survivors, predictions) {
                guard case .success(let p) = prediction else {
                    candidates[k].status = .invalid
                    continue
                }
                candidates[k].predicted = p.properties.map { ($0.name, $0.value) }
                let within = zip(zip(p.properties, template.goals), tolerances).allSatisfy { pair, tolerance in
                    tolerance.map { abs(pair.0.value - pair.1) <= $0 } ?? true
                }
                if !within {
                    candidates[k].status = .outsideTolerance
                } else if accepted.count < request.samples {
                    candidates[k].status = .accepted
                    accepted.append(candidates[k])
                } else {
                    candidates[k].status = .surplus
                }
            }
            rejected += candidates.filter { $0.status != .accepted }
        }
        return GenerationResult(accepted: accepted, rejected: rejected, generated: generated, warnings: warnings,
                                seedCanonical: template.seed?.canonical)
    }

    /// A generated sequence decoded, sanitised and measured (status left `.invalid` until classified).
    func describe(_ sequence: String, seed: SeedMolecule?, similarity: SimilaritySearch?) -> (GeneratedMolecule, Molecule?) {
        var smiles: String? = sequence
        if language == .selfies { smiles = try? SelfiesDecoder.decode(sequence) }
        var molecule: Molecule? = nil
        if let s = smiles, !s.isEmpty { molecule = try? Molecule(smiles: s) }
        if let m = molecule, m.atomCount == 0 { molecule = nil }
        let oracle: [(name: String, value: Double)] = molecule.map { m in
            properties.compactMap { p in PropertyOracle.value(p.name, of: m).map { (p.name, $0) } }
        } ?? []
        let candidate = GeneratedMolecule(sequence: sequence, smiles: smiles, canonical: molecule?.canonicalSmiles,
                                          similarity: molecule.flatMap { m in similarity?.similarity(m) },
                                          predicted: [], oracle: oracle, status: .invalid)
        return (candidate, molecule)
    }

    /// GT4SD's `filter_stubbed`: at most `ratio` of the seed's atoms, or (if the seed has bonds) of its bonds.
    static func isTooSmall(_ molecule: Molecule, comparedTo seed: Molecule, ratio: Double) -> Bool {
        if Double(molecule.atomCount) <= ratio * Double(seed.atomCount) { return true }
        return seed.bondCount > 0 && Double(molecule.bondCount) <= ratio * Double(seed.bondCount)
    }
}

extension DecodingStrategy {
    /// Greedy and beam give the same output for the same input.
    var isDeterministic: Bool {
        if case .sample = self { return false }
        return true
    }
}
