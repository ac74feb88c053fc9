import ArgumentParser
import Foundation
import Tensors

/// `rt bench gemm` — GEMM throughput of each backend on the transformer shapes (thin: see `GemmBenchmark`).
struct BenchGemm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "GFLOP/s of our GEMM (each level, float32 and bf16) and OpenBLAS on transformer shapes, 1 and 2 threads.",
        discussion: """
            Backends are sampled alternately within one run, so the ratio swift/openblas is robust to load that \
            comes and goes; the CPU time other processes used meanwhile is logged to stderr. The last line is \
            the summary over the shapes with M >= 2048 on one thread (best GFLOP/s of each backend).

            Examples:
              rt bench gemm
              rt bench gemm --threads 1 --shapes 2048x256x256,4096x256x1024:NT --format csv
              rt bench gemm --wait-idle
              rt bench gemm --paths swift,swift-bf16 --threads 1
            """)

    @Option(help: "Comma-separated thread counts.")
    var threads: String = "1,2"

    @Option(help: "Comma-separated shapes MxNxK[:OP] (OP = NN, NT, TN, TT); default: the transformer shapes.")
    var shapes: String?

    @Option(help: "Comma-separated paths: swift (our kernels at the CPU's level), swift-avx2, openblas, swift-bf16; default: all this machine has.")
    var paths: String?

    @Option(help: "Samples per shape, thread count and backend (best and median are reported).")
    var samples: Int = 7

    @Option(help: "Seconds per sample.")
    var sampleTime: Double = 0.04

    @Option(help: "Output format: text, csv or json.")
    var format: OutputFormat = .text

    @Flag(help: "Wait (up to 15 minutes) until the machine is idle before measuring.")
    var waitIdle = false

    @Option(help: "Clock for 1-thread runs: wall, or cpu (the thread's CPU time, robust on a busy machine; runs on more threads always use wall time).")
    var clock: BenchClockChoice = .wall

    func validate() throws {
        _ = try threadCounts()
        _ = try cases()
        _ = try selectedPaths()
        try OptionCheck.positive(samples, "--samples")
        try OptionCheck.seconds(sampleTime, "--sample-time")
    }

    /// `--threads` as a list of thread counts.
    func threadCounts() throws -> [Int] {
        let counts = threads.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0.map { (1...Engine.maximumThreads).contains($0) } ?? false }) else {
            throw ValidationError("--threads: expected thread counts from 1 to \(Engine.maximumThreads) like 1,2, got '\(threads)'")
        }
        return counts.compactMap { $0 }
    }

    /// `--shapes` as benchmark cases (default: the transformer shapes).
    func cases() throws -> [GemmBenchmark.Case] {
        guard let shapes else { return GemmBenchmark.transformerCases }
        return try shapes.split(separator: ",", omittingEmptySubsequences: false).map { s in
            guard let c = GemmBenchmark.Case(parsing: String(s)) else {
                throw ValidationError("--shapes: cannot parse '\(s)' (expected e.g. 2048x256x256 or 256x1024x4096:TN, "
                                      + "each matrix at most \(GemmBenchmark.Case.maximumMatrixElements) elements)")
            }
            return c
        }
    }

    /// `--paths` (default: every path this machine has).
    func selectedPaths() throws -> [GemmBenchmark.Path] {
        guard let paths else { return GemmBenchmark.Path.allCases.filter(\.isAvailable) }
        return try paths.split(separator: ",").map { name in
            guard let p = GemmBenchmark.Path(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                let all = GemmBenchmark.Path.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--paths: unknown path '\(name)' (expected some of \(all))")
            }
            guard p.isAvailable else { throw ValidationError("--paths: \(p.rawValue) is not available on this machine (\(CPU.features))") }
            return p
        }
    }

    /// The fraction of the measured one-core FMA peak that the best 1-thread float32 and bf16 rates reach.
    func peakLine(_ ms: [GemmBenchmark.Measurement]) -> String {
        let big = ms.filter { $0.threads == 1 && $0.gemmCase.m >= 2048 }
        var parts: [String] = []
        let fp32Peak = PeakProbe.gigaflops(CPU.level == .avx512 ? .avx512 : .avx2)
        if let peak = fp32Peak, let best = big.filter({ $0.backend == .swift }).map(\.best).max() {
            parts.append(String(format: "swift %.0f of %.0f GFLOP/s float32 FMA peak (%.0f %%)", best, peak, 100 * best / peak))
        }
        if let peak = PeakProbe.gigaflops(.avx512bf16), let best = big.filter({ $0.backend == .swiftBF16 }).map(\.best).max() {
            parts.append(String(format: "swift-bf16 %.0f of %.0f bf16 dot peak (%.0f %%)", best, peak, 100 * best / peak))
        }
        return "one core, M>=2048: " + (parts.isEmpty ? "no data" : parts.joined(separator: "; "))
    }

    func run() throws {
        _ = try Gemm.backendFromEnvironment()
        let threadCounts = try threadCounts()
        let paths = try selectedPaths()
        printError("cpu: \(CPU.summary); kernels \(CPU.level.rawValue)")
        printError("OpenBLAS: \(Gemm.openBLASDescription)")
        let load = LoadGuard(waitIdle: waitIdle)
        let bench = GemmBenchmark(cases: try cases(), threadCounts: threadCounts, backends: paths, samples: samples,
                                  sampleTime: sampleTime,
                                  cpuClockForOneThread: clock == .cpu)
        let results = bench.run { ms in
            for m in ms {
                printError(String(format: "  %@ %@ %dT %@: %.1f GFLOP/s", m.gemmCase.dims, m.gemmCase.op, m.threads,
                                  m.backend.rawValue, m.best))
            }
        }
        load.finish()
        print(GemmReport.render(results, threadCounts: threadCounts, paths: paths, format: format), terminator: "")
        if format == .text {
            print(GemmBenchmark.summaryLine(results))
            print(peakLine(results))
        }
    }
}

/// Formats GEMM measurements as a table.
enum GemmReport {
    static func render(_ ms: [GemmBenchmark.Measurement], threadCounts: [Int], paths: [GemmBenchmark.Path],
                       format: OutputFormat) -> String {
        var keys: [String] = []
        var byKey: [String: [GemmBenchmark.Measurement]] = [:]
        for m in ms {
            let key = m.gemmCase.dims + m.gemmCase.op
            if byKey[key] == nil { keys.append(key) }
            byKey[key, default: []].append(m)
        }
        func rate(_ list: [GemmBenchmark.Measurement], _ t: Int, _ b: GemmBenchmark.Path) -> GemmBenchmark.Measurement? {
            list.first { $0.threads == t && $0.backend == b }
        }
        switch format {
        case .json:
            let rows = ms.map { m in
                "{\"shape\":\"\(m.gemmCase.dims)\",\"op\":\"\(m.gemmCase.op)\",\"threads\":\(m.threads),"
                    + "\"backend\":\"\(m.backend.rawValue)\",\"best_gflops\":\(round1(m.best)),"
                    + "\"median_gflops\":\(round1(m.median)),\"max_rel_error\":\(m.maxRelativeError)}"
            }
            return "[\n  " + rows.joined(separator: ",\n  ") + "\n]\n"
        case .csv:
            var out = "shape,op,threads,backend,best_gflops,median_gflops,max_rel_error\n"
            for m in ms {
                out += "\(m.gemmCase.dims),\(m.gemmCase.op),\(m.threads),\(m.backend.rawValue),\(round1(m.best)),"
                    + "\(round1(m.median)),\(m.maxRelativeError)\n"
            }
            return out
        case .text:
            var header = TableCell.left("M×N×K", 15) + TableCell.left("op", 4) + TableCell.left("role", 22)
            let ratio = paths.contains(.swift) && paths.contains(.openblas)
            for t in threadCounts {
                for p in paths { header += TableCell.right("\(p.rawValue) \(t)T", 15) }
                if ratio { header += TableCell.right("ratio \(t)T", 9) }
            }
            var out = "GEMM GFLOP/s, best of samples (median in parentheses when >10% lower); ratio = swift/openblas\n"
                + header + "\n"
            for key in keys {
                guard let list = byKey[key], let c = list.first?.gemmCase else { continue }
                var line = TableCell.left(c.dims, 15) + TableCell.left(c.op, 4) + TableCell.left(c.role, 22)
                for t in threadCounts {
                    for p in paths { line += TableCell.right(rate(list, t, p).map(cell) ?? "-", 15) }
                    if ratio {
                        let s = rate(list, t, .swift), o = rate(list, t, .openblas)
                        line += TableCell.right(s.flatMap { s in o.map { GemmBenchmark.format2(s.best / $0.best) } } ?? "-", 9)
                    }
                }
                out += line + "\n"
            }
            return out
        }
    }

    static func cell(_ m: GemmBenchmark.Measurement) -> String {
        let best = String(format: "%.1f", m.best)
        return m.median < 0.9 * m.best ? best + String(format: " (%.0f)", m.median) : best
    }

    static func round1(_ x: Double) -> Double { (x * 10).rounded() / 10 }
}
