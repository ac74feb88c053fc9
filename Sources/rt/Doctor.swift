import ArgumentParser
import Foundation
import RegressionTransformer
import Tensors

/// `rt doctor` — what the engine found on this machine and what it chose: CPU, instruction sets, kernel level,
/// OpenBLAS and its core type, the GEMM path per shape class (measured and cached), and the arithmetic peak.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the CPU, the kernels and GEMM paths chosen for it, and why.",
        discussion: """
            The GEMM path of each shape class is measured on first use and cached per machine (see \
            docs/engine.md §4.3); --remeasure measures again and replaces the cache. RT_BLAS forces a backend, \
            RT_CPU a kernel level (avx2, avx512), RT_THREADS the thread count.

            Examples:
              rt doctor
              rt doctor --remeasure
              RT_CPU=avx2 rt doctor
            """)

    @Flag(help: "Measure the GEMM paths again (and replace the cached decision).")
    var remeasure = false

    @Flag(help: "Skip the arithmetic peak probes (a few milliseconds).")
    var noPeak = false

    func run() throws {
        _ = try CPU.levelFromEnvironment()
        let forced = try Gemm.backendFromEnvironment()
        let env = ProcessInfo.processInfo.environment
        func setting(_ name: String) -> String { env[name].map { "\(name)=\($0)" } ?? "\(name) unset" }

        print("rt \(RegressionTransformerInfo.version)")
        print("cpu:       \(CPU.summary)")
        print("threads:   \(Engine.threads) (\(setting("RT_THREADS")); \(ProcessInfo.processInfo.activeProcessorCount) active cores)")
        let levels = CPU.KernelLevel.allCases.map { "\($0.rawValue)\($0.isSupported ? "" : " (needs \($0.requiredFeatures))")" }
        print("kernels:   \(CPU.level.rawValue) (\(setting("RT_CPU")); levels: \(levels.joined(separator: ", ")))")
        print("openblas:  \(Gemm.openBLASDescription)")
        if let config = Gemm.openBLASConfig { print("           \(config)") }
        if !noPeak {
            let peaks = PeakProbe.Kind.allCases.map { kind in
                PeakProbe.gigaflops(kind).map { String(format: "%@ %.0f", kind.rawValue, $0) } ?? "\(kind.rawValue) n/a"
            }
            print("peak:      \(peaks.joined(separator: ", ")) GFLOP/s on one core")
        }
        if let forced {
            print("gemm:      \(forced.rawValue) for every product (RT_BLAS)")
            return
        }
        let decision = GemmDispatch.decide(remeasure: remeasure)
        try Gemm.setBackend(nil)
        print("gemm:      chosen per shape class at \(decision.machineThreads) threads, \(decision.measuredAt); \(GemmDispatch.cacheNote)")
        print("           " + TableCell.left("class", 11) + TableCell.left("chosen", 10)
              + Gemm.Backend.allCases.map { TableCell.right($0.rawValue, 10) }.joined() + TableCell.right("bf16", 10)
              + "   (GFLOP/s)")
        for c in GemmDispatch.ShapeClass.allCases {
            guard let choice = decision.classes[c.rawValue] else { continue }
            var line = "           " + TableCell.left(c.rawValue, 11) + TableCell.left(choice.backend.rawValue, 10)
            for b in Gemm.Backend.allCases {
                line += TableCell.right(choice.gigaflops[b.rawValue].map { String(format: "%.1f", $0) } ?? "-", 10)
            }
            line += TableCell.right(choice.bf16Gigaflops.map { String(format: "%.1f", $0) } ?? "-", 10)
            for (b, why) in choice.rejected.sorted(by: { $0.key < $1.key }) { line += "   \(b) rejected: \(why)" }
            print(line)
        }
        let auto = Gemm.automaticPrecision
        print("precision: auto = \(auto.precision.rawValue) (\(auto.reason)); the default of rt train (float32 for inference)")
        print("           OpenBLAS is chosen only when ≥ \(Int(((GemmDispatch.openBLASMargin - 1) * 100).rounded())) % faster than ours (ours is bit-identical across thread counts and levels)")
    }
}
