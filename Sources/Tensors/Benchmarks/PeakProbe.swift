import CKernels

/// The arithmetic peak of one core, measured: independent multiply-add chains with no memory traffic
/// (`CKernels/peak.c`). The denominator of every "fraction of peak" figure.
public enum PeakProbe {
    /// What is measured.
    public enum Kind: String, CaseIterable, Sendable {
        /// 256-bit float32 FMA (`vfmadd231ps ymm`).
        case avx2 = "avx2 fma"
        /// 512-bit float32 FMA (`vfmadd231ps zmm`).
        case avx512 = "avx512 fma"
        /// bfloat16 dot products accumulated in float32 (`vdpbf16ps zmm`), counted as 2 flops per pair.
        case avx512bf16 = "avx512 bf16 dot"

        /// The CPU flag the probe needs.
        public var required: CPU.Features {
            switch self {
            case .avx2: return .avx2
            case .avx512: return .avx512f
            case .avx512bf16: return [.avx512f, .avx512bf16]
            }
        }
    }

    /// GFLOP/s of `kind` on the calling thread (best of 5 runs of ~10 ms), or nil when the CPU lacks the flag.
    public static func gigaflops(_ kind: Kind) -> Double? {
        guard CPU.features.contains(kind.required) else { return nil }
        let probe: (Int) -> Double
        switch kind {
        case .avx2: probe = { rt_peak_fma_avx2($0) }
        case .avx512: probe = { rt_peak_fma_avx512($0) }
        case .avx512bf16: probe = { rt_peak_dpbf16_avx512($0) }
        }
        _ = probe(100_000)
        var best = 0.0
        for _ in 0..<5 {
            let t0 = BenchClock.threadCPUTime()
            let flops = probe(200_000)
            best = max(best, flops / (BenchClock.threadCPUTime() - t0) / 1e9)
        }
        return best
    }
}
