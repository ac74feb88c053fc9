import Foundation
import Tensors
import XCTest
@testable import RegressionTransformer

/// XLNet's building blocks against the vectors HF's own code produced (`Fixtures/xlnet_units`).
final class XLNetUnitVectorTests: XCTestCase {
    /// R for L = 4, d = 8 and L = 24, d = 64: positions L … −L+1, concatenated sin/cos halves.
    func testRelativePositionEncoding() throws {
        for case_ in try XLNetFixtures.units()["positional_encoding"] as! [[String: Any]] {
            let l = case_["L"] as! Int, d = case_["d"] as! Int
            let expected = (case_["R"] as! [Double]).map(Float.init)
            let r = RelativePositions.encoding(length: l, dimension: d, clampLength: -1)
            XCTAssertEqual(r.shape, [2 * l, d])
            Compare.assertClose(r.scalars, expected, absolute: 2e-6, "R (L = \(l), d = \(d))")
        }
        // Row p encodes position L − p: row L is position 0 → [0…, 1…].
        let r = RelativePositions.encoding(length: 4, dimension: 8, clampLength: -1).scalars
        XCTAssertEqual(Array(r[32..<40]), [0, 0, 0, 0, 1, 1, 1, 1])
    }

    /// clamp_len clamps positions to ±clamp_len: for L = 4 and clamp 2 the positions 4 3 2 1 0 −1 −2 −3 become
    /// 2 2 2 1 0 −1 −2 −2 (compared with the unclamped rows of L = 3, positions 3 2 1 0 −1 −2).
    func testClampLength() {
        let clamped = RelativePositions.encoding(length: 4, dimension: 8, clampLength: 2).scalars
        let reference = RelativePositions.encoding(length: 3, dimension: 8, clampLength: -1).scalars
        func row(_ t: [Float], _ p: Int) -> [Float] { Array(t[(p * 8)..<((p + 1) * 8)]) }
        for p in 0...2 { XCTAssertEqual(row(clamped, p), row(reference, 1)) }
        for p in 6...7 { XCTAssertEqual(row(clamped, p), row(reference, 5)) }
        XCTAssertEqual(row(clamped, 3), row(reference, 2))
    }

    /// Exact GELU (the engine's kernel) against `transformers`' GELUActivation.
    func testGELU() throws {
        let g = try XLNetFixtures.units()["gelu"] as! [String: Any]
        let x = (g["x"] as! [Double]).map(Float.init), y = (g["y"] as! [Double]).map(Float.init)
        Compare.assertClose(Tape(recording: false).gelu(Tensor(x)).scalars, y, absolute: 5e-7, "gelu")
    }
}
