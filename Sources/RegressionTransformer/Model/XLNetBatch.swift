/// One batch of model inputs, in the RT's terms (docs/xlnet.md §3): `B` sequences of `L` token ids,
/// which positions are real tokens, which positions may not see which, and which positions to predict.
///
/// Targets replace HF's one-hot `target_mapping`: `targets[b]` lists the positions of sample `b` whose token
/// the query stream predicts, and the model returns one logit row per listed position, in this order (sample
/// by sample). RT's collators pass the identity mapping with labels −100 off-target; because XLNet's query
/// streams never feed each other or the content stream, listing only the labelled positions gives exactly the
/// same logits and loss at a fraction of the cost (docs/xlnet.md §6.2) — `init(ids:…:labels:)` does that. Listing every
/// position (`XLNetBatch.allPositions`) is HF's identity mapping, the "full form".
public struct XLNetBatch: Sendable {
    /// `B`.
    public let batchSize: Int
    /// `L`, the padded length.
    public let length: Int
    /// Token ids, row-major `[B, L]`.
    public let ids: [Int32]
    /// `attention_mask`, `[B, L]`: true for real tokens, false for padding (keys that nobody may attend to).
    /// Nil: every position is visible (HF without an attention mask, e.g. the vanilla PLM collator).
    public let attentionMask: [Bool]?
    /// `perm_mask`, `[B, L, L]`: true at `[b, i, j]` when position `i` may not attend to position `j`.
    /// Nil: no permutation constraints.
    public let permutationMask: [Bool]?
    /// Positions predicted by the query stream, per sample (distinct, each in `0..<L`). Nil: no query stream
    /// at all (content stream only, as HF without `target_mapping`).
    public let targets: [[Int]]?

    /// A batch; checks every size and index.
    /// - Throws: `XLNetError.invalidInput` naming what does not fit.
    public init(batchSize: Int, length: Int, ids: [Int32], attentionMask: [Bool]? = nil,
                permutationMask: [Bool]? = nil, targets: [[Int]]? = nil) throws {
        guard batchSize > 0, length > 0 else {
            throw XLNetError.invalidInput("batch size \(batchSize) and length \(length) must be positive")
        }
        guard ids.count == batchSize * length else {
            throw XLNetError.invalidInput("\(ids.count) ids for a batch of \(batchSize) × \(length)")
        }
        if let m = attentionMask, m.count != batchSize * length {
            throw XLNetError.invalidInput("attention mask has \(m.count) entries, expected \(batchSize) × \(length)")
        }
        if let m = permutationMask, m.count != batchSize * length * length {
            throw XLNetError.invalidInput(
                "permutation mask has \(m.count) entries, expected \(batchSize) × \(length) × \(length)")
        }
        if let targets {
            guard targets.count == batchSize else {
                throw XLNetError.invalidInput("targets for \(targets.count) samples, expected \(batchSize)")
            }
            for (b, positions) in targets.enumerated() {
                var seen = Set<Int>()
                for p in positions {
                    guard p >= 0 && p < length else {
                        throw XLNetError.invalidInput("target position \(p) of sample \(b) is outside 0..<\(length)")
                    }
                    guard seen.insert(p).inserted else {
                        throw XLNetError.invalidInput("target position \(p) of sample \(b) is listed twice")
                    }
                }
            }
        }
        self.batchSize = batchSize
        self.length = length
        self.ids = ids
        self.attentionMask = attentionMask
        self.permutationMask = permutationMask
        self.targets = targets
    }

    /// A batch whose targets are the positions with a label (≠ `ignoreIndex`) in `labels` `[B, L]`, as RT's
    /// collators mark them; returns the batch and the labels of the target rows in output order.
    public static func withTargets(fromLabels labels: [Int], batchSize: Int, length: Int, ids: [Int32],
                                   attentionMask: [Bool]? = nil, permutationMask: [Bool]? = nil,
                                   ignoreIndex: Int = -100) throws -> (batch: XLNetBatch, labels: [Int]) {
        guard labels.count == batchSize * length else {
            throw XLNetError.invalidInput("\(labels.count) labels for a batch of \(batchSize) × \(length)")
        }
        var targets: [[Int]] = []
        var rowLabels: [Int] = []
        for b in 0..<batchSize {
            var positions: [Int] = []
            for i in 0..<length where labels[b * length + i] != ignoreIndex {
                positions.append(i)
                rowLabels.append(labels[b * length + i])
            }
            targets.append(positions)
        }
        let batch = try XLNetBatch(batchSize: batchSize, length: length, ids: ids, attentionMask: attentionMask,
                                   permutationMask: permutationMask, targets: targets)
        return (batch, rowLabels)
    }

    /// Every position of every sample: HF's identity `target_mapping` (the full form).
    public static func allPositions(batchSize: Int, length: Int) -> [[Int]] {
        [[Int]](repeating: Array(0..<length), count: batchSize)
    }

    /// Number of query-stream rows (Σ targets).
    public var targetCount: Int { targets?.reduce(0) { $0 + $1.count } ?? 0 }

    /// The (sample, position) of each query-stream row, in output order.
    public var targetRows: [(sample: Int, position: Int)] {
        guard let targets else { return [] }
        return targets.enumerated().flatMap { b, ps in ps.map { (b, $0) } }
    }
}

/// Errors of the model itself (inputs that do not fit, weights that do not fit the configuration).
public enum XLNetError: Error, Equatable, CustomStringConvertible {
    case invalidInput(String)
    case invalidModel(String)

    public var description: String {
        switch self {
        case .invalidInput(let m): return "model input: \(m)"
        case .invalidModel(let m): return "model: \(m)"
        }
    }
}
