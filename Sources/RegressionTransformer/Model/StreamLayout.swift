import Tensors

/// Where the rows of the two XLNet streams sit in one stacked tensor, and what each row may attend to.
///
/// Both streams go through the same weights, so they are kept as one `[R, d]` tensor, `R = B·L + N`: rows
/// `b·L + i` are the content stream `h` at position `i` of sample `b`; rows `B·L + k` are the query stream `g`
/// of the `N` target rows, sample by sample (`queryOffsets[b] ..< queryOffsets[b+1]` belong to sample `b`).
/// Every projection, layer norm and feed-forward pass runs once over all `R` rows.
///
/// Masks (docs/xlnet.md §4.2), precomputed once per forward and shared by all layers as `blocked` `[R, L]`
/// (1 = may not attend): with `pad[b, j]` = not `attention_mask` and `perm[b, i, j]` the permutation mask,
/// content row (b, i) is blocked at j iff `(pad[b,j] ∨ perm[b,i,j]) ∧ i ≠ j` (a token always sees itself);
/// query row (b, t) iff `pad[b,j] ∨ perm[b,t,j]`. Without either mask nothing is blocked (`blocked` nil).
///
/// The attention core works per (sample, head) "item" on the sample's `L + n_b` rows: its `L` content rows
/// first, then its `n_b` query rows ("item rows").
struct StreamLayout {
    let batchSize: Int
    let length: Int
    /// `B·L`.
    let contentRows: Int
    /// `R = B·L + N`.
    let rows: Int
    /// `B + 1` cumulative counts of query rows.
    let queryOffsets: [Int]
    /// Position of each query row (`N`).
    let queryPositions: [Int32]
    /// `[R, L]`, 1 where the row may not attend to the key; nil when nothing is blocked.
    let blocked: Tensor?
    /// Rows blocked at every key (their attention weights are uniform and do not depend on the scores).
    let blockedEverywhere: Set<Int>

    init(batch: XLNetBatch) {
        let b = batch.batchSize, l = batch.length
        batchSize = b
        length = l
        contentRows = b * l
        var offsets = [0]
        var positions: [Int32] = []
        for s in 0..<b {
            let t = batch.targets?[s] ?? []
            positions += t.map(Int32.init)
            offsets.append(offsets[s] + t.count)
        }
        queryOffsets = offsets
        queryPositions = positions
        rows = b * l + positions.count
        guard batch.attentionMask != nil || batch.permutationMask != nil else {
            blocked = nil
            blockedEverywhere = []
            return
        }
        let mask = Tensor(uninitialized: [b * l + positions.count, l])
        let m = mask.unsafePointer
        let pad = batch.attentionMask, perm = batch.permutationMask
        var everywhere = Set<Int>()
        func fill(row: Int, sample s: Int, position i: Int, isContent: Bool) {
            let out = m + row * l
            var count = 0
            for j in 0..<l {
                var isBlocked = !(pad?[s * l + j] ?? true) || (perm?[(s * l + i) * l + j] ?? false)
                if isContent && i == j { isBlocked = false }
                out[j] = isBlocked ? 1 : 0
                if isBlocked { count += 1 }
            }
            if count == l { everywhere.insert(row) }
        }
        for s in 0..<b {
            for i in 0..<l { fill(row: s * l + i, sample: s, position: i, isContent: true) }
            for k in offsets[s]..<offsets[s + 1] {
                fill(row: b * l + k, sample: s, position: Int(positions[k]), isContent: false)
            }
        }
        blocked = mask
        blockedEverywhere = everywhere
    }

    /// `N`.
    var queryRows: Int { rows - contentRows }

    /// Number of item rows of sample `b`: `L + n_b`.
    @inline(__always) func itemRows(_ b: Int) -> Int { length + queryOffsets[b + 1] - queryOffsets[b] }

    /// Σ over earlier samples of their item rows: `b·L + queryOffsets[b]`.
    @inline(__always) func itemRowBase(_ b: Int) -> Int { b * length + queryOffsets[b] }

    /// The stacked-tensor row of item row `r` of sample `b`.
    @inline(__always) func streamRow(_ r: Int, sample b: Int) -> Int {
        r < length ? b * length + r : contentRows + queryOffsets[b] + r - length
    }

    /// The sequence position of item row `r` of sample `b`.
    @inline(__always) func position(_ r: Int, sample b: Int) -> Int {
        r < length ? r : Int(queryPositions[queryOffsets[b] + r - length])
    }
}
