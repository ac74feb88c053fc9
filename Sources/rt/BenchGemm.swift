import ArgumentParser
import Foundation
import Tensors

/// `rt bench gemm` — GEMM throughput of each backend on the transformer shapes (thin: see `GemmBenchmark`).
struct BenchGemm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "GFLOP/s of the Swift and OpenBLAS GEMMs on transformer shapes, 1 and 2 threads.",
        discussion: """
            Backends are sampled alternately within one run, so the ratio swift/openblas is robust to load that \
            comes and goes; the CPU time other processes used meanwhile is logged to stderr. The last line is \
            the summary over the shapes with M >= 2048 on one thread (best GFLOP/s of each backend).

            Examples:
              rt bench gemm
              rt bench gemm --threads 1 --shapes 2048x256x256,4096x256x1024:NT --format csv
              rt bench gemm --wait-idle
            """)

    @Option(help: "Comma-separated thread counts.")
    var threads: String = "1,2"

    @Option(help: "Comma-separated shapes MxNxK[:OP] (OP = NN, NT, TN, TT); default: the transformer shapes.")
    var shapes: String?

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

    func run() throws {
        _ = try Gemm.backendFromEnvironment()
        let threadCounts = try threadCounts()
        printError("OpenBLAS: \(Gemm.openBLASDescription)")
        let load = LoadGuard(waitIdle: waitIdle)
        let bench = GemmBenchmark(cases: try cases(), threadCounts: threadCounts, samples: samples, sampleTime: sampleTime,
                                  cpuClockForOneThread: clock == .cpu)
        let results = bench.run { ms in
            for m in ms {
                printError(String(format: "  %@ %@ %dT %@: %.1f GFLOP/s", m.gemmCase.dims, m.gemmCase.op, m.threads,
                                  m.backend.rawValue, m.best))
            }
        }
        load.finish()
        print(GemmReport.render(results, threadCounts: threadCounts, format: format), terminator: "")
        if format == .text { print(GemmBenchmark.summaryLine(results)) }
    }
}

/// Formats GEMM measurements as a table.
enum GemmReport {
    static func render(_ ms: [GemmBenchmark.Measurement], threadCounts: [Int], format: OutputFormat) -> String {
        var keys: [String] = []
        var byKey: [String: [GemmBenchmark.Measurement]] = [:]
        for m in ms {
            let key = m.gemmCase.dims + m.gemmCase.op
            if byKey[key] == nil { keys.append(key) }
            byKey[key, default: []].append(m)
        }
        func rate(_ list: [GemmBenchmark.Measurement], _ t: Int, _ b: Gemm.Backend) -> GemmBenchmark.Measurement? {
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
            for t in threadCounts {
                header += TableCell.right("swift \(t)T", 13) + TableCell.right("openblas \(t)T", 13) + TableCell.right("ratio \(t)T", 9)
            }
            var out = "GEMM GFLOP/s, best of samples (median in parentheses when >10% lower)\n" + header + "\n"
            for key in keys {
                guard let list = byKey[key], let c = list.first?.gemmCase else { continue }
                var line = TableCell.left(c.dims, 15) + TableCell.left(c.op, 4) + TableCell.left(c.role, 22)
                for t in threadCounts {
                    let s = rate(list, t, .swift), o = rate(list, t, .openblas)
                    line += TableCell.right(s.map(cell) ?? "-", 13) + TableCell.right(o.map(cell) ?? "-", 13)
                    line += TableCell.right(s.flatMap { s in o.map { GemmBenchmark.format2(s.best / $0.best) } } ?? "-", 9)
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
