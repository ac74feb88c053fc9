/// The grammar of one masked property value: the layouts its tokens may take, and for each layout and position the
/// vocabulary ids allowed there (docs/inference.md §3.2, decided: decoding is constrained so that a prediction is
/// always a number).
///
/// A slot of `n` `[MASK]`s (GT4SD's `property_mask_length`) may hold a value in several layouts — five tokens are
/// `d.ddd`, `dd.dd`, `±d.dd`, … — and the model's own distribution decides between them: constrained decoding
/// maximises (or samples) the joint probability over the *union* of the layouts' token strings. At a digit position
/// of order `k` only the ten `_d_k_` tokens compete (those the vocabulary has: `_0_-6_`, for instance, is missing from
/// the shipped files), at a point position only `_._`, at a sign position `_-_` and `_+_`.
///
/// Different layouts never spell the same token string (they differ in some position's kind or digit order), so the
/// union is a disjoint union and its probability is the sum over layouts.
public struct NumberSlot: Equatable, Sendable {
    /// The longest value slot decoded (15 tokens: up to 13 digits, a point and a sign).
    public static let maximumTokenCount = 15

    /// The candidate layouts, in preference order (ties go to the earlier one).
    public let layouts: [NumberLayout]
    /// `allowed[l][k]`: the ids allowed at position `k` of layout `l`, ascending.
    public let allowed: [[[Int32]]]
    /// The number token of every allowed id.
    let numberTokens: [Int32: NumberToken]

    /// The slot for `layouts` over `vocabulary`'s number tokens. Layouts with a position the vocabulary cannot fill
    /// (no allowed id at all) are dropped.
    /// - Throws: if the layouts differ in length or none is left.
    public init(layouts: [NumberLayout], vocabulary: Vocabulary) throws(InferenceError) {
        guard let first = layouts.first else { throw InferenceError("a number slot needs at least one layout") }
        guard layouts.allSatisfy({ $0.tokenCount == first.tokenCount }) else {
            throw InferenceError("the layouts of one slot must have the same number of tokens: \(layouts)")
        }
        guard first.tokenCount <= Self.maximumTokenCount else {
            throw InferenceError("a number slot of \(first.tokenCount) tokens is longer than the \(Self.maximumTokenCount) this decoder supports")
        }
        var kept: [NumberLayout] = []
        var allowed: [[[Int32]]] = []
        var numberTokens: [Int32: NumberToken] = [:]
        for layout in layouts {
            let ids = layout.positions.map { vocabulary.ids(allowedAt: $0).sorted() }
            if ids.allSatisfy({ !$0.isEmpty }) {
                kept.append(layout)
                allowed.append(ids)
                for id in ids.joined() { numberTokens[id] = vocabulary.numberToken(for: id) }
            }
        }
        guard !kept.isEmpty else {
            throw InferenceError("the vocabulary has no number tokens for the layouts \(layouts)")
        }
        self.layouts = kept
        self.allowed = allowed
        self.numberTokens = numberTokens
    }

    /// The slot of `tokenCount` value tokens for a property whose values (in the model's units) lie in
    /// `valueRange` — the candidate layouts of `NumberSlot.layouts(tokenCount:valueRange:)`.
    public init(tokenCount: Int, valueRange: ClosedRange<Double>?, vocabulary: Vocabulary) throws(InferenceError) {
        try self.init(layouts: Self.layouts(tokenCount: tokenCount, valueRange: valueRange), vocabulary: vocabulary)
    }

    /// Number of tokens of the slot.
    public var tokenCount: Int { layouts[0].tokenCount }

    /// The layouts of exactly `tokenCount` tokens that can hold values of `valueRange` (model units):
    ///
    /// - a sign position only if the range reaches below 0 (unsigned layouts always stay candidates: the tokenizer
    ///   writes non-negative values without a sign);
    /// - at most as many integer digits as the larger of `|min|` and `|max|` needs (at least one);
    /// - no trailing point (the tokenizer never writes one for data it produced).
    ///
    /// Without a range every layout of `NumberLayout.candidates(tokenCount:)` is a candidate. Order: fewest integer
    /// digits first, unsigned before signed.
    public static func layouts(tokenCount: Int, valueRange: ClosedRange<Double>?) -> [NumberLayout] {
        let all = NumberLayout.candidates(tokenCount: tokenCount)
        guard let range = valueRange else { return all }
        let magnitude = max(abs(range.lowerBound), abs(range.upperBound))
        let integerDigits = magnitude < 1 ? 1 : magnitude >= 1e15 ? tokenCount : String(Int(magnitude)).count
        return all.filter { layout in
            (!layout.hasSign || range.lowerBound < 0) && layout.integerDigits <= integerDigits
        }
    }
}

/// A number read from a slot: its tokens, layout, value and joint log-probability.
public struct NumberReading: Equatable, Sendable {
    /// The chosen ids, one per slot position.
    public var ids: [Int32]
    public var tokens: [NumberToken]
    public var layout: NumberLayout
    /// The value the tokens spell (model units).
    public var value: Double
    /// `Σ_k log p_k(t_k)` under the model (full-vocabulary softmax at the decoder's temperature).
    public var logProbability: Double
}

extension NumberSlot {
    /// The most probable well-formed number: for every layout the per-position argmax over its allowed ids (positions
    /// are independent), then the layout whose string has the highest joint probability (ties: earlier layout).
    /// - Precondition: one distribution per slot position.
    public func greedy(_ distributions: [TokenDistribution]) -> NumberReading {
        // `best` is never empty for distributions with finite log-probabilities (`LogitRows` refuses others); the
        // fallback keeps a hand-made distribution of NaNs from trapping: the first layout's first ids, scored −∞.
        best(distributions, count: 1).first
            ?? reading(allowed[0].map { $0[0] }, layout: layouts[0], logProbability: -.infinity)
    }

    /// The `count` most probable well-formed numbers, best first: the k best strings of every layout
    /// (`TokenSearch.best`), merged by joint log-probability (stable: earlier layout, then the layout's own order).
    /// The first equals `greedy`. This is the original's beam search over the digits (docs/inference.md §3.3), constrained.
    public func best(_ distributions: [TokenDistribution], count: Int) -> [NumberReading] {
        precondition(distributions.count == tokenCount, "one distribution per slot position")
        var readings: [NumberReading] = []
        for (l, layout) in layouts.enumerated() {
            for assignment in TokenSearch.best(distributions, allowed: allowed[l], count: count) {
                readings.append(reading(assignment.ids, layout: layout, logProbability: assignment.logProbability))
            }
        }
        // Array.sort is not guaranteed stable: sort by (score, insertion order).
        let ordered = readings.enumerated().sorted {
            $0.element.logProbability != $1.element.logProbability
                ? $0.element.logProbability > $1.element.logProbability : $0.offset < $1.offset
        }
        return ordered.prefix(count).map(\.element)
    }

    /// One draw from the model's distribution restricted to well-formed numbers (exact, not per-position
    /// rejection): first a layout `l` with probability `Z_l / Σ_m Z_m`, where `Z_l = Π_k Σ_{t ∈ allowed_l,k} p_k(t)`
    /// is the mass of the layout's strings, then each position from `p_k` restricted to `allowed_l,k`. Uses
    /// `1 + tokenCount` random numbers. The temperature is the distributions' own.
    public func sample<R: CollatorRandomSource>(_ distributions: [TokenDistribution], random: inout R) -> NumberReading {
        precondition(distributions.count == tokenCount, "one distribution per slot position")
        let logMasses = allowed.map { ids in zip(distributions, ids).reduce(0.0) { $0 + $1.0.logMass(of: $1.1) } }
        let top = logMasses.max() ?? 0
        let weights = logMasses.map { exponential($0 - top) }
        let total = weights.reduce(0, +)
        let u = random.unit() * total
        var l = layouts.count - 1
        var cumulative = 0.0
        for (k, w) in weights.enumerated() {
            cumulative += w
            if u < cumulative {
                l = k
                break
            }
        }
        var ids: [Int32] = []
        var score = 0.0
        for (distribution, allowedIDs) in zip(distributions, allowed[l]) {
            // Allowed lists are never empty; a list without mass (impossible for finite logits) falls back to its first id.
            let id = TokenSearch.sample(distribution, allowed: allowedIDs, random: &random) ?? allowedIDs[0]
            ids.append(id)
            score += distribution.logProbability(of: id)
        }
        return reading(ids, layout: layouts[l], logProbability: score)
    }

    func reading(_ ids: [Int32], layout: NumberLayout, logProbability: Double) -> NumberReading {
        // Every allowed id is a number token of its position, so the string is a number in `layout`.
        let tokens = ids.compactMap { numberTokens[$0] }
        return NumberReading(ids: ids, tokens: tokens, layout: layout, value: NumberDecoding.value(of: tokens) ?? .nan,
                             logProbability: logProbability)
    }
}
