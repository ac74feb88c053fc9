import XCTest
@testable import Tensors

/// The machinery around the GEMM choice: shape classes, the OpenBLAS core-type policy and its reload mechanism,
/// the measured decision and its cache.
final class GemmDispatchTests: XCTestCase {
    /// `ShapeClass.of` on the boundaries, and each class's routing-table index is its position in `allCases`.
    func testShapeClassBoundaries() {
        XCTAssertEqual(GemmDispatch.ShapeClass.of(m: 256, n: 256, k: 256), .large)          // 2^24
        XCTAssertEqual(GemmDispatch.ShapeClass.of(m: 256, n: 256, k: 255), .sequence)
        XCTAssertEqual(GemmDispatch.ShapeClass.of(m: 128, n: 256, k: 256), .sequence)
        XCTAssertEqual(GemmDispatch.ShapeClass.of(m: 64, n: 128, k: 128), .sequence)        // 2^20
        XCTAssertEqual(GemmDispatch.ShapeClass.of(m: 64, n: 128, k: 127), .attention)
        XCTAssertEqual(GemmDispatch.ShapeClass.of(m: 1, n: 1, k: 1), .attention)
        XCTAssertEqual(GemmDispatch.ShapeClass.of(m: 128, n: 128, k: 16), .attention)
        for c in GemmDispatch.ShapeClass.allCases {
            XCTAssertEqual(c.index, GemmDispatch.ShapeClass.allCases.firstIndex(of: c), "\(c): routing-table index")
        }
    }

    /// OpenBLAS family names map to the instruction tiers they need, and the best family follows the flags.
    func testCoreFamilyPolicy() {
        typealias F = OpenBLASLibrary.CoreFamily
        XCTAssertEqual(F(coreName: "Prescott"), .generic)
        XCTAssertEqual(F(coreName: "Core2"), .generic)
        XCTAssertEqual(F(coreName: "Sandybridge"), .generic)  // AVX without FMA: below what an AVX2 CPU allows
        XCTAssertEqual(F(coreName: "Haswell"), .avx2)
        XCTAssertEqual(F(coreName: "Zen"), .avx2)
        XCTAssertEqual(F(coreName: "SkylakeX"), .avx512)
        XCTAssertEqual(F(coreName: "cooperlake"), .avx512)
        let avx512: CPU.Features = [.avx2, .avx512f, .avx512bw, .avx512vl, .avx512dq]
        XCTAssertEqual(F.best(for: avx512)?.name, "SkylakeX")
        XCTAssertEqual(F.best(for: avx512.union(.avx512bf16))?.name, "Cooperlake")
        XCTAssertEqual(F.best(for: [.avx2, .avx512f])?.name, "Haswell")  // AVX-512F alone is not enough
        XCTAssertEqual(F.best(for: [.avx2])?.name, "Haswell")
        XCTAssertNil(F.best(for: []))
    }

    /// The mechanism that replaces a generic OpenBLAS: a fresh copy initialised with OPENBLAS_CORETYPE reports
    /// the forced family, computes correctly, and leaves the environment as it was.
    func testFreshCopyHonoursCoreType() throws {
        guard let lib = OpenBLASLibrary.shared else { throw XCTSkip("OpenBLAS not installed: \(Gemm.openBLASDescription)") }
        guard CPU.features.contains(.avx2) else { throw XCTSkip("this CPU lacks avx2: no family to force") }
        #if !os(Linux)
        throw XCTSkip("dlmopen is Linux-only")
        #else
        let before = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
        guard let copy = lib.freshCopy(coreType: "Haswell") else { return XCTFail("no fresh copy of \(lib.soname)") }
        XCTAssertEqual(copy.coreName?.lowercased(), "haswell")
        XCTAssertLessThan(copy.relativeErrorOnCheckShapes(), 1e-6)
        XCTAssertEqual(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], before)
        #endif
    }

    /// A measured decision names a backend for every class, checks both candidates, and survives the cache.
    func testDecisionIsCachedPerMachine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rt-dispatch-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        setenv("RT_CACHE_DIR", dir.path, 1)
        defer { unsetenv("RT_CACHE_DIR") }
        XCTAssertNil(GemmDispatch.cachedDecision())
        let d = GemmDispatch.decide()
        XCTAssertEqual(Set(d.classes.keys), Set(GemmDispatch.ShapeClass.allCases.map(\.rawValue)))
        for (_, choice) in d.classes {
            XCTAssertNotNil(choice.gigaflops[Gemm.Backend.swift.rawValue], "ours must always be a candidate")
            XCTAssertTrue(choice.rejected.isEmpty, "a backend was rejected: \(choice.rejected)")
            if Gemm.isOpenBLASAvailable { XCTAssertNotNil(choice.gigaflops[Gemm.Backend.openblas.rawValue]) }
        }
        XCTAssertTrue(GemmDispatch.cacheNote.hasPrefix("measured now, saved"), GemmDispatch.cacheNote)
        let again = try XCTUnwrap(GemmDispatch.cachedDecision())
        XCTAssertEqual(again.key, GemmDispatch.machineKey)
        XCTAssertEqual(again.classes.mapValues(\.backend), d.classes.mapValues(\.backend))
        _ = GemmDispatch.decide()
        XCTAssertTrue(GemmDispatch.cacheNote.hasPrefix("read from"), GemmDispatch.cacheNote)
        // A file written for another machine's key is ignored.
        var other = d
        other.key = "another machine"
        try JSONEncoder().encode(other).write(to: GemmDispatch.cacheFile)
        XCTAssertNil(GemmDispatch.cachedDecision())
    }
}
