/// Vanilla permutation language modelling (HF 3.1 `DataCollatorForPermutationLanguageModeling`, task `plm`,
/// docs/training.md §5.1): spans anywhere in the row — properties, `|` and sequence alike — a fraction
/// `probability` of it, never specials or padding; a random factorisation order per sample.
///
/// Fix: the original passes no attention mask here, so padding is visible context; this collator hides it like
/// every other one (`attention_mask = id != [PAD]`).
public struct PLMCollator: Collator {
    public let sampler: SpanSampler
    public let rules: MaskingRules

    /// Defaults as HF: `plm_probability` 1/6, `max_span_length` 5.
    public init(vocabulary: Vocabulary, probability: Double = 1.0 / 6, maxSpanLength: Int = 5) throws {
        sampler = try SpanSampler(probability: probability, maxSpanLength: maxSpanLength)
        rules = MaskingRules(vocabulary: vocabulary)
    }

    /// Draws, per sample in order: the spans (`SpanSampler.sampleUnclamped` over the padded row), then the
    /// shuffle of its permutation mask.
    public func collate<R: CollatorRandomSource>(_ samples: [ArraySlice<Int32>], random: inout R) throws -> CollatedBatch {
        let (ids, length) = BatchPadding.pad(samples, padID: rules.padID)
        var candidates = [Bool](repeating: false, count: ids.count)
        for b in samples.indices {
            sampler.sampleUnclamped(length: length, offset: b * length, into: &candidates, random: &random)
        }
        return Collation.finish(ids: ids, candidates: candidates, batchSize: samples.count, length: length,
                                rules: rules, random: &random)
    }
}
