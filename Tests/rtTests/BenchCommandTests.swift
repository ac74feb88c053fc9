import Foundation
import XCTest

/// `rt bench gemm` / `rt bench ops` on tiny sizes: the output contract, not the speed.
final class BenchCommandTests: XCTestCase {
    func testBenchGemmPrintsTableAndSummaryLine() throws {
        let r = try RTCommand.run(["bench", "gemm", "--threads", "1,2", "--shapes", "2048x16x16,48x40x33:TN",
                                   "--samples", "1", "--sample-time", "0.002"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("2048x16x16") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("48x40x33") && $0.contains("TN") }, r.stdout)
        XCTAssertGreaterThanOrEqual(lines.count, 2, r.stdout)
        let summary = lines.count >= 2 ? lines[lines.count - 2] : ""
        let pattern = #"^swift/openblas \(M>=2048, 1 thread\): min [0-9]+\.[0-9]{2} median [0-9]+\.[0-9]{2}$"#
        XCTAssertTrue(summary == "openblas not found" || summary.range(of: pattern, options: .regularExpression) != nil,
                      summary)
        // The last line: the best 1-thread rate as a fraction of the measured FMA peak of one core.
        let peak = #"^one core, M>=2048: swift [0-9]+ of [0-9]+ GFLOP/s float32 FMA peak \([0-9]+ %\)"#
        XCTAssertNotNil(lines.last?.range(of: peak, options: .regularExpression), lines.last ?? "")
        XCTAssertTrue(r.stderr.contains("OpenBLAS:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("cpu: "), r.stderr)
    }

    func testBenchGemmCSVAndBadShape() throws {
        let csv = try RTCommand.run(["bench", "gemm", "--threads", "1", "--shapes", "8x8x8", "--samples", "1",
                                     "--sample-time", "0.001", "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertTrue(csv.stdout.hasPrefix("shape,op,threads,backend,best_gflops"), csv.stdout)
        let bad = try RTCommand.run(["bench", "gemm", "--shapes", "8x8"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("cannot parse '8x8'"), bad.stderr)
    }

    func testBenchOpsListsKernels() throws {
        let r = try RTCommand.run(["bench", "ops", "--elements", "16384", "--samples", "1", "--sample-time", "0.001"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for kernel in ["gelu forward", "gelu backward", "layer norm forward", "layer norm backward",
                       "softmax forward", "softmax backward"] {
            XCTAssertTrue(r.stdout.contains(kernel), "\(kernel) missing in \(r.stdout)")
        }
        XCTAssertTrue(r.stdout.split(separator: "\n").last?.hasPrefix("fused/scalar speed-up (1 thread): min") ?? false, r.stdout)
    }

    func testForcingAMissingBackendFails() throws {
        let r = try RTCommand.run(["bench", "gemm", "--shapes", "8x8x8", "--samples", "1"], environment: ["RT_BLAS": "cuda"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("RT_BLAS=cuda"), r.stderr)
    }
}
