import ArgumentParser
import Foundation
import Tensors

/// `rt bench ops` — fused SIMD kernels against plain scalar loops (thin: see `OpsBenchmark`).
struct BenchOps: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ops",
        abstract: "Throughput of the fused layer-norm, softmax and GELU kernels against plain scalar loops.",
        discussion: """
            Each kernel runs on 4 M floats (GELU over 4096x1024, layer norm rows of 256, softmax rows of 128), \
            forward and backward. Columns: best ms per call and GB/s of the scalar loop and of the fused kernel \
            on one thread, the speed-up between the two, and the fused kernel on --threads threads.

            Examples:
              rt bench ops
              rt bench ops --threads 2 --format csv
            """)

    @Option(help: "Threads for the parallel column.")
    var threads: Int = 2

    @Option(help: "Samples per kernel (best is reported).")
    var samples: Int = 5

    @Option(help: "Seconds per sample.")
    var sampleTime: Double = 0.05

    @Option(help: "Floats per kernel (rounded down to a multiple of 1024).")
    var elements: Int = 4096 * 1024

    @Option(help: "Output format: text, csv or json.")
    var format: OutputFormat = .text

    @Flag(help: "Wait (up to 15 minutes) until the machine is idle before measuring.")
    var waitIdle = false

    @Option(help: "Clock for the 1-thread columns: wall, or cpu (the thread's CPU time, robust on a busy machine).")
    var clock: BenchClockChoice = .wall

    func run() throws {
        guard threads >= 1, samples >= 1, sampleTime > 0, elements >= 1024 else {
            throw ValidationError("--threads, --samples and --sample-time must be positive, --elements at least 1024")
        }
        let log = StandardError()
        if waitIdle && !LoadMonitor.waitUntilIdle() { log.write("warning: machine did not become idle\n") }
        let monitor = LoadMonitor()
        let t0 = BenchClock.now()
        let results = OpsBenchmark(samples: samples, sampleTime: sampleTime, threads: threads,
                                   elements: elements / 1024 * 1024, cpuClockForOneThread: clock == .cpu).run { m in
            log.write(String(format: "  %@: scalar %.2f ms, fused %.2f ms\n", m.kernel, m.scalar * 1e3, m.fused * 1e3))
        }
        if let foreign = monitor.foreignSeconds() {
            log.write(String(format: "foreign CPU during the run: %.1f s over %.0f s\n", foreign, BenchClock.now() - t0))
        }
        switch format {
        case .csv:
            print("kernel,shape,scalar_ms,fused_ms,speedup,fused_\(threads)t_ms,fused_gbps,max_abs_diff")
            for m in results {
                print(String(format: "%@,%@,%.3f,%.3f,%.2f,%.3f,%.1f,%.2e", m.kernel, m.shape, m.scalar * 1e3, m.fused * 1e3,
                             m.speedup, m.fusedParallel * 1e3, m.bytes / m.fused / 1e9, m.maxDifference))
            }
        case .json:
            let rows = results.map { m in
                String(format: "{\"kernel\":\"%@\",\"shape\":\"%@\",\"scalar_ms\":%.3f,\"fused_ms\":%.3f,\"speedup\":%.2f,"
                       + "\"threads\":%d,\"fused_parallel_ms\":%.3f,\"max_abs_diff\":%.2e}",
                       m.kernel, m.shape, m.scalar * 1e3, m.fused * 1e3, m.speedup, m.threads, m.fusedParallel * 1e3,
                       m.maxDifference)
            }
            print("[\n  " + rows.joined(separator: ",\n  ") + "\n]")
        case .text:
            print("Fused kernels vs plain scalar loops (best of \(samples); 1 thread unless noted; GB/s = bytes read + written)")
            print(GemmReport.pad("kernel", 21) + GemmReport.pad("shape", 11) + GemmReport.lpad("scalar ms", 10)
                  + GemmReport.lpad("GB/s", 7) + GemmReport.lpad("fused ms", 10) + GemmReport.lpad("GB/s", 7)
                  + GemmReport.lpad("speed-up", 10) + GemmReport.lpad("fused \(threads)T ms", 14) + GemmReport.lpad("max |diff|", 12))
            for m in results {
                print(GemmReport.pad(m.kernel, 21) + GemmReport.pad(m.shape, 11)
                      + GemmReport.lpad(String(format: "%.2f", m.scalar * 1e3), 10)
                      + GemmReport.lpad(String(format: "%.1f", m.bytes / m.scalar / 1e9), 7)
                      + GemmReport.lpad(String(format: "%.2f", m.fused * 1e3), 10)
                      + GemmReport.lpad(String(format: "%.1f", m.bytes / m.fused / 1e9), 7)
                      + GemmReport.lpad(String(format: "%.1fx", m.speedup), 10)
                      + GemmReport.lpad(String(format: "%.2f", m.fusedParallel * 1e3), 14)
                      + GemmReport.lpad(String(format: "%.1e", m.maxDifference), 12))
            }
            let speedups = results.map(\.speedup)
            if let lo = speedups.min() {
                print(String(format: "fused/scalar speed-up (1 thread): min %.1fx median %.1fx", lo, BenchClock.median(speedups)))
            }
        }
    }
}
