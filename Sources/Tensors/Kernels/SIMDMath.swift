/// Vector maths for the fused kernels, on `SIMD16<Float>` (two ymm registers under AVX2, giving two
/// independent dependency chains per call).
///
/// Written around the Swift SIMD traps of docs/engine.md §8: no `.rounded()` or float→int vector conversions
/// (scalarised by the stdlib) — rounding uses the 1.5·2²³ "magic number"; clamps and running maxima use
/// compare + `replace` rather than `pointwiseMin/Max` (a slow NaN-aware lowering); horizontal reductions halve.
public typealias Vec16 = SIMD16<Float>

public enum SIMDMath {
    /// `exp(x)` with relative error < 2e-7 on [-87, 88]; 0 below −87.3 (so masked −1e30 logits give exactly 0),
    /// +Inf above 88.7, NaN for NaN.
    ///
    /// x = n·ln2 + r with n = round(x·log₂e) and |r| ≤ ln2/2 (Cody–Waite split of ln2), exp(r) by its degree-7
    /// Taylor polynomial (truncation < 1e-8), 2ⁿ through the exponent bits.
    @inlinable @inline(__always)
    public static func exp(_ x0: Vec16) -> Vec16 {
        var x = x0
        x.replace(with: 88.7, where: x .> 88.7)
        let tooSmall = x .< -87.3
        x.replace(with: -87.3, where: tooSmall)
        let magic = Vec16(repeating: 12_582_912)  // 1.5 · 2^23
        let t = x.addingProduct(x, Vec16(repeating: 0.442_695_040_888_963_4)) + magic  // x·log2(e) + magic
        let n = t - magic
        let ni = unsafeBitCast(t, to: SIMD16<Int32>.self) &- unsafeBitCast(magic, to: SIMD16<Int32>.self)
        let r = x.addingProduct(n, Vec16(repeating: -0.693_145_751_953_125))
            .addingProduct(n, Vec16(repeating: -1.428_606_765_330_187e-06))
        var p = Vec16(repeating: 1.0 / 5040)
        p = Vec16(repeating: 1.0 / 720).addingProduct(p, r)
        p = Vec16(repeating: 1.0 / 120).addingProduct(p, r)
        p = Vec16(repeating: 1.0 / 24).addingProduct(p, r)
        p = Vec16(repeating: 1.0 / 6).addingProduct(p, r)
        p = Vec16(repeating: 0.5).addingProduct(p, r)
        p = Vec16(repeating: 1).addingProduct(p, r)
        p = Vec16(repeating: 1).addingProduct(p, r)
        // 2^n in two halves so that n = 128 (x near 88.7) does not overflow the exponent field.
        let half = ni &>> 1
        let s1 = unsafeBitCast((half &+ 127) &<< 23, to: Vec16.self)
        let s2 = unsafeBitCast((ni &- half &+ 127) &<< 23, to: Vec16.self)
        var y = p * s1 * s2
        y.replace(with: 0, where: tooSmall)
        return y
    }

    /// The standard normal CDF Φ(x) = ½(1 + erf(x/√2)), with |error| < 1.5e-7.
    ///
    /// erfc(z) for z = |x|/√2 ≥ 0 by Abramowitz & Stegun 7.1.26, erfc(z) ≈ t·P(t)·e^(−z²) with
    /// t = 1/(1 + 0.3275911·z) (published constants; |error of erf| ≤ 1.5e-7), then Φ(x) = ½·erfc(z) for
    /// x < 0 and 1 − ½·erfc(z) otherwise, which avoids cancellation in the left tail.
    @inlinable @inline(__always)
    public static func normalCDF(_ x: Vec16) -> Vec16 {
        let signBit = SIMD16<UInt32>(repeating: 0x8000_0000)
        let ax = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & ~signBit, to: Vec16.self)
        let z = ax * Vec16(repeating: 0.707_106_781_186_547_5)
        let t = 1 / Vec16(repeating: 1).addingProduct(z, Vec16(repeating: 0.327_591_1))
        var y = Vec16(repeating: 1.061_405_429)
        y = Vec16(repeating: -1.453_152_027).addingProduct(y, t)
        y = Vec16(repeating: 1.421_413_741).addingProduct(y, t)
        y = Vec16(repeating: -0.284_496_736).addingProduct(y, t)
        y = Vec16(repeating: 0.254_829_592).addingProduct(y, t)
        let halfErfc = Vec16(repeating: 0.5) * y * t * exp(-(z * z))
        var phi = Vec16(repeating: 1) - halfErfc
        phi.replace(with: halfErfc, where: x .< 0)
        return phi
    }

    /// The standard normal density φ(x) = e^(−x²/2)/√(2π).
    @inlinable @inline(__always)
    public static func normalPDF(_ x: Vec16) -> Vec16 {
        Vec16(repeating: 0.398_942_280_401_432_7) * exp(Vec16(repeating: -0.5) * x * x)
    }

    /// Sum of the 16 lanes (by halving).
    @inlinable @inline(__always)
    public static func sum(_ v: Vec16) -> Float {
        let a = v.lowHalf + v.highHalf
        let b = a.lowHalf + a.highHalf
        let c = b.lowHalf + b.highHalf
        return c[0] + c[1]
    }

    /// Maximum of the 16 lanes (by halving). NaN lanes are ignored unless all are NaN.
    @inlinable @inline(__always)
    public static func max(_ v: Vec16) -> Float {
        var a = v.lowHalf
        a.replace(with: v.highHalf, where: v.highHalf .> a)
        var b = a.lowHalf
        b.replace(with: a.highHalf, where: a.highHalf .> b)
        var c = b.lowHalf
        c.replace(with: b.highHalf, where: b.highHalf .> c)
        return c[1] > c[0] ? c[1] : c[0]
    }

    /// 16 floats from `p` (unaligned).
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<Float>) -> Vec16 {
        UnsafeRawPointer(p).loadUnaligned(as: Vec16.self)
    }

    /// Stores 16 floats at `p` (unaligned).
    @inlinable @inline(__always)
    public static func store(_ v: Vec16, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec16.self)
    }

    /// The first `n` (< 16) floats from `p`, the other lanes set to `fill`.
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<Float>, count n: Int, fill: Float = 0) -> Vec16 {
        var v = Vec16(repeating: fill)
        for i in 0..<n { v[i] = p[i] }
        return v
    }

    /// Stores the first `n` (< 16) lanes of `v` at `p`.
    @inlinable @inline(__always)
    public static func store(_ v: Vec16, _ p: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n { p[i] = v[i] }
    }
}
