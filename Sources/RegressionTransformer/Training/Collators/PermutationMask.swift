/// XLNet's permutation mask for one sample (the original's `get_permutation_order`, identical to HF 3.1;
/// docs/training.md §4).
///
/// 1. `r` = a uniformly random permutation of `0 … L/2−1`;
/// 2. factorisation order `π[k] = r[k]` for `k < L/2` and `π[k] = r[k − L/2] + L/2` for `k ≥ L/2` (the first half
///    always precedes the second, both halves share one shuffle);
/// 3. `π[k] = −1` at every position that is not masked — visible context, `[CLS]`/`[SEP]` included (HF 3.1's
///    `non_func_mask = ~(pad & special)` is true everywhere, so this holds for padding too);
/// 4. `perm_mask[i, j] = 1 ⇔ π[i] ≤ π[j] ∧ masked[j]`.
///
/// So nobody sees a masked token except masked queries later in the order, a masked token cannot see itself,
/// and unmasked tokens never see masked ones.
///
/// Test vector (docs/training.md §4): `L = 8`, `r = [2, 0, 3, 1]` → `π = [2, 0, 3, 1, 6, 4, 7, 5]`; masked = {2, 3, 4} →
/// `π = [−1, −1, 3, 1, 6, −1, −1, −1]` → rows 0, 1, 3, 5, 6, 7 = `00111000`, row 2 = `00101000`, row 4 = `00001000`.
public enum PermutationMask {
    /// `π` before step 3, from the half-length shuffle `r`.
    public static func factorisationOrder(shuffle r: [Int]) -> [Int] {
        let half = r.count
        return r + r.map { $0 + half }
    }

    /// The `L × L` mask (row-major) of one sample with `masked` positions and half-length shuffle `r`
    /// (`r.count == masked.count / 2`).
    public static func mask(masked: some Collection<Bool>, shuffle r: [Int]) -> [Bool] {
        var out: [Bool] = []
        append(masked: Array(masked), shuffle: r, into: &out)
        return out
    }

    /// Appends the `L × L` mask of one sample to `out`.
    public static func append(masked: [Bool], shuffle r: [Int], into out: inout [Bool]) {
        let length = masked.count
        precondition(length % 2 == 0 && r.count == length / 2, "the permutation mask needs an even length L and a shuffle of L/2")
        var order = factorisationOrder(shuffle: r)
        for k in 0..<length where !masked[k] { order[k] = -1 }
        out.reserveCapacity(out.count + length * length)
        for i in 0..<length {
            let oi = order[i]
            for j in 0..<length { out.append(masked[j] && oi <= order[j]) }
        }
    }

    /// Appends the mask of one sample, drawing its shuffle from `random` (`L/2 − 1` draws).
    public static func append<R: CollatorRandomSource>(masked: [Bool], random: inout R, into out: inout [Bool]) {
        append(masked: masked, shuffle: random.permutation(masked.count / 2), into: &out)
    }
}
