import Foundation
import Tensors

/// XLNet's sinusoidal relative-position encoding for bidirectional attention without memory
/// (docs/xlnet.md §4.3):
///
///     pos[p] = L − p  for p = 0 ..< 2L     (L, L−1, …, −L+1: the distance i − j of row L − i + j)
///     inv_freq[t] = 1 / 10000^(2t/d)       t = 0 ..< d/2
///     R[p] = [sin(pos[p]·inv_freq), cos(pos[p]·inv_freq)]   (concatenated halves, not interleaved)
///
/// With `clampLength > 0` positions are clamped to ±clampLength. Computed as torch does in float32 (exponent
/// and reciprocal rounded to Float, the product `pos·inv_freq` in Float), with sin and cos evaluated in Double
/// and rounded once.
enum RelativePositions {
    /// R as a `[2L, d]` tensor.
    static func encoding(length l: Int, dimension d: Int, clampLength: Int) -> Tensor {
        let half = d / 2
        let r = Tensor(uninitialized: [2 * l, d])
        let out = r.unsafePointer
        var inverse = [Float](repeating: 0, count: half)
        for t in 0..<half {
            let exponent = Float(2 * t) / Float(d)
            inverse[t] = 1 / Float(pow(10000.0, Double(exponent)))
        }
        for p in 0..<(2 * l) {
            var position = Float(l - p)
            if clampLength > 0 { position = min(max(position, -Float(clampLength)), Float(clampLength)) }
            let row = out + p * d
            for t in 0..<half {
                let angle = Double(position * inverse[t])
                row[t] = Float(sin(angle))
                row[half + t] = Float(cos(angle))
            }
        }
        return r
    }
}
