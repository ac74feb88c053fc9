/// Conditional generation of one entity (`MultiEntityCGTrainCollator`, key `multientity_cg`,
/// docs/training.md §5.5): for reactions, mask one precursor or product and let the model complete it.
///
/// The sequence is cut into entities at the entity separator (`.` by default, `<energy>` in the original's
/// reactions config) and at the reaction arrow `>>`; separators and the arrow are never masked. Per batch one
/// entity index `k` is chosen — `entityToMask`, or uniformly from `0..<n` with `n` the smallest entity count in
/// the batch — and in every sample spans of entity `k` are masked (`SpanSampler`; with probability 1, as in the
/// reactions config, the whole entity). With `masksEntitySeparator` the collator behaves exactly like
/// `GenerationCollator`. Primer sampling works as there.
///
/// Fixes (docs/training.md §5.5): the original passes each entity's last token as an exclusive end, so that token is
/// never masked (and a one-token entity is masked through a special case); here the whole entity is the range.
/// Samples with more entities than the batch minimum mask their own `k`-th entity (the original masks everything
/// from there to the end). `>>` bounds entities, so a product is an entity of its own.
public struct MultiEntityCollator: Collator {
    public let generation: GenerationCollator
    /// Ids that end an entity: the entity separator and, if the vocabulary has it, `>>`.
    public let boundaries: Set<Int32>
    /// The entity separator token (`entity_separator_token`).
    public let separatorToken: String
    /// `entity_to_mask`: nil (or −1 in configs) draws one per batch.
    public let entityToMask: Int?
    /// `mask_entity_separator`.
    public let masksEntitySeparator: Bool

    /// - Throws: `CollatorError` when the separator is not in the vocabulary, `entityToMask` is negative, or as
    ///   `GenerationCollator.init`.
    public init(vocabulary: Vocabulary, properties: [String], probability: Double = 1.0 / 6, maxSpanLength: Int = 5,
                sampling: PrimerSampling? = nil, separatorToken: String = ".", entityToMask: Int? = nil,
                masksEntitySeparator: Bool = false) throws {
        guard let separator = vocabulary.id(of: separatorToken) else {
            throw CollatorError("the entity separator token '\(separatorToken)' is not in the vocabulary")
        }
        if let k = entityToMask, k < 0 { throw CollatorError("entity_to_mask must be -1 (random) or ≥ 0, not \(k)") }
        generation = try GenerationCollator(vocabulary: vocabulary, properties: properties, probability: probability,
                                            maxSpanLength: maxSpanLength, sampling: sampling)
        var boundaries: Set<Int32> = [separator]
        if let arrow = vocabulary.id(of: ">>") { boundaries.insert(arrow) }
        self.boundaries = boundaries
        self.separatorToken = separatorToken
        self.entityToMask = entityToMask
        self.masksEntitySeparator = masksEntitySeparator
    }

    /// Draws: the entity index (when random), then per sample its spans and primer draws, then the
    /// permutation-mask shuffles.
    public func collate<R: CollatorRandomSource>(_ samples: [ArraySlice<Int32>], random: inout R) throws -> CollatedBatch {
        if masksEntitySeparator { return try generation.collate(samples, random: &random) }
        let rules = generation.rules
        let vocabulary = generation.vocabulary
        let padded = BatchPadding.pad(samples, padID: rules.padID)
        var ids = padded.ids
        let length = padded.length
        var layouts: [SampleLayout] = []
        var entities: [[Range<Int>]] = []
        for b in samples.indices {
            let row = Array(ids[(b * length)..<((b + 1) * length)])
            let layout = SampleLayout(ids: row, vocabulary: vocabulary)
            layouts.append(layout)
            entities.append(layout.entities(in: row, separatedBy: boundaries))
        }
        let count = entities.map(\.count).min() ?? 0
        guard count >= 2 else {
            throw CollatorError("the multi-entity collator needs at least two entities per sample (separated by '\(separatorToken)' or '>>'), but a sample of the batch has \(count)")
        }
        let k: Int
        if let entityToMask {
            guard entityToMask < count else {
                throw CollatorError("entity_to_mask is \(entityToMask), but a sample of the batch has only \(count) entities")
            }
            k = entityToMask
        } else {
            k = random.integer(below: count)
        }
        var candidates = [Bool](repeating: false, count: ids.count)
        var weights = [Float](repeating: 1, count: samples.count)
        var real = [[Double?]](repeating: [], count: samples.count)
        for b in samples.indices {
            let row = b * length
            let entity = entities[b][k]
            generation.sampler.sample((row + entity.lowerBound)..<(row + entity.upperBound), into: &candidates,
                                      random: &random)
            (real[b], weights[b]) = generation.prime(&ids, row: row, layout: layouts[b], random: &random)
        }
        return Collation.finish(ids: ids, candidates: candidates, batchSize: samples.count, length: length,
                                rules: rules, random: &random, sampleWeights: weights, realProperties: real)
    }
}
