import Tensors

/// The random draws the collators make: span lengths and offsets, factorisation orders, sampled primers.
///
/// Collators take the source as an argument, so a test can script the exact stream of draws (and pin the
/// span positions it produces), and the trainer can give every micro-batch its own
/// `SeededCollatorRandom` derived from the run seed and the micro-batch index — which makes a run reproducible
/// and resumable without saving any generator state.
public protocol CollatorRandomSource {
    /// A uniform integer in `0..<n` (`n ≥ 1`).
    mutating func integer(below n: Int) -> Int
    /// A uniform real number in `[0, 1)`.
    mutating func unit() -> Double
}

extension CollatorRandomSource {
    /// A uniformly random permutation of `0..<n`: Fisher–Yates from the end (for `i = n−1 … 1`, swap `i` with
    /// `integer(below: i + 1)`), i.e. `n − 1` draws.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<max(n, 0))
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, integer(below: i + 1)) }
        }
        return p
    }
}

/// The collators' random source in training: xoshiro256** (`SeededGenerator`).
///
/// `integer(below: n) = ⌊next() · n / 2⁶⁴⌋` (the high word of the 128-bit product, as the data split draws),
/// `unit() = (next() >> 11) · 2⁻⁵³`.
public struct SeededCollatorRandom: CollatorRandomSource {
    private var generator: SeededGenerator

    public init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    public mutating func integer(below n: Int) -> Int {
        precondition(n >= 1, "integer(below:) needs n ≥ 1")
        return Int(generator.next().multipliedFullWidth(by: UInt64(n)).high)
    }

    public mutating func unit() -> Double {
        Gaussian.unitInterval(using: &generator)
    }
}
