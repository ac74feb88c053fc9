import Tensors

/// Every random choice of a training run, derived from the run seed and a counter — never from a generator
/// that advances through the run — so that one seed is one run, and a resumed run needs no saved generator
/// state: only the counters (epoch, micro-batch index) that `TrainerState` records.
///
/// | purpose | seed / key |
/// |---|---|
/// | data order of epoch `e` | `SeededGenerator(seed: derive(.shuffle, e))` |
/// | collation of micro-batch `m` (spans, shuffles, primers) | `SeededCollatorRandom(seed: derive(.collation, m))` |
/// | self-consistency batch of micro-batch `m` | `SeededCollatorRandom(seed: derive(.selfConsistency, m))` |
/// | dropout of micro-batch `m`, pass `k` (0 main, 1 self-consistency) | `RandomKey(seed: run, stream: m).derived(k)` |
/// | validation masks | `SeededCollatorRandom(seed: derive(.evaluation, 0))` — the same at every evaluation |
/// | new parameters (fresh model, new embedding rows) | `derive(.initialization, 0)` / `derive(.initialization, 1)` |
public struct RunRandomness: Sendable, Equatable {
    public enum Purpose: UInt64, Sendable {
        case shuffle = 1, collation, selfConsistency, evaluation, initialization
    }

    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// `mix(seed ⊕ mix(purpose + mix(index)))` with SplitMix64's finaliser.
    public func derive(_ purpose: Purpose, _ index: UInt64) -> UInt64 {
        SplitMix64.mix(seed ^ SplitMix64.mix(purpose.rawValue &+ SplitMix64.mix(index &+ 0x9E37_79B9_7F4A_7C15)))
    }

    public func collation(_ microStep: Int) -> SeededCollatorRandom {
        SeededCollatorRandom(seed: derive(.collation, UInt64(microStep)))
    }

    public func selfConsistency(_ microStep: Int) -> SeededCollatorRandom {
        SeededCollatorRandom(seed: derive(.selfConsistency, UInt64(microStep)))
    }

    public func evaluation() -> SeededCollatorRandom {
        SeededCollatorRandom(seed: derive(.evaluation, 0))
    }

    public func dropout(_ microStep: Int, pass: UInt64) -> RandomKey {
        RandomKey(seed: seed, stream: UInt64(microStep)).derived(pass)
    }

    /// The order of the `count` training samples in epoch `epoch`: Fisher–Yates from the end with
    /// `j = ⌊next()·(i+1) / 2⁶⁴⌋`.
    public func order(epoch: Int, count: Int) -> [Int] {
        var generator = SeededGenerator(seed: derive(.shuffle, UInt64(epoch)))
        var p = Array(0..<count)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                p.swapAt(i, Int(generator.next().multipliedFullWidth(by: UInt64(i + 1)).high))
            }
        }
        return p
    }
}
