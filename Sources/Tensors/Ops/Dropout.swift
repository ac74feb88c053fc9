/// Inverted dropout with counter-based masks: element i of a tensor is kept iff
/// `key.bits(i) ≥ RandomKey.dropThreshold(p)` and kept elements are scaled by 1/(1−p). The mask is a pure
/// function of (key, i): backward regenerates it instead of storing it, fused kernels elsewhere can apply the
/// same mask, and results do not depend on the thread count.
extension Tape {
    /// `y = x · m / (1 − p)` with the keep-mask m drawn from `key`; `p = 0` returns x itself (nothing recorded),
    /// `p = 1` zeros everything. Backward: `dx += dy · m / (1 − p)`.
    /// - Throws: `TensorError.invalidArgument` for p outside [0, 1] or tensors of 2³² elements or more.
    public func dropout(_ x: Tensor, p: Float, key: RandomKey) throws -> Tensor {
        guard p >= 0 && p <= 1 else { throw TensorError.invalidArgument(op: "dropout", detail: "probability \(p) outside [0, 1]") }
        if p == 0 { return x }
        guard x.count < Int(UInt32.max) else {
            throw TensorError.invalidArgument(op: "dropout", detail: "more than 2^32 elements")
        }
        let y = Tensor(uninitialized: x.shape)
        let xp = x.unsafePointer, yp = y.unsafePointer
        Parallel.forRanges(x.count, grain: 16384) { r in
            Kernels.dropoutAdd(xp + r.lowerBound, residual: nil, p: p, key: key, startIndex: r.lowerBound,
                               count: r.count, into: yp + r.lowerBound)
        }
        return record("dropout", inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let (dx, acc) = g.writableInputGradient(0) else { return }
            let dyp = dy.unsafePointer, dxp = dx.unsafePointer
            Parallel.forRanges(x.count, grain: 16384) { r in
                Kernels.dropoutAdd(dyp + r.lowerBound, residual: acc ? UnsafePointer(dxp + r.lowerBound) : nil, p: p,
                                   key: key, startIndex: r.lowerBound, count: r.count, into: dxp + r.lowerBound)
            }
        }
    }
}

extension Kernels {
    /// `out[i] = x[i] · m(startIndex + i) / (1 − p) + residual[i]` for i < count, where
    /// `m(j) = key.bits(j) ≥ dropThreshold(p)` (all ones for p = 0, all zeros for p = 1). `residual` may be nil
    /// and may alias `out` (then this accumulates).
    public static func dropoutAdd(_ x: UnsafePointer<Float>, residual: UnsafePointer<Float>?, p: Float, key: RandomKey,
                                  startIndex: Int, count: Int, into out: UnsafeMutablePointer<Float>) {
        if p == 0 {
            if let residual {
                var i = 0
                while i + 16 <= count { SIMDMath.store(SIMDMath.load(x + i) + SIMDMath.load(residual + i), out + i); i += 16 }
                while i < count { out[i] = x[i] + residual[i]; i += 1 }
            } else if UnsafePointer(out) != x {
                out.update(from: x, count: count)
            }
            return
        }
        let scale: Float = p >= 1 ? 0 : 1 / (1 - p)
        let threshold = RandomKey.dropThreshold(p)
        let vt = SIMD8<UInt32>(repeating: threshold)
        let vs = SIMD8<Float>(repeating: scale)
        var i = 0
        while i + 8 <= count {
            let bits = key.bits8(UInt32(truncatingIfNeeded: startIndex + i))
            var v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self) * vs
            v.replace(with: 0, where: bits .< vt)
            if let residual { v += UnsafeRawPointer(residual + i).loadUnaligned(as: SIMD8<Float>.self) }
            UnsafeMutableRawPointer(out + i).storeBytes(of: v, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            let keep = key.bits(UInt32(truncatingIfNeeded: startIndex + i)) >= threshold
            out[i] = (keep ? x[i] * scale : 0) + (residual?[i] ?? 0)
            i += 1
        }
    }

    /// The keep-mask as 0/1 floats for elements `startIndex ..< startIndex + count` (for tests and fused ops).
    public static func dropoutMask(p: Float, key: RandomKey, startIndex: Int, count: Int,
                                   into out: UnsafeMutablePointer<Float>) {
        let threshold = RandomKey.dropThreshold(p)
        for i in 0..<count {
            out[i] = p >= 1 || (p > 0 && key.bits(UInt32(truncatingIfNeeded: startIndex + i)) < threshold) ? 0 : 1
        }
    }
}
