import Foundation
import Tensors

/// The model's distribution over the vocabulary at one predicted position, as natural-log probabilities in Double:
///
///     log p(t) = z_t / T − log Σ_u exp(z_u / T)
///
/// for logits `z` (one row of the LM head's output) and temperature `T > 0` (`T = 1` is the model's own
/// distribution; `T > 1` flattens it, `T < 1` sharpens it). Every decoder in this folder works on these rows, so the
/// model, its batch layout and the Tensor type stay out of the decoding rules.
public struct TokenDistribution: Equatable, Sendable {
    /// `log p(t)` for every token id `t` of the vocabulary (length `V`).
    public let logProbabilities: [Double]

    /// The distribution of `logits` (length `V`) at `temperature`.
    public init(logits: some Collection<Float>, temperature: Double = 1) {
        precondition(temperature > 0 && temperature.isFinite, "the temperature must be positive")
        let scaled = logits.map { Double($0) / temperature }
        let top = scaled.max() ?? 0
        var sum = 0.0
        for z in scaled { sum += exponential(z - top) }
        let logNormaliser = top + logarithm(sum)
        logProbabilities = scaled.map { $0 - logNormaliser }
    }

    /// A distribution given directly by its log-probabilities (tests, or scores computed elsewhere).
    public init(logProbabilities: [Double]) {
        self.logProbabilities = logProbabilities
    }

    /// `V`.
    public var vocabularySize: Int { logProbabilities.count }

    /// `log p(id)`; −∞ for an id outside the vocabulary.
    public func logProbability(of id: Int32) -> Double {
        id >= 0 && Int(id) < logProbabilities.count ? logProbabilities[Int(id)] : -.infinity
    }

    /// `p(id)`.
    public func probability(of id: Int32) -> Double { exponential(logProbability(of: id)) }

    /// `log Σ_{t ∈ ids} p(t)`, computed stably (−∞ for no ids).
    public func logMass(of ids: [Int32]) -> Double {
        let values = ids.map(logProbability(of:))
        guard let top = values.max(), top > -.infinity else { return -.infinity }
        return top + logarithm(values.reduce(0) { $0 + exponential($1 - top) })
    }

    /// The probabilities of `ids` renormalised to sum to 1 (the distribution restricted to `ids`); all zero when the
    /// ids have no mass.
    public func restricted(to ids: [Int32]) -> [Double] {
        let logTotal = logMass(of: ids)
        guard logTotal > -.infinity else { return [Double](repeating: 0, count: ids.count) }
        return ids.map { exponential(logProbability(of: $0) - logTotal) }
    }
}

/// Logit rows as the LM head returns them: `[N, V]` row-major, one row per predicted position.
public struct LogitRows: Sendable {
    /// `N`.
    public let count: Int
    /// `V`.
    public let vocabularySize: Int
    /// The `N·V` logits.
    public let values: [Float]

    /// Rows from a flat array.
    /// - Throws: `InferenceError` when `values.count` is not a multiple of `vocabularySize`, or when a logit is NaN
    ///   or infinite (a corrupt or overflowing model: no decoder can rank such a row, so none is asked to).
    public init(values: [Float], vocabularySize: Int) throws(InferenceError) {
        guard vocabularySize > 0, values.count % vocabularySize == 0 else {
            throw InferenceError("\(values.count) logits do not form rows of \(vocabularySize)")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw InferenceError("the model produced a non-finite logit (\(values[bad].isNaN ? "NaN" : "an infinity")) in row \(bad / vocabularySize) "
                                 + "(its weights are corrupt or its activations overflowed)")
        }
        self.values = values
        self.vocabularySize = vocabularySize
        count = values.count / vocabularySize
    }

    /// Rows from a `[N, V]` tensor.
    public init(_ tensor: Tensor) throws(InferenceError) {
        guard tensor.shape.rank == 2 else { throw InferenceError("logits must be [N, V], not \(tensor.shape)") }
        try self.init(values: tensor.scalars, vocabularySize: tensor.shape[1])
    }

    /// The distribution of row `r` at `temperature`.
    public func distribution(_ r: Int, temperature: Double = 1) -> TokenDistribution {
        TokenDistribution(logits: values[(r * vocabularySize)..<((r + 1) * vocabularySize)], temperature: temperature)
    }
}

@inline(__always) func exponential(_ x: Double) -> Double { x == -.infinity ? 0 : Foundation.exp(x) }
@inline(__always) func logarithm(_ x: Double) -> Double { x <= 0 ? -.infinity : Foundation.log(x) }
