/// Property prediction (`PropertyCollator`, key `property`, docs/training.md §5.2): masks the value of each
/// listed property so the model learns to predict it from the sequence.
///
/// For each property `P` in turn (applied to the same batch, as the original's chain of single-property
/// collators): in every sample find the block `<P> value |`; mask every value token (sign, digits, point), or —
/// with a masking `order` — the value tokens at offsets `order.prefix(count)` from the first value token that
/// exist (values may be shorter). Each property gets its own permutation mask (a fresh shuffle per sample); the
/// masks are OR-ed and the labels merged, so a property's digits see neither their own later digits nor any
/// other property's digits.
///
/// Fixes (docs/training.md §5.2): a sample without `P` has nothing masked for `P` (the original substitutes position
/// 0 and masks the other properties); an `order` without a count means "all of the order" (the original
/// crashes); a duplicated property uses its first block (the original raises, or continues misaligned with
/// `ignore_errors`). Property tokens must be in the vocabulary.
public struct PropertyCollator: Collator {
    /// One property to mask.
    public struct Target: Sendable, Equatable {
        /// The name without brackets, e.g. `qed`.
        public var name: String
        /// How many value tokens to mask (`num_tokens_to_mask`; nil or −1: all).
        public var count: Int?
        /// The order in which value tokens are masked, as offsets from the first value token
        /// (`mask_token_order`, e.g. `[2, 3, 4, 0, 1]`); nil: left to right.
        public var order: [Int]?

        public init(name: String, count: Int? = nil, order: [Int]? = nil) {
            self.name = name
            self.count = count
            self.order = order
        }

        /// The value offsets to mask for a value of `valueCount` tokens.
        func offsets(valueCount: Int) -> [Int] {
            let limit = count.flatMap { $0 < 0 ? nil : $0 }
            if let order {
                return Array(order.prefix(limit ?? order.count)).filter { $0 >= 0 && $0 < valueCount }
            }
            return Array((0..<valueCount).prefix(limit ?? valueCount))
        }
    }

    public let targets: [Target]
    public let rules: MaskingRules
    let vocabulary: Vocabulary

    /// - Throws: `CollatorError` when a property's `<name>` token is not in the vocabulary or a count is 0.
    public init(vocabulary: Vocabulary, targets: [Target]) throws {
        guard !targets.isEmpty else { throw CollatorError("the property collator needs at least one property") }
        for t in targets {
            guard vocabulary.id(of: "<\(t.name)>") != nil else {
                throw CollatorError("the property token <\(t.name)> is not in the vocabulary")
            }
            if let c = t.count, c == 0 { throw CollatorError("num_tokens_to_mask for <\(t.name)> must not be 0") }
        }
        self.targets = targets
        self.vocabulary = vocabulary
        rules = MaskingRules(vocabulary: vocabulary)
    }

    /// Every value token of each of `names`.
    public init(vocabulary: Vocabulary, properties names: [String]) throws {
        try self.init(vocabulary: vocabulary, targets: names.map { Target(name: $0) })
    }

    public func collate<R: CollatorRandomSource>(_ samples: [ArraySlice<Int32>], random: inout R) throws -> CollatedBatch {
        let (ids, length) = BatchPadding.pad(samples, padID: rules.padID)
        return mask(ids: ids, batchSize: samples.count, length: length, random: &random)
    }

    /// Masks already padded ids `[B, L]` — also used by the self-consistency loss on generated sequences,
    /// where the attention mask is `id != [PAD]` of the generated ids.
    ///
    /// Draws, per property in order and per sample in order, the shuffle of that sample's permutation mask.
    public func mask<R: CollatorRandomSource>(ids: [Int32], batchSize: Int, length: Int, random: inout R)
        -> CollatedBatch
    {
        var inputs = ids
        var labels = [Int32](repeating: CollatedBatch.ignoreIndex, count: ids.count)
        var permutation = [Bool](repeating: false, count: batchSize * length * length)
        var realProperties = [[Double?]](repeating: [], count: batchSize)
        let layouts = (0..<batchSize).map { SampleLayout(ids: ids[($0 * length)..<(($0 + 1) * length)], vocabulary: vocabulary) }
        for target in targets {
            var candidates = [Bool](repeating: false, count: ids.count)
            for b in 0..<batchSize {
                let row = b * length
                guard let span = layouts[b].property(named: target.name) else {
                    realProperties[b].append(nil)
                    continue
                }
                let value = ids[(row + span.value.lowerBound)..<(row + span.value.upperBound)]
                realProperties[b].append(Self.value(value, vocabulary))
                for offset in target.offsets(valueCount: span.value.count) {
                    candidates[row + span.value.lowerBound + offset] = true
                }
            }
            let masked = rules.apply(candidates, inputs: &inputs, labels: &labels)
            var one: [Bool] = []
            one.reserveCapacity(length * length)
            for b in 0..<batchSize {
                one.removeAll(keepingCapacity: true)
                PermutationMask.append(masked: Array(masked[(b * length)..<((b + 1) * length)]), random: &random, into: &one)
                let base = b * length * length
                for k in 0..<(length * length) where one[k] { permutation[base + k] = true }
            }
        }
        return CollatedBatch(batchSize: batchSize, length: length, inputIDs: inputs, labels: labels,
                             attentionMask: BatchPadding.attentionMask(ids, padID: rules.padID),
                             permutationMask: permutation, realProperties: realProperties)
    }

    /// The value of number-token ids, nil if they do not form a number.
    static func value(_ ids: ArraySlice<Int32>, _ vocabulary: Vocabulary) -> Double? {
        var tokens: [NumberToken] = []
        for id in ids {
            guard let t = vocabulary.numberToken(for: id) else { return nil }
            tokens.append(t)
        }
        return NumberDecoding.value(of: tokens)
    }
}
