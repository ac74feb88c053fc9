/// Elementwise `+ − × ÷` with NumPy broadcasting, and scaling by a constant.
///
/// Backward reduces each operand's gradient over the axes it was broadcast along:
/// `d(a+b)`: da += dc, db += dc; `d(a−b)`: da += dc, db −= dc; `d(a·b)`: da += dc·b, db += dc·a;
/// `d(a/b)`: da += dc/b, db −= dc·a/b². Reductions run row by row in a fixed order (deterministic); an
/// operand that is not broadcast gets its gradient in parallel.
extension Tape {
    /// `a + b` (broadcasting).
    public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.add, a, b) }
    /// `a − b` (broadcasting).
    public func sub(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.sub, a, b) }
    /// `a · b` elementwise (broadcasting).
    public func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.mul, a, b) }
    /// `a / b` elementwise (broadcasting).
    public func div(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(.div, a, b) }

    /// `y = s · x`. Backward: `dx += s · dy`.
    public func scale(_ x: Tensor, _ s: Float) -> Tensor {
        let y = Tensor(uninitialized: x.shape)
        let xp = x.unsafePointer, yp = y.unsafePointer
        Parallel.forRanges(x.count, grain: 32768) { r in
            Kernels.scale(xp + r.lowerBound, s, into: yp + r.lowerBound, count: r.count)
        }
        return record("scale", inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let dx = g.inputGradient(0) else { return }
            let dyp = dy.unsafePointer, dxp = dx.unsafePointer
            Parallel.forRanges(x.count, grain: 32768) { r in
                Kernels.addScaled(dyp + r.lowerBound, s, into: dxp + r.lowerBound, count: r.count)
            }
        }
    }

    private func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        // Same shapes: one flat row.
        let plan = a.shape == b.shape
            ? try Broadcast([a.count], [b.count], op: op.name)
            : try Broadcast(a.shape, b.shape, op: op.name)
        let outShape = a.shape == b.shape ? a.shape : plan.shape
        let c = Tensor(uninitialized: outShape)
        let ap = a.unsafePointer, bp = b.unsafePointer, cp = c.unsafePointer
        let inner = plan.inner, ai = plan.aInner, bi = plan.bInner
        let grainRows = max(1, 16384 / max(inner, 1))
        let parallelRows = plan.rows > 1
        let run: (Range<Int>) -> Void = { r in
            plan.forEachRow(r) { o, ao, bo in
                ElementwiseRow.forward(op, ap + ao, ai, bp + bo, bi, cp + o, inner)
            }
        }
        if parallelRows { Parallel.forRanges(plan.rows, grain: grainRows, run) } else {
            // One long row: split it.
            Parallel.forRanges(inner, grain: 16384) { r in
                ElementwiseRow.forward(op, ap + r.lowerBound * ai, ai, bp + r.lowerBound * bi,
                                       bi, cp + r.lowerBound, r.count)
            }
        }
        return record(op.name, inputs: [a, b], output: c) { g in
            guard let dc = g.outputGradient() else { return }
            let dcp = dc.unsafePointer, ap = a.unsafePointer, bp = b.unsafePointer
            for operand in 0..<2 {
                guard let d = g.inputGradient(operand) else { continue }
                let dp = d.unsafePointer
                let selfIsA = operand == 0
                let formula = op.gradient(forA: selfIsA)
                let si = selfIsA ? ai : bi, oi = selfIsA ? bi : ai
                let sp = selfIsA ? ap : bp, opp = selfIsA ? bp : ap
                let notBroadcast = (selfIsA ? a.count : b.count) == c.count
                let body: (Range<Int>) -> Void = { r in
                    plan.forEachRow(r) { o, ao, bo in
                        let so = selfIsA ? ao : bo, oo = selfIsA ? bo : ao
                        ElementwiseRow.backward(formula, dcp + o, sp + so, si, opp + oo, oi, dp + so, inner)
                    }
                }
                if notBroadcast && parallelRows {
                    Parallel.forRanges(plan.rows, grain: grainRows, body)
                } else if notBroadcast {
                    Parallel.forRanges(inner, grain: 16384) { r in
                        let lo = r.lowerBound
                        ElementwiseRow.backward(formula, dcp + lo, sp + lo * si, si, opp + lo * oi, oi, dp + lo * si, r.count)
                    }
                } else {
                    body(0..<plan.rows)
                }
            }
        }
    }
}

/// The four broadcasting binary ops.
enum BinaryOp {
    case add, sub, mul, div

    var name: String {
        switch self {
        case .add: return "add"
        case .sub: return "sub"
        case .mul: return "mul"
        case .div: return "div"
        }
    }

    /// The local gradient rule for operand a (`forA`) or b.
    func gradient(forA: Bool) -> GradientRule {
        switch (self, forA) {
        case (.add, _), (.sub, true): return .pass
        case (.sub, false): return .negate
        case (.mul, _): return .timesOther
        case (.div, true): return .overOther
        case (.div, false): return .divisorRule
        }
    }
}

/// What an operand's gradient is, in terms of the output gradient g, the operand itself s and the other
/// operand o.
enum GradientRule {
    /// g
    case pass
    /// −g
    case negate
    /// g · o
    case timesOther
    /// g / o
    case overOther
    /// −g · o / s² (the divisor of o / s)
    case divisorRule
}

/// Row kernels: one row of a broadcast binary op, each operand advancing by stride 1 or 0 (stretched).
enum ElementwiseRow {
    @inline(__always)
    static func apply(_ op: BinaryOp, _ x: Vec16, _ y: Vec16) -> Vec16 {
        switch op {
        case .add: return x + y
        case .sub: return x - y
        case .mul: return x * y
        case .div: return x / y
        }
    }

    @inline(__always)
    static func apply(_ op: BinaryOp, _ x: Float, _ y: Float) -> Float {
        switch op {
        case .add: return x + y
        case .sub: return x - y
        case .mul: return x * y
        case .div: return x / y
        }
    }

    /// `c[j] = a[j·ai] ∘ b[j·bi]` for j < n.
    static func forward(_ op: BinaryOp, _ a: UnsafePointer<Float>, _ ai: Int, _ b: UnsafePointer<Float>, _ bi: Int,
                        _ c: UnsafeMutablePointer<Float>, _ n: Int) {
        switch (ai, bi) {
        case (1, 1): forward(op, a, true, b, true, c, n)
        case (1, 0): forward(op, a, true, b, false, c, n)
        case (0, 1): forward(op, a, false, b, true, c, n)
        default: forward(op, a, false, b, false, c, n)
        }
    }

    @inline(__always)
    private static func forward(_ op: BinaryOp, _ a: UnsafePointer<Float>, _ av: Bool, _ b: UnsafePointer<Float>,
                                _ bv: Bool, _ c: UnsafeMutablePointer<Float>, _ n: Int) {
        let as0 = Vec16(repeating: a[0]), bs0 = Vec16(repeating: b[0])
        var j = 0
        while j + 16 <= n {
            let x = av ? SIMDMath.load(a + j) : as0
            let y = bv ? SIMDMath.load(b + j) : bs0
            SIMDMath.store(apply(op, x, y), c + j)
            j += 16
        }
        while j < n {
            c[j] = apply(op, av ? a[j] : a[0], bv ? b[j] : b[0])
            j += 1
        }
    }

    @inline(__always)
    static func local(_ rule: GradientRule, _ g: Vec16, _ s: Vec16, _ o: Vec16) -> Vec16 {
        switch rule {
        case .pass: return g
        case .negate: return -g
        case .timesOther: return g * o
        case .overOther: return g / o
        case .divisorRule: return -(g * o) / (s * s)
        }
    }

    @inline(__always)
    static func local(_ rule: GradientRule, _ g: Float, _ s: Float, _ o: Float) -> Float {
        switch rule {
        case .pass: return g
        case .negate: return -g
        case .timesOther: return g * o
        case .overOther: return g / o
        case .divisorRule: return -(g * o) / (s * s)
        }
    }

    /// Accumulates one row of an operand's gradient: `d[j·si] += rule(g[j], s[j·si], o[j·oi])` — with
    /// `si == 0` the whole row is summed (in order) into `d[0]`.
    static func backward(_ rule: GradientRule, _ g: UnsafePointer<Float>, _ s: UnsafePointer<Float>, _ si: Int,
                         _ o: UnsafePointer<Float>, _ oi: Int, _ d: UnsafeMutablePointer<Float>, _ n: Int) {
        let ss0 = Vec16(repeating: s[0]), os0 = Vec16(repeating: o[0])
        if si == 1 {
            var j = 0
            while j + 16 <= n {
                let v = local(rule, SIMDMath.load(g + j), SIMDMath.load(s + j), oi == 1 ? SIMDMath.load(o + j) : os0)
                SIMDMath.store(SIMDMath.load(d + j) + v, d + j)
                j += 16
            }
            while j < n {
                d[j] += local(rule, g[j], s[j], oi == 1 ? o[j] : o[0])
                j += 1
            }
        } else {
            var acc = Vec16()
            var j = 0
            while j + 16 <= n {
                acc += local(rule, SIMDMath.load(g + j), ss0, oi == 1 ? SIMDMath.load(o + j) : os0)
                j += 16
            }
            var total = SIMDMath.sum(acc)
            while j < n {
                total += local(rule, g[j], s[0], oi == 1 ? o[j] : o[0])
                j += 1
            }
            d[0] += total
        }
    }
}
