/// Sampled primers for conditional-generation training (`do_sample`, docs/training.md §5.4).
///
/// For each property with a range `[lo, hi]`: draw `x = hi + (lo − hi)·u`, `u ~ U[0, 1)` (so `x ∈ (lo, hi]`),
/// write it over the true value, and weight the sample's generation loss by
///
///     w = 1 − 2·|real − x| / (hi − lo)   ∈ [−1, 1]      (1: the primer is the truth; < 0: "unlearn")
///
/// averaged over the sample's properties.
///
/// Fix (docs/training.md §5.4): the original writes `str(x)` cut to the number of characters of the true value and pastes its
/// ids over the old ones, which breaks for short strings and scientific notation and can put a sign into a digit
/// slot. Here the primer is written in a digit layout with exactly as many tokens as the slot — the slot's own
/// layout when `x` fits it, else the fitting layout with that token count and the most decimals (e.g. `±d.d` for
/// −2.13 in a `d.dd` slot) — and `x` is the value actually written (rounded to that layout), so the weight
/// describes what the model sees. When no layout of that length can hold `x`, the true value stays and the
/// property counts as unsampled (weight 1).
public struct PrimerSampling: Sendable, Equatable {
    /// `property_value_ranges`: the range each property's primers are drawn from, by name without brackets.
    public var ranges: [String: ClosedRange<Double>]

    public init(ranges: [String: ClosedRange<Double>]) {
        self.ranges = ranges
    }

    /// The sample weight for one property: `1 − 2|real − primer| / (hi − lo)` (1 when the range is a point).
    public static func weight(real: Double, primer: Double, range: ClosedRange<Double>) -> Double {
        let width = range.upperBound - range.lowerBound
        guard width > 0 else { return 1 }
        return 1 - 2 * abs(real - primer) / width
    }

    /// The ids of `value` in a layout of `tokenCount` tokens: `preferred` if it fits, else the candidate layout of
    /// that length with the most decimals that fits; nil when none fits or a token is missing from the vocabulary.
    /// Returns the ids and the value they spell.
    static func write(_ value: Double, tokenCount: Int, preferred: NumberLayout?, vocabulary: Vocabulary)
        -> (ids: [Int32], written: Double)?
    {
        var layouts: [NumberLayout] = preferred.map { [$0] } ?? []
        layouts += NumberLayout.candidates(tokenCount: tokenCount)
            .filter { $0 != preferred && !($0.hasPoint && $0.fractionDigits == 0) }
            .sorted { ($0.fractionDigits, $0.hasSign ? 0 : 1) > ($1.fractionDigits, $1.hasSign ? 0 : 1) }
        for layout in layouts where layout.tokenCount == tokenCount {
            guard let tokens = try? layout.tokens(for: value) else { continue }
            let ids = tokens.compactMap { vocabulary.id(of: $0) }
            guard ids.count == tokens.count, let written = NumberDecoding.value(of: tokens) else { continue }
            return (ids, written)
        }
        return nil
    }
}
