import Foundation

/// AdamW over a `ParameterStore`: one fused pass over the flat value, gradient and moment buffers.
///
/// Two variants, both with bias correction (t = step number from 1, g = gradient, p = parameter, all Float):
///
/// `.torch` — `torch.optim.AdamW` (decay before the update, ε outside the corrected √v):
/// ```
/// p ← p·(1 − lr·wd);  m ← m + (1−β₁)(g − m);  v ← β₂v + (1−β₂)g²
/// p ← p − (lr/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)
/// ```
/// `.huggingface` — HF's `transformers.AdamW` (3.1–4.x, `correct_bias=True`), which the RT trained with
/// (ε on the raw √v, decay after the update on the updated p):
/// ```
/// m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²
/// p ← p − (lr·√(1−β₂ᵗ)/(1−β₁ᵗ)) · m / (√v + ε);  p ← p − lr·wd·p
/// ```
/// Scalars (bias corrections, step sizes) are computed in Double and rounded once, as PyTorch does with Python
/// floats. Weight decay applies to parameters whose spec has `weightDecay`; frozen parameters are skipped.
/// Matches the committed PyTorch fixtures to < 1e-6 (Tests/TensorsTests/OptimizerTests.swift).
public final class AdamW {
    public enum Variant: String, Sendable {
        case torch, huggingface
    }

    public struct Configuration: Sendable, Equatable {
        public var learningRate: Double
        public var beta1: Double
        public var beta2: Double
        public var eps: Double
        public var weightDecay: Double
        public var variant: Variant

        /// Defaults as `torch.optim.AdamW`: lr 1e-3, β (0.9, 0.999), ε 1e-8, weight decay 0.01.
        public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
                    weightDecay: Double = 0.01, variant: Variant = .torch) {
            self.learningRate = learningRate
            self.beta1 = beta1
            self.beta2 = beta2
            self.eps = eps
            self.weightDecay = weightDecay
            self.variant = variant
        }
    }

    public let parameters: ParameterStore
    public var configuration: Configuration
    /// Optimizer steps taken so far.
    public private(set) var stepCount = 0
    /// First and second moment estimates, flat like the parameters.
    public let firstMoment: Tensor, secondMoment: Tensor

    public init(parameters: ParameterStore, configuration: Configuration = Configuration()) {
        self.parameters = parameters
        self.configuration = configuration
        firstMoment = Tensor.zeros([parameters.flatCount])
        secondMoment = Tensor.zeros([parameters.flatCount])
    }

    /// Restores a saved state (to resume training exactly): the step count; the moments are restored by writing
    /// into `firstMoment` / `secondMoment`.
    public func restore(stepCount: Int) {
        precondition(stepCount >= 0, "a step count cannot be negative")
        self.stepCount = stepCount
    }

    /// One update of every trainable parameter from its accumulated gradient, at `learningRate` (default: the
    /// configuration's). Gradients are left as they are (call `zeroGradients()` on the store).
    public func step(learningRate: Double? = nil) {
        stepCount += 1
        let c = configuration
        let lr = learningRate ?? c.learningRate
        let t = Double(stepCount)
        let bc1 = 1 - pow(c.beta1, t), bc2 = 1 - pow(c.beta2, t)
        let p = parameters.flatValues.unsafePointer, g = parameters.flatGradients.unsafePointer
        let m = firstMoment.unsafePointer, v = secondMoment.unsafePointer
        let coefficients: AdamWKernel.Coefficients
        switch c.variant {
        case .torch:
            coefficients = .init(variant: .torch, beta1: Float(c.beta1), oneMinusBeta1: Float(1 - c.beta1),
                                 beta2: Float(c.beta2), oneMinusBeta2: Float(1 - c.beta2), eps: Float(c.eps),
                                 stepSize: Float(lr / bc1), sqrtBiasCorrection2: Float(bc2.squareRoot()),
                                 decayFactor: Float(1 - lr * c.weightDecay), decayAmount: 0)
        case .huggingface:
            coefficients = .init(variant: .huggingface, beta1: Float(c.beta1), oneMinusBeta1: Float(1 - c.beta1),
                                 beta2: Float(c.beta2), oneMinusBeta2: Float(1 - c.beta2), eps: Float(c.eps),
                                 stepSize: Float(lr * bc2.squareRoot() / bc1), sqrtBiasCorrection2: 1,
                                 decayFactor: 1, decayAmount: Float(-lr * c.weightDecay))
        }
        parameters.forEachRange { spec, range in
            guard spec.trainable else { return }
            var k = coefficients
            if !spec.weightDecay || c.weightDecay == 0 { k.decayFactor = 1; k.decayAmount = 0 }
            let kk = k
            Parallel.forRanges(range.count, grain: 1 << 15) { r in
                let o = range.lowerBound + r.lowerBound
                AdamWKernel.update(p + o, g + o, m + o, v + o, count: r.count, kk)
            }
        }
    }
}

/// The fused AdamW element update (both variants), vectorised.
enum AdamWKernel {
    struct Coefficients {
        var variant: AdamW.Variant
        var beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, stepSize, sqrtBiasCorrection2: Float
        /// torch: p ← p·decayFactor before the update.
        var decayFactor: Float
        /// huggingface: p ← p + decayAmount·p after the update.
        var decayAmount: Float
    }

    @inline(__always)
    static func torch(_ p: Vec16, _ g: Vec16, _ m: inout Vec16, _ v: inout Vec16, _ k: Coefficients) -> Vec16 {
        let decayed = p * Vec16(repeating: k.decayFactor)
        m = m.addingProduct(Vec16(repeating: k.oneMinusBeta1), g - m)
        v = v * Vec16(repeating: k.beta2) + Vec16(repeating: k.oneMinusBeta2) * g * g
        let denom = v.squareRoot() / Vec16(repeating: k.sqrtBiasCorrection2) + Vec16(repeating: k.eps)
        return decayed + (Vec16(repeating: -k.stepSize) * m) / denom
    }

    @inline(__always)
    static func huggingface(_ p: Vec16, _ g: Vec16, _ m: inout Vec16, _ v: inout Vec16, _ k: Coefficients) -> Vec16 {
        m = m * Vec16(repeating: k.beta1) + Vec16(repeating: k.oneMinusBeta1) * g
        v = v * Vec16(repeating: k.beta2) + Vec16(repeating: k.oneMinusBeta2) * g * g
        let denom = v.squareRoot() + Vec16(repeating: k.eps)
        let updated = p + (Vec16(repeating: -k.stepSize) * m) / denom
        return updated + Vec16(repeating: k.decayAmount) * updated
    }

    static func update(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                       _ v: UnsafeMutablePointer<Float>, count: Int, _ k: Coefficients) {
        var i = 0
        @inline(__always) func one(_ at: Int, _ n: Int) {
            var mv = SIMDMath.load(m + at, count: n), vv = SIMDMath.load(v + at, count: n)
            let pv = SIMDMath.load(p + at, count: n), gv = SIMDMath.load(g + at, count: n)
            let out = k.variant == .torch ? torch(pv, gv, &mv, &vv, k) : huggingface(pv, gv, &mv, &vv, k)
            SIMDMath.store(out, p + at, count: n)
            SIMDMath.store(mv, m + at, count: n)
            SIMDMath.store(vv, v + at, count: n)
        }
        if k.variant == .torch {
            while i + 16 <= count {
                var mv = SIMDMath.load(m + i), vv = SIMDMath.load(v + i)
                SIMDMath.store(torch(SIMDMath.load(p + i), SIMDMath.load(g + i), &mv, &vv, k), p + i)
                SIMDMath.store(mv, m + i)
                SIMDMath.store(vv, v + i)
                i += 16
            }
        } else {
            while i + 16 <= count {
                var mv = SIMDMath.load(m + i), vv = SIMDMath.load(v + i)
                SIMDMath.store(huggingface(SIMDMath.load(p + i), SIMDMath.load(g + i), &mv, &vv, k), p + i)
                SIMDMath.store(mv, m + i)
                SIMDMath.store(vv, v + i)
                i += 16
            }
        }
        if i < count { one(i, count - i) }
    }
}
