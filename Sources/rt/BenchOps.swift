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

    @Option(help: "Threads for the parallel column (default: RT_THREADS, else all cores).")
    var threads: Int = Engine.threads

    @Option(help: "Samples per kernel (best is reported).")
    var samples: Int = 5

    @Option(help: "Seconds per sample.")
    var sampleTime: Double = 0.05

    @Option(help: "Floats per kernel (rounded down to a multiple of 1024; at most 2^26).")
    var elements: Int = 4096 * 1024

    @Option(help: "Output format: text, csv or json.")
    var format: OutputFormat = .text

    @Flag(help: "Wait (up to 15 minutes) until the machine is idle before measuring.")
    var waitIdle = false

    @Option(help: "Clock for the 1-thread columns: wall, or cpu (the thread's CPU time, robust on a busy machine).")
    var clock: BenchClockChoice = .wall

    func validate() throws {
        try OptionCheck.threads(threads)
        try OptionCheck.positive(samples, "--samples")
        try OptionCheck.seconds(sampleTime, "--sample-time")
        try OptionCheck.inRange(elements, 1024...(1 << 26), "--elements")
    }

    func run() throws {
        let load = LoadGuard(waitIdle: waitIdle)
        let results = OpsBenchmark(samples: samples, sampleTime: sampleTime, threads: threads,
                                   elements: elements / 1024 * 1024, cpuClockForOneThread: clock == .cpu).run { m in
            printError(String(format: "  %@: scalar %.2f ms, fused %.2f ms", m.kernel, m.scalar * 1e3, m.fused * 1e3))
        }
        load.finish()
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
            print(TableCell.left("kernel", 21) + TableCell.left("shape", 11) + TableCell.right("scalar ms", 10)
                  + TableCell.right("GB/s", 7) + TableCell.right("fused ms", 10) + TableCell.right("GB/s", 7)
                  + TableCell.right("speed-up", 10) + TableCell.right("fused \(threads)T ms", 14) + TableCell.right("max |diff|", 12))
            for m in results {
                print(TableCell.left(m.kernel, 21) + TableCell.left(m.shape, 11)
                      + TableCell.right(String(format: "%.2f", m.scalar * 1e3), 10)
                      + TableCell.right(String(format: "%.1f", m.bytes / m.scalar / 1e9), 7)
                      + TableCell.right(String(format: "%.2f", m.fused * 1e3), 10)
                      + TableCell.right(String(format: "%.1f", m.bytes / m.fused / 1e9), 7)
                      + TableCell.right(String(format: "%.1fx", m.speedup), 10)
                      + TableCell.right(String(format: "%.2f", m.fusedParallel * 1e3), 14)
                      + TableCell.right(String(format: "%.1e", m.maxDifference), 12))
            }
            let speedups = results.map(\.speedup)
            if let lo = speedups.min() {
                print(String(format: "fused/scalar speed-up (1 thread): min %.1fx median %.1fx", lo, BenchClock.median(speedups)))
            }
        }
    }
}
