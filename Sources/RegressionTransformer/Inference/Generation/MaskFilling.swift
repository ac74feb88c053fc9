/// In which order the masked sequence positions of a row are filled.
///
/// The original fills every mask from one forward pass (docs/inference.md §5.5): each masked token is
/// chosen independently given the unmasked context, so neighbouring choices cannot agree with each other — in SELFIES
/// a ring or branch symbol and the index symbols after it are drawn without seeing one another. XLNet is an
/// autoregressive model over any factorisation order, so it can also fill the masks one at a time, each seeing the
/// ones chosen before it; that is `sequential` (left to right, one forward pass per mask).
public enum FillOrder: String, Sendable, CaseIterable {
    /// All masks from one forward pass, independently (the original's decoding; the only order beam search has).
    case parallel
    /// Left to right, one forward pass per mask; each choice sees every earlier one.
    case sequential
}

extension InferenceModel {
    /// The ids chosen for the `[MASK]` positions of every row (in position order): one assignment per row, or
    /// `width` for beam search (parallel order only). Only tokens of the sequence alphabet are chosen.
    ///
    /// Randomness (sampling): parallel — row by row, position by position; sequential — pass by pass, and within a
    /// pass row by row (one number per row that still has a mask).
    ///
    /// - Throws: `InferenceError` for beam search in sequential order, or when the network fails.
    func fillMasks<R: CollatorRandomSource>(_ rows: [[Int32]], strategy: DecodingStrategy, order: FillOrder,
                                            random: inout R) throws -> [[[Int32]]] {
        guard !alphabet.ids.isEmpty else { throw InferenceError("the vocabulary has no \(language) tokens to fill masks with") }
        let temperature: Double
        if case .sample(let t) = strategy { temperature = t } else { temperature = 1 }
        switch order {
        case .parallel:
            let distributions = try filler.distributions(for: rows, temperature: temperature)
            return distributions.map { choose($0, strategy: strategy, random: &random) }
        case .sequential:
            if case .beam = strategy {
                throw InferenceError("beam search fills all masks at once: use the parallel fill order with it")
            }
            let mask = vocabulary.specialIDs.mask
            var current = rows
            var pending = rows.map { row in row.indices.filter { row[$0] == mask } }
            var chosen = rows.map { _ in [Int32]() }
            while true {
                let active = pending.indices.filter { !pending[$0].isEmpty }
                if active.isEmpty { break }
                let distributions = try filler.distributions(for: active.map { current[$0] }, temperature: temperature)
                for (r, ds) in zip(active, distributions) {
                    guard let first = ds.first else { throw InferenceError("the model returned no distribution for a mask") }
                    let id = choose([first], strategy: strategy, random: &random)[0][0]
                    current[r][pending[r].removeFirst()] = id
                    chosen[r].append(id)
                }
            }
            return chosen.map { [$0] }
        }
    }

    /// Assignments of independent positions by `strategy`: one for greedy and sampling, `width` for beam.
    private func choose<R: CollatorRandomSource>(_ distributions: [TokenDistribution], strategy: DecodingStrategy,
                                                 random: inout R) -> [[Int32]] {
        let allowed = alphabet.ids
        switch strategy {
        case .greedy:
            return [distributions.map { TokenSearch.greedy($0, allowed: allowed) ?? allowed[0] }]
        case .sample:
            return [distributions.map { TokenSearch.sample($0, allowed: allowed, random: &random) ?? allowed[0] }]
        case .beam(let width):
            return TokenSearch.best(distributions, allowed: Array(repeating: allowed, count: distributions.count),
                                    count: max(1, width)).map(\.ids)
        }
    }

    /// `tokens` with its `[MASK]` entries replaced, in order, by the tokens of `ids`.
    func substitute(_ tokens: [String], _ ids: [Int32]) -> [String] {
        var filled = tokens
        var next = ids.makeIterator()
        for k in filled.indices where filled[k] == SpecialToken.mask.text {
            if let id = next.next() { filled[k] = vocabulary.tokens[Int(id)] }
        }
        return filled
    }
}
