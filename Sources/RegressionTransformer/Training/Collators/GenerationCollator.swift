/// Conditional generation in training (`ConditionalGenerationTrainCollator`, key `vanilla_cg`,
/// docs/training.md §5.3): masks spans of the *sequence* only, so the model learns to fill in a sequence
/// given its properties; properties are never masked.
///
/// Per sample: the masking range runs from the token after the **last** `|` to the end of the padded row (`L`),
/// spans drawn by `SpanSampler` with `probability` / `maxSpanLength` (QED config: 0.4 / 12); `[SEP]` and padding
/// drop out in `MaskingRules`. With `sampling`, each listed property's value is replaced by a sampled primer
/// (`PrimerSampling`) and the sample weight set accordingly; without it every weight is 1 and the values stay.
///
/// A sample without any `|` is masked over its whole content (the original asserts every sample has one).
public struct GenerationCollator: Collator {
    /// The properties read (and, with sampling, primed), by name without brackets (`property_tokens`).
    public let properties: [String]
    public let sampler: SpanSampler
    public let sampling: PrimerSampling?
    public let rules: MaskingRules
    let vocabulary: Vocabulary

    /// - Throws: `CollatorError` for a property token missing from the vocabulary, a sampled property without a
    ///   range, or invalid span settings.
    public init(vocabulary: Vocabulary, properties: [String], probability: Double = 1.0 / 6, maxSpanLength: Int = 5,
                sampling: PrimerSampling? = nil) throws {
        for name in properties where vocabulary.id(of: "<\(name)>") == nil {
            throw CollatorError("the property token <\(name)> is not in the vocabulary")
        }
        if let sampling {
            for name in properties where sampling.ranges[name] == nil {
                throw CollatorError("do_sample needs a value range for <\(name)> (property_value_ranges)")
            }
        }
        self.properties = properties
        self.sampler = try SpanSampler(probability: probability, maxSpanLength: maxSpanLength)
        self.sampling = sampling
        self.vocabulary = vocabulary
        rules = MaskingRules(vocabulary: vocabulary)
    }

    /// Draws, per sample in order: its spans, then (with sampling) one `unit()` per property present; then the
    /// permutation-mask shuffles, sample by sample.
    public func collate<R: CollatorRandomSource>(_ samples: [ArraySlice<Int32>], random: inout R) throws -> CollatedBatch {
        let padded = BatchPadding.pad(samples, padID: rules.padID)
        var ids = padded.ids
        let length = padded.length
        var candidates = [Bool](repeating: false, count: ids.count)
        var weights = [Float](repeating: 1, count: samples.count)
        var real = [[Double?]](repeating: [], count: samples.count)
        for b in samples.indices {
            let row = b * length
            let layout = SampleLayout(ids: ids[row..<(row + length)], vocabulary: vocabulary)
            let start = layout.separators.last.map { $0 + 1 } ?? layout.content.lowerBound
            sampler.sample((row + start)..<(row + length), into: &candidates, random: &random)
            (real[b], weights[b]) = prime(&ids, row: row, layout: layout, random: &random)
        }
        return Collation.finish(ids: ids, candidates: candidates, batchSize: samples.count, length: length,
                                rules: rules, random: &random, sampleWeights: weights, realProperties: real)
    }

    /// Reads the true values of one sample and, with sampling, writes primers over them. Returns the true values
    /// and the sample weight.
    func prime<R: CollatorRandomSource>(_ ids: inout [Int32], row: Int, layout: SampleLayout, random: inout R)
        -> ([Double?], Float)
    {
        var values: [Double?] = []
        var weights: [Double] = []
        for name in properties {
            guard let span = layout.property(named: name) else {
                values.append(nil)
                continue
            }
            let slot = (row + span.value.lowerBound)..<(row + span.value.upperBound)
            let value = PropertyCollator.value(ids[slot], vocabulary)
            values.append(value)
            guard let sampling, let range = sampling.ranges[name] else { continue }
            let u = random.unit()
            guard let value else { continue }
            let x = range.upperBound + (range.lowerBound - range.upperBound) * u
            guard let primer = PrimerSampling.write(x, tokenCount: span.value.count,
                                                    preferred: vocabulary.numberLayout(of: ids[slot]),
                                                    vocabulary: vocabulary) else { continue }
            ids.replaceSubrange(slot, with: primer.ids)
            weights.append(PrimerSampling.weight(real: value, primer: primer.written, range: range))
        }
        let weight = weights.isEmpty ? 1 : weights.reduce(0, +) / Double(weights.count)
        return (values, Float(weight))
    }
}
