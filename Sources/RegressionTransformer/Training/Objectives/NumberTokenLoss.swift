import Tensors

/// The Number Token Loss (Zausinger, Born et al. 2024, "Regress, Don't Guess", arXiv 2411.02083): a
/// regression-aware term on the model's distribution over digit tokens, added to the cross-entropy of
/// property-prediction steps. Cross-entropy treats `_4_-1_` and `_5_-1_` as unrelated classes when the truth is
/// `_5_-1_`; this term charges a prediction by how far its digits are from the truth.
///
/// For a target row whose label is the digit `y` at place `k` (`_y_k_`), let `p` be the model's distribution over
/// the digit tokens `_0_k_ … _9_k_` of that place that the vocabulary has (its softmax restricted to them). Then
///
/// * `wasserstein` (the paper's NTL-WAS): `Σ_d p_d · |d − y|`, the 1-Wasserstein distance between `p` and the
///   one-hot truth on the digit line;
/// * `mse` (NTL-MSE): `(Σ_d p_d · d − y)²`, the squared error of the expected digit.
///
/// The term is the mean over the batch's digit rows (sign and point rows do not count), multiplied by `weight`
/// (λ). Training configs set it with `number_token_loss` (`wasserstein` or `mse`) and
/// `number_token_loss_weight`.
public struct NumberTokenLoss: Sendable {
    /// Which distance between the digit distribution and the true digit.
    public enum Kind: String, Sendable, CaseIterable {
        case wasserstein, mse
    }

    public let kind: Kind
    /// λ, the term's weight next to the cross-entropy (≥ 0).
    public let weight: Double
    /// For every digit token of the vocabulary: its digit, and the ids and digits of its place's digit tokens.
    private let places: [Int32: (digit: Float, candidates: [Int], digits: [Float])]

    public init(kind: Kind, weight: Double, vocabulary: Vocabulary) {
        self.kind = kind
        self.weight = weight
        var places: [Int32: (digit: Float, candidates: [Int], digits: [Float])] = [:]
        for id in 0..<Int32(vocabulary.count) {
            guard case .digit(let digit, let order)? = vocabulary.numberToken(for: id) else { continue }
            var candidates: [Int] = [], digits: [Float] = []
            for d in UInt8(0)...9 {
                guard let candidate = vocabulary.id(of: .digit(d, order: order)) else { continue }
                candidates.append(Int(candidate))
                digits.append(Float(d))
            }
            places[id] = (Float(digit), candidates, digits)
        }
        self.places = places
    }

    /// The unweighted term for `logits` of `batch`'s target rows (`[N, V]`, `CollatedBatch.targetRows` order), or
    /// nil when no target row is a digit.
    public func loss(logits: Tensor, batch: CollatedBatch, tape: Tape) throws -> Tensor? {
        let rows = batch.targetRows
        var candidates = [[Int]](repeating: [], count: rows.count)
        var values = [[Float]](repeating: [], count: rows.count)
        var truth = [Float](repeating: 0, count: rows.count)
        var digitRows = 0
        for (r, row) in rows.enumerated() {
            guard let place = places[Int32(row.label)] else { continue }
            digitRows += 1
            candidates[r] = place.candidates
            truth[r] = place.digit
            switch kind {
            case .wasserstein: values[r] = place.digits.map { abs($0 - place.digit) }
            case .mse: values[r] = place.digits
            }
        }
        guard digitRows > 0 else { return nil }
        let expectation = try tape.candidateExpectation(logits: logits, candidates: candidates, values: values)
        switch kind {
        case .wasserstein:
            return tape.scale(tape.sum(expectation), 1 / Float(digitRows))
        case .mse:
            // Rows that are not digits have expectation 0 and truth 0: they add nothing to the sum of squares.
            let squares = try tape.mse(expectation, Tensor(truth))
            return tape.scale(squares, Float(rows.count) / Float(digitRows))
        }
    }
}
