/// Chooses spans of positions to mask (the original's `get_mask`, docs/training.md §3): a fraction
/// `probability` of a range, in spans of 1 … `maxSpanLength` tokens.
///
/// Walking a cursor `cur` from the start of the range to its end `max`:
///
///     span  = min(1 + U{0..maxSpan−1}, max − cur)          — one draw: integer(below: maxSpan)
///     ctx   = ⌊span / probability⌋                          — the context reserved around the span
///     s     = cur + U{0..ctx − span}                        — one draw: integer(below: ctx − span + 1)
///     s     = max(min(s, max − span), cur)
///     mask [s, s + span);  cur += ctx
///
/// so every masked position lies in the range and the expected masked fraction is ≈ `probability`; with
/// `probability = 1` the range is masked completely.
///
/// The original also masks position `cur` when the range is empty (`start == end`): a consequence of callers
/// passing the entity's last token as an *exclusive* end (docs/training.md §3). Here ranges are half-open and whole
/// (callers pass the real end), so an empty range masks nothing.
public struct SpanSampler: Sendable, Equatable {
    /// The fraction of tokens to mask, in (0, 1] (`plm_probability`).
    public let probability: Double
    /// The longest span (`max_span_length`, ≥ 1).
    public let maxSpanLength: Int

    /// - Throws: `CollatorError` for a probability outside (0, 1] or a span length below 1.
    public init(probability: Double, maxSpanLength: Int) throws {
        guard probability > 0, probability <= 1 else {
            throw CollatorError("plm_probability must be in (0, 1], not \(probability)")
        }
        guard maxSpanLength >= 1 else {
            throw CollatorError("max_span_length must be at least 1, not \(maxSpanLength)")
        }
        self.probability = probability
        self.maxSpanLength = maxSpanLength
    }

    /// Marks the chosen positions of `range` in `masked` (positions are indices into `masked`).
    public func sample<R: CollatorRandomSource>(_ range: Range<Int>, into masked: inout [Bool], random: inout R) {
        var cur = range.lowerBound
        let end = range.upperBound
        while cur < end {
            let span = min(1 + random.integer(below: maxSpanLength), end - cur)
            let context = Int(Double(span) / probability)
            var start = cur + random.integer(below: context - span + 1)
            start = max(min(start, end - span), cur)
            for k in start..<(start + span) { masked[k] = true }
            cur += context
        }
    }

    /// HuggingFace's `DataCollatorForPermutationLanguageModeling` variant (vanilla PLM, docs/training.md §5.1): the same walk
    /// over `0..<length` of one row starting at `offset` in `masked`, without the clamps and without capping the
    /// span at the remaining length; spans running past the end are cut.
    public func sampleUnclamped<R: CollatorRandomSource>(length: Int, offset: Int, into masked: inout [Bool],
                                                         random: inout R) {
        var cur = 0
        while cur < length {
            let span = 1 + random.integer(below: maxSpanLength)
            let context = Int(Double(span) / probability)
            let start = cur + random.integer(below: context - span + 1)
            if start < length {
                for k in start..<min(start + span, length) { masked[offset + k] = true }
            }
            cur += context
        }
    }
}
