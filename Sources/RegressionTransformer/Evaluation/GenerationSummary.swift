/// One generated sample of the conditional-generation protocol (docs/inference.md §6.2): a seed molecule primed
/// with a property value, and what came out.
public struct GenerationRecord: Equatable, Sendable {
    /// Identifies the seed (e.g. its canonical SMILES or its line number).
    public var seed: String
    /// The primer (the property value the sample was conditioned on), raw units.
    public var primer: Double
    /// The canonical SMILES of the generated molecule, nil if the generation is not a valid molecule.
    public var canonical: String?
    /// The oracle's property of the generated molecule (e.g. RDKit-exact QED), nil if invalid or no oracle.
    public var property: Double?
    /// Tanimoto similarity to the seed, nil if invalid.
    public var similarity: Double?

    public init(seed: String, primer: Double, canonical: String?, property: Double?, similarity: Double?) {
        self.seed = seed
        self.primer = primer
        self.canonical = canonical
        self.property = property
        self.similarity = similarity
    }
}

/// The paper's generation metrics over a set of `GenerationRecord`s. Definitions (fractions in [0, 1]):
///
/// * `validity = #valid / #generations` (valid: the sequence is a molecule RDKit would accept);
/// * `uniqueness = #distinct canonical SMILES among valid / #valid`;
/// * `novelty = #distinct valid molecules not in the training set / #distinct valid molecules` (canonical SMILES on
///   both sides; nil without a training set);
/// * `meanSimilarity` = mean Tanimoto similarity to the seed over valid generations;
/// * per seed, `ρ_seed = Spearman(primer, property)` over that seed's valid generations with a property; the
///   reported `meanSpearman` averages the defined `ρ_seed` (the original's NaN-skipping mean);
/// * `zeroVarianceFraction` ("0-Var"): among seeds with at least two valid generations, the share whose generations
///   all have the same property — their `ρ_seed` is undefined and the original drops them silently, which flatters
///   the mean; reporting the share makes that visible;
/// * `pearsonAll`, `spearmanAll`: over all valid records pooled (the original's global correlations).
///
/// Deviation: the original first de-duplicates rows on (generated sequence, seed), keeping the lowest primer; that
/// removes exactly the evidence that a molecule ignores its primer and inflates ρ, so all records are kept here.
public struct GenerationSummary: Equatable, Sendable {
    public var generations: Int
    public var valid: Int
    public var validity: Double?
    public var uniqueness: Double?
    public var novelty: Double?
    public var meanSimilarity: Double?
    /// `ρ_seed` for every seed, in order of first appearance.
    public var spearmanPerSeed: [(seed: String, spearman: Correlation)]
    public var meanSpearman: Double?
    /// Seeds with at least two valid generations with a property.
    public var seedsEvaluated: Int
    public var zeroVarianceSeeds: Int
    public var zeroVarianceFraction: Double?
    public var pearsonAll: Correlation
    public var spearmanAll: Correlation

    /// - Parameter trainingSet: canonical SMILES of the training molecules (nil: novelty not computed).
    public init(records: [GenerationRecord], trainingSet: Set<String>? = nil) {
        generations = records.count
        let validRecords = records.filter { $0.canonical != nil }
        valid = validRecords.count
        validity = records.isEmpty ? nil : Double(valid) / Double(records.count)
        let distinct = Set(validRecords.compactMap(\.canonical))
        uniqueness = valid == 0 ? nil : Double(distinct.count) / Double(valid)
        if let trainingSet, !distinct.isEmpty {
            novelty = Double(distinct.filter { !trainingSet.contains($0) }.count) / Double(distinct.count)
        } else {
            novelty = nil
        }
        meanSimilarity = Statistics.mean(validRecords.compactMap(\.similarity))

        var order: [String] = []
        var seen = Set<String>()
        var bySeed: [String: [(primer: Double, property: Double)]] = [:]
        for record in records {
            if seen.insert(record.seed).inserted { order.append(record.seed) }
            guard record.canonical != nil, let property = record.property else { continue }
            bySeed[record.seed, default: []].append((record.primer, property))
        }
        spearmanPerSeed = order.map { seed in
            let pairs = bySeed[seed] ?? []
            return (seed, Statistics.spearman(pairs.map(\.primer), pairs.map(\.property)))
        }
        meanSpearman = Statistics.mean(spearmanPerSeed.compactMap { $0.spearman.value })
        let evaluated = order.filter { (bySeed[$0]?.count ?? 0) >= 2 }
        seedsEvaluated = evaluated.count
        zeroVarianceSeeds = evaluated.filter { seed in
            let values = (bySeed[seed] ?? []).map(\.property)
            return values.allSatisfy { $0 == values.first }
        }.count
        zeroVarianceFraction = evaluated.isEmpty ? nil : Double(zeroVarianceSeeds) / Double(evaluated.count)
        let pooled = validRecords.compactMap { record in record.property.map { (record.primer, $0) } }
        pearsonAll = Statistics.pearson(pooled.map(\.0), pooled.map(\.1))
        spearmanAll = Statistics.spearman(pooled.map(\.0), pooled.map(\.1))
    }

    public static func == (a: GenerationSummary, b: GenerationSummary) -> Bool {
        a.generations == b.generations && a.valid == b.valid && a.validity == b.validity
            && a.uniqueness == b.uniqueness && a.novelty == b.novelty && a.meanSimilarity == b.meanSimilarity
            && a.spearmanPerSeed.map(\.seed) == b.spearmanPerSeed.map(\.seed)
            && a.spearmanPerSeed.map(\.spearman) == b.spearmanPerSeed.map(\.spearman)
            && a.meanSpearman == b.meanSpearman && a.seedsEvaluated == b.seedsEvaluated
            && a.zeroVarianceSeeds == b.zeroVarianceSeeds && a.pearsonAll == b.pearsonAll
            && a.spearmanAll == b.spearmanAll
    }
}
