import Foundation

/// A fast, seedable pseudo-random generator (xoshiro256**, state seeded through SplitMix64).
///
/// One `UInt64` seed reproduces the whole sequence on every platform and build. Used for parameter
/// initialisation, data shuffling and sampling; dropout uses the counter-based `RandomKey` instead, so masks can
/// be regenerated in backward and do not depend on the thread count.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        s0 = SplitMix64.next(&sm)
        s1 = SplitMix64.next(&sm)
        s2 = SplitMix64.next(&sm)
        s3 = SplitMix64.next(&sm)
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit mixing step, used to seed generators and derive keys.
public enum SplitMix64 {
    /// Advances `state` and returns the next output.
    @inline(__always)
    public static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    /// The SplitMix64 finaliser: a bijective 64-bit hash.
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Helpers turning raw random bits into floating-point samples.
public enum Gaussian {
    /// Uniform on [0, 1) with 53 random bits.
    @inline(__always)
    public static func unitInterval<G: RandomNumberGenerator>(using g: inout G) -> Double {
        Double(g.next() >> 11) * 0x1.0p-53
    }

    /// Two independent standard normal samples (Box–Muller on two uniforms; u1 in (0, 1] so log is finite).
    public static func pair<G: RandomNumberGenerator>(using g: inout G) -> (Double, Double) {
        let u1 = 1 - unitInterval(using: &g)
        let u2 = unitInterval(using: &g)
        let r = (-2 * log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * cos(theta), r * sin(theta))
    }
}
