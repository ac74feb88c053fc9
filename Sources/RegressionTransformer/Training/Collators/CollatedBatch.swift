/// One batch ready for the model, as the RT's collators produce it (docs/training.md §1): `B` rows of
/// `L` ids (`L` even), which of them are masked, what the model must predict there, and who may see whom.
///
/// Every array is row-major: `inputIDs[b·L + i]` is position `i` of sample `b`. Target mapping is always the
/// identity in the RT, so it is not stored: the positions to predict are those with a label.
public struct CollatedBatch: Sendable, Equatable {
    /// The label of a position that is not predicted (PyTorch's ignore index).
    public static let ignoreIndex: Int32 = -100

    /// `B`.
    public let batchSize: Int
    /// `L`, the padded length (even).
    public let length: Int
    /// The model's input, `[B, L]`: the samples right-padded with `[PAD]`, masked positions replaced by
    /// `[MASK]` (and, for primed generation, the primer's digits written over the true value).
    public var inputIDs: [Int32]
    /// `[B, L]`: the original id at every masked position, `ignoreIndex` elsewhere.
    public var labels: [Int32]
    /// `attention_mask`, `[B, L]`: true for real tokens, false where the id is `[PAD]` (batch padding and the
    /// even-length `[PAD]`), computed from the vocabulary's real pad id.
    public var attentionMask: [Bool]
    /// `perm_mask`, `[B, L, L]`: true at `[b, i, j]` when position `i` may not attend to position `j`.
    public var permutationMask: [Bool]
    /// Per-sample weights of the generation loss (`[B]`; 1 unless primers were sampled, docs/training.md §5.4).
    public var sampleWeights: [Float]
    /// Per sample, the true value of each of the collator's properties before any priming (nil: missing or
    /// unreadable) — the original's `real_property`.
    public var realProperties: [[Double?]]

    public init(batchSize: Int, length: Int, inputIDs: [Int32], labels: [Int32], attentionMask: [Bool],
                permutationMask: [Bool], sampleWeights: [Float]? = nil, realProperties: [[Double?]]? = nil) {
        precondition(inputIDs.count == batchSize * length && labels.count == inputIDs.count
                     && attentionMask.count == inputIDs.count && permutationMask.count == inputIDs.count * length,
                     "collated arrays do not match B × L")
        self.batchSize = batchSize
        self.length = length
        self.inputIDs = inputIDs
        self.labels = labels
        self.attentionMask = attentionMask
        self.permutationMask = permutationMask
        self.sampleWeights = sampleWeights ?? [Float](repeating: 1, count: batchSize)
        self.realProperties = realProperties ?? [[Double?]](repeating: [], count: batchSize)
    }

    /// The ids of sample `b` as the model sees them.
    public func inputRow(_ b: Int) -> ArraySlice<Int32> { inputIDs[(b * length)..<((b + 1) * length)] }

    /// The labels of sample `b`.
    public func labelRow(_ b: Int) -> ArraySlice<Int32> { labels[(b * length)..<((b + 1) * length)] }

    /// Whether position `i` of sample `b` is predicted (has a label).
    public func isTarget(_ b: Int, _ i: Int) -> Bool { labels[b * length + i] != Self.ignoreIndex }

    /// The positions to predict, per sample, ascending: the model's target list (identity target mapping
    /// restricted to the labelled positions — the same logits there, docs/xlnet.md §3).
    public var targetPositions: [[Int]] {
        (0..<batchSize).map { b in (0..<length).filter { labels[b * length + $0] != Self.ignoreIndex } }
    }

    /// The targets in output-row order (sample by sample, positions ascending): sample, position and label.
    public var targetRows: [(sample: Int, position: Int, label: Int)] {
        var rows: [(Int, Int, Int)] = []
        for b in 0..<batchSize {
            for i in 0..<length where labels[b * length + i] != Self.ignoreIndex {
                rows.append((b, i, Int(labels[b * length + i])))
            }
        }
        return rows
    }

    /// Number of predicted positions.
    public var targetCount: Int { labels.reduce(0) { $0 + ($1 == Self.ignoreIndex ? 0 : 1) } }

    /// Number of real (non-padding) tokens.
    public var realTokenCount: Int { attentionMask.reduce(0) { $0 + ($1 ? 1 : 0) } }
}

/// Why a batch cannot be collated (e.g. a multi-entity batch whose samples have a single entity).
public struct CollatorError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
