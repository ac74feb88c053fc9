/// A counter-based random stream: the value at index `i` is a keyed hash of `i`, so any element can be
/// (re)generated independently — in any order, on any thread, in forward and again in backward — and one
/// `(seed, stream)` pair always gives the same numbers.
///
/// Used for dropout: the forward pass and the backward pass regenerate the same keep-mask from the key instead
/// of storing it, and results do not depend on how work is split across threads. Give every dropout site and
/// step its own stream, e.g. `RandomKey(seed: runSeed, stream: step).derived(layer).derived(site)`.
///
/// The hash is two rounds of Wellons' `lowbias32` integer mixer with the two 32-bit halves of the key injected
/// before each round; each round is a bijection of `UInt32`, so within one key no two indices (up to 2³²) share
/// a value. Statistical quality is ample for dropout masks; it is not a cryptographic generator.
public struct RandomKey: Hashable, Sendable {
    /// The two 32-bit key halves mixed into every hash.
    public let k0: UInt32, k1: UInt32
    /// The 64-bit key these halves come from (for deriving child keys).
    public let raw: UInt64

    /// The key for `stream` of the run seeded with `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        let r = SplitMix64.mix(seed ^ SplitMix64.mix(stream &+ 0x632B_E59B_D9B4_E019))
        self.init(raw: r)
    }

    init(raw: UInt64) {
        self.raw = raw
        k0 = UInt32(truncatingIfNeeded: raw)
        k1 = UInt32(truncatingIfNeeded: raw >> 32)
    }

    /// An independent key for sub-stream `n` (e.g. a layer or a call site).
    public func derived(_ n: UInt64) -> RandomKey {
        RandomKey(raw: SplitMix64.mix(raw &+ SplitMix64.mix(n ^ 0xD1B5_4A32_D192_ED03)))
    }

    /// 32 random bits for `index`.
    @inline(__always)
    public func bits(_ index: UInt32) -> UInt32 {
        var h = index ^ k0
        h ^= h >> 16; h &*= 0x21F0_AAAD; h ^= h >> 15; h &*= 0x735A_2D97; h ^= h >> 15
        h ^= k1
        h ^= h >> 16; h &*= 0x21F0_AAAD; h ^= h >> 15; h &*= 0x735A_2D97; h ^= h >> 15
        return h
    }

    /// 32 random bits for each of the 8 indices `index ..< index + 8` (same values as `bits(_:)`).
    @inline(__always)
    public func bits8(_ index: UInt32) -> SIMD8<UInt32> {
        var h = SIMD8<UInt32>(repeating: index) &+ SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
        h ^= SIMD8(repeating: k0)
        h ^= h &>> 16; h &*= 0x21F0_AAAD; h ^= h &>> 15; h &*= 0x735A_2D97; h ^= h &>> 15
        h ^= SIMD8(repeating: k1)
        h ^= h &>> 16; h &*= 0x21F0_AAAD; h ^= h &>> 15; h &*= 0x735A_2D97; h ^= h &>> 15
        return h
    }

    /// A uniform sample in [0, 1) for `index` (24 random bits).
    @inline(__always)
    public func uniform(_ index: UInt32) -> Float {
        Float(bits(index) >> 8) * 0x1.0p-24
    }

    /// The threshold `t` such that `bits(i) < t` has probability `p` (to within 2⁻³²): element `i` is dropped
    /// by dropout with rate `p` exactly when `bits(i) < dropThreshold(p)`.
    public static func dropThreshold(_ p: Float) -> UInt32 {
        if p <= 0 { return 0 }
        if p >= 1 { return UInt32.max }
        return UInt32(min((Double(p) * 4_294_967_296.0).rounded(), 4_294_967_295.0))
    }
}
