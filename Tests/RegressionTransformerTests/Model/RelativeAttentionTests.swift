import Foundation
import Tensors
import XCTest
@testable import RegressionTransformer

/// The fused relative-attention op: the index arithmetic against HF's `rel_shift`, the forward pass against a
/// direct evaluation of its formula, and its backward pass against finite differences.
final class RelativeAttentionTests: XCTestCase {
    /// HF's `rel_shift_bnij` (fixture from the HF code): output[i][j] = input[i][L − i + j].
    func testRelativeShiftIsIndexArithmetic() throws {
        let units = try XLNetFixtures.units()
        for case_ in units["rel_shift"] as! [[String: Any]] {
            let l = case_["L"] as! Int
            let input = (case_["input"] as! [Double]).map(Float.init)
            let output = (case_["output"] as! [Double]).map(Float.init)
            var shifted: [Float] = []
            for i in 0..<l { for j in 0..<l { shifted.append(input[i * 2 * l + (l - i + j)]) } }
            XCTAssertEqual(shifted, output, "L = \(l)")
        }
    }

    /// A small layout: B = 2, L = 5, with padding, a permutation mask, query rows (2 in sample 0, 1 in sample 1),
    /// and a query row that sees nothing (uniform weights).
    func layout() throws -> StreamLayout {
        let l = 5
        var perm = [Bool](repeating: false, count: 2 * l * l)
        for (b, i, j) in [(0, 1, 3), (0, 3, 3), (0, 2, 3), (1, 0, 2), (1, 2, 2), (1, 4, 2), (0, 4, 4), (0, 4, 0), (0, 4, 1), (0, 4, 2), (0, 4, 3)] {
            perm[(b * l + i) * l + j] = true
        }
        let pad = (0..<(2 * l)).map { $0 != 9 }  // the last token of sample 1 is padding
        let batch = try XLNetBatch(batchSize: 2, length: l, ids: [Int32](repeating: 1, count: 2 * l), attentionMask: pad,
                                   permutationMask: perm, targets: [[3, 4], [2]])
        return StreamLayout(batch: batch)
    }

    /// The formula of the op, evaluated directly per row in Double.
    func reference(q: [Float], k: [Float], v: [Float], kr: [Float], rw: [Float], rr: [Float], layout: StreamLayout,
                   heads: Int, dh: Int) -> [Double] {
        let l = layout.length, hd = heads * dh
        var out = [Double](repeating: 0, count: layout.rows * hd)
        let blocked = layout.blocked!.scalars
        for b in 0..<layout.batchSize {
            for r in 0..<layout.itemRows(b) {
                let row = layout.streamRow(r, sample: b), i = layout.position(r, sample: b)
                for n in 0..<heads {
                    var s = [Double](repeating: 0, count: l)
                    for j in 0..<l {
                        var ac = 0.0, bd = 0.0
                        for e in 0..<dh {
                            let qv = Double(q[row * hd + n * dh + e])
                            ac += (qv + Double(rw[n * dh + e])) * Double(k[(b * l + j) * hd + n * dh + e])
                            bd += (qv + Double(rr[n * dh + e])) * Double(kr[(l - i + j) * hd + n * dh + e])
                        }
                        s[j] = blocked[row * l + j] > 0 ? -1e30 : (ac + bd) / Double(dh).squareRoot()
                    }
                    let m = s.max()!
                    let e = s.map { exp($0 - m) }
                    let z = e.reduce(0, +)
                    for j in 0..<l {
                        for c in 0..<dh { out[row * hd + n * dh + c] += e[j] / z * Double(v[(b * l + j) * hd + n * dh + c]) }
                    }
                }
            }
        }
        return out
    }

    func inputs(_ layout: StreamLayout, heads: Int, dh: Int) -> [Tensor] {
        let hd = heads * dh, l = layout.length
        return [FiniteDifferences.uniform([layout.rows, hd], seed: 1), FiniteDifferences.uniform([layout.contentRows, hd], seed: 2),
                FiniteDifferences.uniform([layout.contentRows, hd], seed: 3), FiniteDifferences.uniform([2 * l, hd], seed: 4),
                FiniteDifferences.uniform([heads, dh], seed: 5), FiniteDifferences.uniform([heads, dh], seed: 6)]
    }

    func testForwardMatchesFormula() throws {
        let layout = try layout()
        let (heads, dh) = (2, 3)
        let x = inputs(layout, heads: heads, dh: dh)
        let out = try Tape(recording: false).relativeAttention(
            query: x[0], key: x[1], value: x[2], positionKey: x[3], contentBias: x[4], positionBias: x[5],
            layout: layout, heads: heads, dropout: 0, key: RandomKey(seed: 1))
        let expected = reference(q: x[0].scalars, k: x[1].scalars, v: x[2].scalars, kr: x[3].scalars, rw: x[4].scalars,
                                 rr: x[5].scalars, layout: layout, heads: heads, dh: dh)
        Compare.assertClose(out.scalars, expected.map(Float.init), absolute: 2e-6, "fused attention")
        // The row that sees nothing (query row at position 4 of sample 0) averages all values uniformly.
        let row = layout.streamRow(6, sample: 0), hd = heads * dh
        for c in 0..<hd {
            let mean = (0..<5).map { Double(x[2].scalars[$0 * hd + c]) }.reduce(0, +) / 5
            XCTAssertEqual(Double(out.scalars[row * hd + c]), mean, accuracy: 1e-6)
        }
    }

    func testGradients() throws {
        let layout = try layout()
        let (heads, dh) = (2, 3)
        for p: Float in [0, 0.3] {
            try FiniteDifferences.check(inputs(layout, heads: heads, dh: dh)) { t, x in
                try t.relativeAttention(query: x[0], key: x[1], value: x[2], positionKey: x[3], contentBias: x[4],
                                        positionBias: x[5], layout: layout, heads: heads, dropout: p, key: RandomKey(seed: 9))
            }
        }
    }

    /// Results do not depend on the number of threads (the shared terms are summed in a fixed order).
    func testThreadCountInvariance() throws {
        let layout = try layout()
        let (heads, dh) = (2, 3)
        func run() throws -> [[Float]] {
            let x = inputs(layout, heads: heads, dh: dh).map { $0.requiringGradient() }
            let t = Tape()
            let y = try t.relativeAttention(query: x[0], key: x[1], value: x[2], positionKey: x[3], contentBias: x[4],
                                            positionBias: x[5], layout: layout, heads: heads, dropout: 0.2,
                                            key: RandomKey(seed: 3))
            try t.backward(from: y, seed: FiniteDifferences.uniform(y.shape, seed: 11))
            return [y.scalars] + x.map { $0.gradient!.scalars }
        }
        let saved = Engine.threads
        defer { Engine.setThreads(saved) }
        Engine.setThreads(1)
        let one = try run()
        Engine.setThreads(2)
        XCTAssertEqual(try run(), one)
        Engine.setThreads(3)
        XCTAssertEqual(try run(), one)
    }
}
