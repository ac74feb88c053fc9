import Tensors

/// Whatever fills `[MASK]` positions: given encoded rows (`[CLS] … [SEP]` ids, some of them `[MASK]`), the model's
/// distribution over the vocabulary at every masked position. The XLNet implementation is `XLNetMaskFiller`; tests
/// plug in hand-made distributions, so the prediction and generation rules are tested without a trained network.
public protocol MaskFiller {
    /// For every row, one distribution per `[MASK]` position, in position order, at `temperature`.
    func distributions(for rows: [[Int32]], temperature: Double) throws -> [[TokenDistribution]]
}

/// Fills masks with an `XLNetModel` in inference mode (no dropout).
///
/// Rows are processed `batchSize` at a time, right-padded with `[PAD]` to an even length; `attention_mask` = id ≠
/// `[PAD]` (the RT collators' rule, with the vocabulary's real pad id); the query stream runs only for the masked
/// positions (identical logits to HF's identity target mapping there, docs/xlnet.md §3).
///
/// Permutation mask: every position may see every unmasked position and no masked one
/// (`perm_mask[i, j] = masked[j]`). This is the factorisation in which all masks are predicted first and
/// simultaneously — the situation of the first masked token of every training permutation, so in distribution —
/// and it makes predictions deterministic and independent of batch composition and input order. The original
/// draws a random permutation at inference time, which makes its evaluation stochastic (docs/inference.md §2).
public struct XLNetMaskFiller: MaskFiller {
    public let model: XLNetModel
    public let vocabulary: Vocabulary
    public var batchSize: Int

    public init(model: XLNetModel, vocabulary: Vocabulary, batchSize: Int = 32) {
        self.model = model
        self.vocabulary = vocabulary
        self.batchSize = max(1, batchSize)
    }

    public func distributions(for rows: [[Int32]], temperature: Double) throws -> [[TokenDistribution]] {
        let pad = vocabulary.specialIDs.pad, mask = vocabulary.specialIDs.mask
        var result: [[TokenDistribution]] = []
        result.reserveCapacity(rows.count)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + batchSize)]
            start += chunk.count
            let longest = chunk.map(\.count).max() ?? 0
            let length = max(2, longest + longest % 2)
            var ids: [Int32] = []
            var permutation: [Bool] = []
            var targets: [[Int]] = []
            ids.reserveCapacity(chunk.count * length)
            permutation.reserveCapacity(chunk.count * length * length)
            for row in chunk {
                let padded = row + [Int32](repeating: pad, count: length - row.count)
                let masked = padded.map { $0 == mask }
                ids += padded
                for _ in 0..<length { permutation += masked }
                targets.append(masked.indices.filter { masked[$0] })
            }
            guard targets.contains(where: { !$0.isEmpty }) else {
                result += chunk.map { _ in [] }
                continue
            }
            let batch = try XLNetBatch(batchSize: chunk.count, length: length, ids: ids,
                                       attentionMask: ids.map { $0 != pad }, permutationMask: permutation,
                                       targets: targets)
            let output = try model.forward(batch, tape: Tape(recording: false))
            guard let logits = output.logits else { throw InferenceError("the model returned no logits") }
            let table = try LogitRows(logits)
            var row = 0
            for positions in targets {
                result.append(positions.map { _ in
                    defer { row += 1 }
                    return table.distribution(row, temperature: temperature)
                })
            }
        }
        return result
    }
}
