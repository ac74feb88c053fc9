/// The three searches of the original (`terminator/search.py`, docs/inference.md §3.3) over positions that are
/// predicted *independently* (the RT fills all masks in one pass, so the joint probability of an assignment is the
/// product of the per-position probabilities), each restricted to a list of allowed token ids per position.
///
/// Restricting is this port's deliberate deviation (docs/inference.md §3.2): the original decodes over the whole vocabulary and
/// may put `[CLS]` into a molecule or `C` into a number. Pass every id to reproduce it.
///
/// Ties are broken towards the id listed first in `allowed` (ascending ids when built by this module), so every
/// search is deterministic.
public enum TokenSearch {
    /// `argmax_{t ∈ allowed} log p(t)`; nil when `allowed` is empty.
    public static func greedy(_ distribution: TokenDistribution, allowed: [Int32]) -> Int32? {
        var best: Int32? = nil
        var bestScore = -Double.infinity
        for id in allowed {
            let score = distribution.logProbability(of: id)
            if best == nil || score > bestScore {
                best = id
                bestScore = score
            }
        }
        return best
    }

    /// One draw from the distribution restricted to `allowed` (`q(t) = p(t) / Σ_{u ∈ allowed} p(u)`), by
    /// inversion: with `u = random.unit()`, the first id (in `allowed` order) whose cumulative `q` exceeds `u`.
    /// Exactly one random number is used. Nil when `allowed` is empty or has no probability mass.
    ///
    /// Temperature is part of the distribution (`TokenDistribution(logits:temperature:)`).
    public static func sample<R: CollatorRandomSource>(_ distribution: TokenDistribution, allowed: [Int32],
                                                       random: inout R) -> Int32? {
        let q = distribution.restricted(to: allowed)
        let u = random.unit()
        guard q.contains(where: { $0 > 0 }) else { return nil }
        var cumulative = 0.0
        var last: Int32? = nil
        for (id, p) in zip(allowed, q) where p > 0 {
            cumulative += p
            last = id
            if u < cumulative { return id }
        }
        return last  // rounding left the total just below u
    }

    /// One assignment of ids to positions with its joint log-probability `Σ_k log p_k(t_k)`.
    public struct Assignment: Equatable, Sendable {
        public var ids: [Int32]
        public var logProbability: Double
        public init(ids: [Int32], logProbability: Double) {
            self.ids = ids
            self.logProbability = logProbability
        }
    }

    /// The `count` most probable joint assignments of independent positions, best first — the original's beam
    /// search for non-autoregressive outputs (docs/inference.md §3.3), restricted to `allowed[k]` at position `k`.
    ///
    /// Beams start as one empty beam with score 0; at each position every beam is extended with that position's
    /// `count` most probable allowed ids (ties: earlier in `allowed`), scores add `log p`, and the `count` best
    /// extensions are kept (stable sort, descending). Because positions are independent this is exact: the result
    /// is the `count` best assignments, and the first equals `greedy` at every position. Scores use `log p`
    /// where the original uses `log(p + 2.22e−16)` (its guard against `log 0` in float32); the orders agree except
    /// for probabilities below 1e−15.
    ///
    /// Tokens of probability 0 are never used. Fewer than `count` assignments are returned when fewer exist; none when
    /// a position allows no possible id.
    public static func best(_ distributions: [TokenDistribution], allowed: [[Int32]], count: Int) -> [Assignment] {
        precondition(distributions.count == allowed.count, "one allowed list per position")
        guard count > 0 else { return [] }
        var beams = [Assignment(ids: [], logProbability: 0)]
        for (distribution, ids) in zip(distributions, allowed) {
            var candidates: [(rank: Int, id: Int32, score: Double)] = []
            for (rank, id) in ids.enumerated() {
                let score = distribution.logProbability(of: id)
                if score > -.infinity { candidates.append((rank, id, score)) }
            }
            candidates.sort { $0.score != $1.score ? $0.score > $1.score : $0.rank < $1.rank }
            let top = candidates.prefix(count)
            var extended: [(order: Int, assignment: Assignment)] = []
            for beam in beams {
                for candidate in top {
                    extended.append((extended.count, Assignment(ids: beam.ids + [candidate.id],
                                                                logProbability: beam.logProbability + candidate.score)))
                }
            }
            extended.sort {
                $0.assignment.logProbability != $1.assignment.logProbability
                    ? $0.assignment.logProbability > $1.assignment.logProbability : $0.order < $1.order
            }
            beams = extended.prefix(count).map(\.assignment)
            if beams.isEmpty { return [] }
        }
        return beams
    }
}
