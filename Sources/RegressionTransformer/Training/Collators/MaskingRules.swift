/// The masking step every collator ends with (the original's `mask()`, docs/training.md §2): a collator
/// chooses candidate positions, then this
///
/// 1. drops every position holding a special token or padding — never `[CLS]`, `[SEP]`, `[PAD]`, `[MASK]` or
///    `[UNK]` (transformers 4.x's set; 3.1 protected only `[CLS]`/`[SEP]` and padding, which let `[UNK]` be
///    masked — a deliberate, harmless tightening since strict data has no `[UNK]`);
/// 2. writes `[MASK]` into the input at the remaining positions and the original id into their label
///    (`CollatedBatch.ignoreIndex` elsewhere).
public struct MaskingRules: Sendable {
    /// Ids that are never masked.
    public let protectedIDs: Set<Int32>
    public let maskID: Int32
    public let padID: Int32

    public init(vocabulary: Vocabulary) {
        let s = vocabulary.specialIDs
        protectedIDs = [s.classifier, s.separator, s.pad, s.mask, s.unknown]
        maskID = s.mask
        padID = s.pad
    }

    /// Whether position `k` of `ids` may be masked.
    @inline(__always)
    public func isMaskable(_ id: Int32) -> Bool { !protectedIDs.contains(id) }

    /// Applies `candidates` (`[B, L]`) to `inputs` and `labels` (both `[B, L]`, labels initialised by the
    /// caller) and returns the positions actually masked.
    ///
    /// `labels` receives the id of `inputs` at each masked position *before* it is replaced; positions not
    /// masked here keep whatever label they had (so several property passes merge by `max`, as in the original).
    public func apply(_ candidates: [Bool], inputs: inout [Int32], labels: inout [Int32]) -> [Bool] {
        var masked = candidates
        for k in masked.indices where masked[k] {
            let id = inputs[k]
            guard isMaskable(id) else {
                masked[k] = false
                continue
            }
            labels[k] = id
            inputs[k] = maskID
        }
        return masked
    }
}
