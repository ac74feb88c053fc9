/// Stacking samples into one `[B, L]` id matrix (docs/training.md §1).
///
/// Samples are right-padded with `[PAD]` to the longest one and `L` is rounded up to an even number (XLNet's
/// permutation mask splits every row into two halves). The attention mask is `id != [PAD]`, which also hides the
/// even-length `[PAD]` the tokenizer puts before `[SEP]`, exactly as the original's `id != 0`.
///
/// Fix (docs/training.md §1): the original appends the odd-length filler column with id **0** and tests `id == 0` for
/// padding, which is wrong for `proteins.txt` (`[PAD]` is id 1, id 0 is the empty token). Here both use the
/// vocabulary's real pad id. For vocabularies with `[PAD]` = 0 nothing changes.
public enum BatchPadding {
    /// The ids of `samples` right-padded with `padID` to a common even length `L` (at least 2).
    public static func pad(_ samples: [ArraySlice<Int32>], padID: Int32) -> (ids: [Int32], length: Int) {
        let longest = samples.map(\.count).max() ?? 0
        let length = max(2, longest + longest % 2)
        var ids = [Int32](repeating: padID, count: samples.count * length)
        for (b, sample) in samples.enumerated() {
            var i = b * length
            for id in sample {
                ids[i] = id
                i += 1
            }
        }
        return (ids, length)
    }

    /// `attention_mask`: true where the id is not `padID`.
    public static func attentionMask(_ ids: [Int32], padID: Int32) -> [Bool] {
        ids.map { $0 != padID }
    }
}
