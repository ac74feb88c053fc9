import Foundation
import Tensors

/// The relative-position keys `kr = R·W_r` `[2L, H·d_head]` of every layer, kept between inference calls.
///
/// Without dropout, `kr` depends only on the length L and the layer's `W_r`, so repeated inference (prediction,
/// generation, `rt embed`) need not recompute it: 12 % of a 128-token forward. An entry is reused only when the
/// length matches and the layer's `W_r` is bit-for-bit the copy taken when the entry was made (one `memcmp` of
/// `d·H·d_head` floats, ~10 µs), so training steps or loaded weights in between can never serve stale keys.
/// Training (recording tape or dropout on) always computes `kr` on the tape and bypasses the cache.
final class PositionKeyCache: @unchecked Sendable {
    private struct Entry {
        let length: Int
        let weight: [Float]
        let keys: Tensor
    }

    private let lock = NSLock()
    private var entries: [Int: Entry] = [:]

    /// The keys of `layer` for `length`, from the cache when `weight` is unchanged, else from `compute` (and
    /// then cached).
    func keys(layer: Int, length: Int, weight: Tensor, compute: () throws -> Tensor) rethrows -> Tensor {
        lock.lock()
        let entry = entries[layer]
        lock.unlock()
        if let entry, entry.length == length, entry.weight.count == weight.count,
           entry.weight.withUnsafeBytes({ memcmp($0.baseAddress!, weight.unsafePointer, $0.count) == 0 }) {
            return entry.keys
        }
        let keys = try compute()
        let copy = weight.scalars
        lock.lock()
        entries[layer] = Entry(length: length, weight: copy, keys: keys)
        lock.unlock()
        return keys
    }
}
