/// Conversions between Float and 16-bit floats (IEEE binary16 "F16", bfloat16 "BF16"), by bit manipulation so they
/// work on every platform (Swift's `Float16` is unavailable on some).
public enum HalfPrecision {
    /// IEEE 754 binary16 → Float, exact (normals, subnormals, ±0, ±∞, NaN with payload).
    @inline(__always)
    public static func float(fromF16 h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x03FF)
        if exponent == 0x1F {  // ∞ or NaN
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            // ±0 or subnormal: mantissa · 2^-24, exact in Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }

    /// bfloat16 → Float (the upper half of a Float's bits), exact.
    @inline(__always)
    public static func float(fromBF16 b: UInt16) -> Float {
        Float(bitPattern: UInt32(b) << 16)
    }

    /// Float → bfloat16, rounded to nearest, ties to even (as `torch.Tensor.to(torch.bfloat16)`): values beyond
    /// the largest bfloat16 round to ±∞, and a NaN stays a (quiet) NaN with its sign.
    @inline(__always)
    public static func bf16(from x: Float) -> UInt16 {
        let bits = x.bitPattern
        if x.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }
}
