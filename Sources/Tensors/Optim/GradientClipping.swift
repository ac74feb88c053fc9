/// Global-norm gradient clipping, as `torch.nn.utils.clip_grad_norm_(parameters, max_norm)`:
/// `total = ‖(‖g₁‖₂, …, ‖gₙ‖₂)‖₂` over the trainable parameters, `coef = min(1, max_norm / (total + 1e-6))`,
/// every gradient multiplied by `coef`. Norms are accumulated in Double over fixed chunks (deterministic).
extension ParameterStore {
    /// The global L2 norm of all trainable gradients.
    public func gradientNorm() -> Double {
        let g = flatGradients.unsafePointer
        var total = 0.0
        forEachRange { spec, range in
            guard spec.trainable else { return }
            total += Parallel.sum(range.count, chunk: 1 << 16) { r in
                Kernels.sumOfSquares(g + range.lowerBound + r.lowerBound, count: r.count)
            }
        }
        return total.squareRoot()
    }

    /// Scales the trainable gradients so that their global norm is at most `maxNorm`; returns the norm before
    /// clipping (what PyTorch returns). A non-finite norm is returned as is and nothing is scaled.
    @discardableResult
    public func clipGradients(maxNorm: Double) -> Double {
        let norm = gradientNorm()
        guard norm.isFinite else { return norm }
        let coef = min(1, maxNorm / (norm + 1e-6))
        guard coef < 1 else { return norm }
        let g = flatGradients.unsafePointer
        let c = Float(coef)
        forEachRange { spec, range in
            guard spec.trainable else { return }
            Parallel.forRanges(range.count, grain: 1 << 16) { r in
                let p = g + range.lowerBound + r.lowerBound
                Kernels.scale(p, c, into: p, count: r.count)
            }
        }
        return norm
    }
}
