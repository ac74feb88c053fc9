/// How sure the model is about a number: summaries of its distribution over the values a slot can spell.
///
/// **Definition.** Let `p_k` be the model's distribution (softmax at temperature 1, i.e. the model's own
/// probabilities) at slot position `k`, and `S` the set of well-formed strings of the slot (the union of its
/// layouts, `NumberSlot`). The *predictive distribution* of the value is the model's distribution conditioned on
/// `S`:
///
///     P(s) = Π_k p_k(s_k) / Z   for s ∈ S,    Z = Σ_{s ∈ S} Π_k p_k(s_k) = Σ_l Π_k Σ_{t ∈ allowed_l,k} p_k(t),
///
/// and `V = value(s)`. Within a layout the positions are independent: the sign `σ ∈ {−1, +1}` (probability of `_-_`
/// vs `_+_`, or +1 without a sign position) and the digits `d_k` with place values `10^{o_k}`, so
/// `V = σ · Σ_k d_k 10^{o_k}` and
///
///     E[V | l]  = E[σ] · Σ_k E[d_k] 10^{o_k},      E[V² | l] = Var(M) + E[M]²,  Var(M) = Σ_k Var(d_k) 10^{2 o_k}
///
/// with `M = |V|` (σ² = 1). Over layouts, weights `π_l = Z_l / Z`. Reported:
///
/// * `mean = E[V]`, `standardDeviation = √(E[V²] − E[V]²)`;
/// * the central interval at `level` (default 0.9): `[Q((1 − level)/2), Q((1 + level)/2)]` with the quantile
///   `Q(q) = min { v ∈ support(V) : F(v) ≥ q }` of the CDF `F` — exact, not sampled: `F` is evaluated digit by digit
///   (values of one layout are ordered like their digit strings) and `Q` found by bisection on the finest grid of
///   the slot's layouts;
/// * `grammarMass = Z`: how much of the model's probability lies on well-formed numbers at all (low values say the
///   model is confused about the slot itself).
///
/// Everything is in the model's units; `PropertyScale` maps to raw units (an increasing affine map, so the mean,
/// interval and standard deviation map through it).
public struct NumberUncertainty: Equatable, Sendable {
    public var mean: Double
    public var standardDeviation: Double
    /// `Q((1 − level)/2)`.
    public var lower: Double
    /// `Q((1 + level)/2)`.
    public var upper: Double
    /// Central probability of `[lower, upper]` (at least this much: the distribution is discrete).
    public var level: Double
    /// `Z`, the model's probability of a well-formed number in the slot.
    public var grammarMass: Double

    public init(mean: Double, standardDeviation: Double, lower: Double, upper: Double, level: Double, grammarMass: Double) {
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.lower = lower
        self.upper = upper
        self.level = level
        self.grammarMass = grammarMass
    }

    /// The summaries after `x ↦ scale·x + offset` with `scale > 0`.
    public func mapped(scale: Double, offset: Double) -> NumberUncertainty {
        NumberUncertainty(mean: scale * mean + offset, standardDeviation: scale * standardDeviation,
                          lower: scale * lower + offset, upper: scale * upper + offset, level: level,
                          grammarMass: grammarMass)
    }
}

/// The predictive distribution of one slot (see `NumberUncertainty`), ready for moments and quantiles.
public struct NumberDistribution: Sendable {
    /// One layout's share: its weight and per-position restricted distributions.
    struct Component {
        var layout: NumberLayout
        /// `π_l`.
        var weight: Double
        /// `P(σ = −1)` (0 without a sign position).
        var negative: Double
        /// Per digit position, most significant first: `q_k(d)` for `d = 0…9` (0 for digits the vocabulary lacks).
        var digits: [[Double]]
        /// Fraction digits `f`: the integer `N = Σ d_k 10^{o_k + f}` counts units of `10^−f`.
        var fractionDigits: Int
    }

    let components: [Component]
    /// `Z`.
    public let grammarMass: Double
    /// The finest fraction-digit count among the layouts (the bisection grid is `10^−finest`).
    let finest: Int

    /// The distribution of `slot` given the model's per-position distributions (temperature 1 for the model's own
    /// uncertainty).
    public init(slot: NumberSlot, distributions: [TokenDistribution]) {
        precondition(distributions.count == slot.tokenCount, "one distribution per slot position")
        var logMasses: [Double] = []
        var parts: [(NumberLayout, Double, [[Double]])] = []
        for (l, layout) in slot.layouts.enumerated() {
            logMasses.append(zip(distributions, slot.allowed[l]).reduce(0.0) { $0 + $1.0.logMass(of: $1.1) })
            var negative = 0.0
            var digits: [[Double]] = []
            for (k, position) in layout.positions.enumerated() {
                let ids = slot.allowed[l][k]
                let q = distributions[k].restricted(to: ids)
                switch position {
                case .sign:
                    for (id, p) in zip(ids, q) where slot.numberTokens[id] == .sign(negative: true) { negative += p }
                case .digit:
                    var row = [Double](repeating: 0, count: 10)
                    for (id, p) in zip(ids, q) {
                        if case .digit(let d, _)? = slot.numberTokens[id] { row[Int(d)] += p }
                    }
                    digits.append(row)
                case .point:
                    break
                }
            }
            parts.append((layout, negative, digits))
        }
        let top = logMasses.max() ?? 0
        let scaled = logMasses.map { exponential($0 - top) }
        let total = scaled.reduce(0, +)
        components = zip(parts, scaled).map { part, w in
            Component(layout: part.0, weight: total > 0 ? w / total : 0, negative: part.1, digits: part.2,
                      fractionDigits: part.0.fractionDigits)
        }
        grammarMass = exponential(top + logarithm(total))
        finest = slot.layouts.map(\.fractionDigits).max() ?? 0
    }

    /// `E[V]`.
    public var mean: Double {
        components.reduce(0) { $0 + $1.weight * (1 - 2 * $1.negative) * magnitudeMoments($1).mean }
    }

    /// `√Var(V)`.
    public var standardDeviation: Double {
        let m = mean
        let second = components.reduce(0.0) { sum, c in
            let moments = magnitudeMoments(c)
            return sum + c.weight * (moments.variance + moments.mean * moments.mean)
        }
        return max(0, second - m * m).squareRoot()
    }

    /// Mean and variance of `M = |V|` within one layout.
    func magnitudeMoments(_ c: Component) -> (mean: Double, variance: Double) {
        var mean = 0.0, variance = 0.0
        let orders = c.layout.positions.compactMap { position -> Int? in
            if case .digit(let order) = position { return order }
            return nil
        }
        for (row, order) in zip(c.digits, orders) {
            let place = pow10(order)
            var e = 0.0, e2 = 0.0
            for d in 0..<10 {
                e += Double(d) * row[d]
                e2 += Double(d * d) * row[d]
            }
            mean += e * place
            variance += (e2 - e * e) * place * place
        }
        return (mean, max(0, variance))
    }

    /// `P(N ≤ n)` for the digit integer `N` of a component (`n` in units of `10^−f`).
    func magnitudeCDF(_ c: Component, atMost n: Int64) -> Double {
        guard n >= 0 else { return 0 }
        let width = c.digits.count
        var digitsOfN: [Int] = []
        var rest = n
        for _ in 0..<width {
            digitsOfN.append(Int(rest % 10))
            rest /= 10
        }
        if rest > 0 { return 1 }  // n is beyond the largest value of the layout
        digitsOfN.reverse()
        var below = 0.0, prefix = 1.0
        for (row, a) in zip(c.digits, digitsOfN) {
            for d in 0..<a { below += prefix * row[d] }
            prefix *= row[a]
        }
        return min(1, below + prefix)
    }

    /// `F(x) = P(V ≤ x)` at `x = m · 10^−finest`.
    func cdf(grid m: Int64) -> Double {
        components.reduce(0) { sum, c in
            let scale = pow10Int(finest - c.fractionDigits)
            let positive = 1 - c.negative
            let value: Double
            if m >= 0 {
                value = c.negative + positive * magnitudeCDF(c, atMost: m / scale)
            } else {
                // V ≤ x < 0 ⇔ σ = −1 and N ≥ ⌈|m| / scale⌉.
                let threshold = (-m + scale - 1) / scale
                value = c.negative * (1 - magnitudeCDF(c, atMost: threshold - 1))
            }
            return sum + c.weight * value
        }
    }

    /// `F(x) = P(V ≤ x)`.
    public func cdf(_ x: Double) -> Double {
        let m = (x * pow10(finest)).rounded(.down)
        guard m.magnitude < 9e18 else { return m < 0 ? 0 : 1 }
        return cdf(grid: Int64(m))
    }

    /// `Q(q) = min { v ∈ support : F(v) ≥ q }`, `0 < q ≤ 1` (found by bisection on the grid `10^−finest`; `F` only
    /// steps at support points, so the smallest grid point reaching `q` is one).
    public func quantile(_ q: Double) -> Double {
        var hi: Int64 = 0
        for c in components {
            let largest = pow10Int(c.digits.count) - 1
            hi = max(hi, largest * pow10Int(finest - c.fractionDigits))
        }
        var lo = -hi - 1  // F(lo) = 0 < q
        // Invariant: F(lo) < q ≤ F(hi) (up to rounding: accept F within 1e−12 of q).
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if cdf(grid: mid) >= q - 1e-12 { hi = mid } else { lo = mid }
        }
        return Double(hi) / pow10(finest)
    }

    /// The summaries of `NumberUncertainty` at the central `level`.
    public func uncertainty(level: Double = 0.9) -> NumberUncertainty {
        NumberUncertainty(mean: mean, standardDeviation: standardDeviation, lower: quantile((1 - level) / 2),
                          upper: quantile((1 + level) / 2), level: level, grammarMass: grammarMass)
    }
}

/// `10^k` as a Double (exact for the small exponents of number tokens).
func pow10(_ k: Int) -> Double {
    guard k >= 0 else { return 1 / pow10(-k) }
    var x = 1.0
    for _ in 0..<k { x *= 10 }
    return x
}

/// `10^k` for `k ≥ 0` as an integer.
func pow10Int(_ k: Int) -> Int64 {
    var x: Int64 = 1
    for _ in 0..<max(k, 0) { x *= 10 }
    return x
}
