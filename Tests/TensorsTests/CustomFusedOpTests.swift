import XCTest
@testable import Tensors

/// A worked example of a fused op defined outside the engine, the way the RegressionTransformer module defines
/// its relative-attention core: multi-head scaled dot-product attention on token-major `[B·L, H·d]` tensors.
///
/// Forward, per (batch b, head h) in one parallel region with single-threaded GEMMs:
///   S = scale · Q_bh K_bhᵀ (+ additive mask)   [L, L]   — GEMM on column slices, lda = H·d, no copies
///   P = softmax(S)                                     — saved for backward
///   O_bh = P V_bh                                      — written into its column slice of O
/// Backward, per (b, h):  dP = dO_bh V_bhᵀ;  dV_bh += Pᵀ dO_bh;  dS = P ⊙ (dP − rowsum(dP ⊙ P));
///   dQ_bh += scale · dS K_bh;  dK_bh += scale · dSᵀ Q_bh.
extension Tape {
    func exampleAttention(q: Tensor, k: Tensor, v: Tensor, batch: Int, heads: Int, mask: Tensor? = nil) throws -> Tensor {
        let rows = q.shape[0], width = q.shape[1]
        guard rows % batch == 0, width % heads == 0, k.shape == q.shape, v.shape == q.shape else {
            throw TensorError.shapeMismatch(op: "exampleAttention", shapes: [q.shape, k.shape, v.shape], detail: "bad layout")
        }
        let len = rows / batch, d = width / heads
        let scale = 1 / Float(d).squareRoot()
        let probs = Tensor(uninitialized: [batch, heads, len, len])
        let out = Tensor(uninitialized: q.shape)
        let qp = q.unsafePointer, kp = k.unsafePointer, vp = v.unsafePointer
        let pp = probs.unsafePointer, op = out.unsafePointer, mp = mask?.unsafePointer
        // Offset of head h of batch item b in a [B·L, H·d] tensor.
        let slice = { (b: Int, h: Int) in b * len * width + h * d }
        Gemm.withSingleThreadedBLAS {
            Parallel.forEach(batch * heads) { item in
                let (b, h) = (item / heads, item % heads)
                let s = pp + item * len * len
                Gemm.sgemm(transB: true, m: len, n: len, k: d, alpha: scale, a: qp + slice(b, h), lda: width,
                           b: kp + slice(b, h), ldb: width, c: s, ldc: len)
                for i in 0..<len {
                    if let mp { Kernels.add(mp + i * len, into: s + i * len, count: len) }
                    Kernels.softmaxRow(s + i * len, count: len, into: s + i * len)
                }
                Gemm.sgemm(m: len, n: d, k: len, a: s, lda: len, b: vp + slice(b, h), ldb: width,
                           c: op + slice(b, h), ldc: width)
            }
        }
        return record("exampleAttention", inputs: [q, k, v], output: out) { g in
            guard let dout = g.outputGradient() else { return }
            let dq = g.inputGradient(0), dk = g.inputGradient(1), dv = g.inputGradient(2)
            let qp = q.unsafePointer, kp = k.unsafePointer, vp = v.unsafePointer, pp = probs.unsafePointer
            let dop = dout.unsafePointer
            let dqp = dq?.unsafePointer, dkp = dk?.unsafePointer, dvp = dv?.unsafePointer
            Gemm.withSingleThreadedBLAS {
                Parallel.forEach(batch * heads) { item in
                    let (b, h) = (item / heads, item % heads)
                    let p = pp + item * len * len, o = slice(b, h)
                    if let dvp {  // dV += Pᵀ dO
                        Gemm.sgemm(transA: true, m: len, n: d, k: len, a: p, lda: len, b: dop + o, ldb: width,
                                   beta: 1, c: dvp + o, ldc: width)
                    }
                    guard dqp != nil || dkp != nil else { return }
                    BufferPool.shared.withScratch(len * len) { ds in
                        // dP = dO Vᵀ, then dS = P ⊙ (dP − rowsum(dP ⊙ P)) in place.
                        Gemm.sgemm(transB: true, m: len, n: len, k: d, a: dop + o, lda: width, b: vp + o, ldb: width,
                                   c: ds, ldc: len)
                        for i in 0..<len {
                            Kernels.softmaxBackwardRow(y: p + i * len, dy: ds + i * len, count: len, into: ds + i * len,
                                                       accumulate: false)
                        }
                        if let dqp {  // dQ += scale · dS K
                            Gemm.sgemm(m: len, n: d, k: len, alpha: scale, a: ds, lda: len, b: kp + o, ldb: width,
                                       beta: 1, c: dqp + o, ldc: width)
                        }
                        if let dkp {  // dK += scale · dSᵀ Q
                            Gemm.sgemm(transA: true, m: len, n: d, k: len, alpha: scale, a: ds, lda: len, b: qp + o,
                                       ldb: width, beta: 1, c: dkp + o, ldc: width)
                        }
                    }
                }
            }
        }
    }
}

final class CustomFusedOpTests: XCTestCase {
    /// The same attention composed from built-in ops (permute to heads, batched matmul, softmax).
    func composed(_ t: Tape, _ q: Tensor, _ k: Tensor, _ v: Tensor, batch: Int, heads: Int) throws -> Tensor {
        let len = q.shape[0] / batch, d = q.shape[1] / heads
        func split(_ x: Tensor) throws -> Tensor { try t.permute(t.reshape(x, [batch, len, heads, d]), [0, 2, 1, 3]) }
        let s = t.scale(try t.matmul(split(q), split(k), transposeB: true), 1 / Float(d).squareRoot())
        let o = try t.matmul(t.softmax(s), split(v))
        return try t.reshape(t.permute(o, [0, 2, 1, 3]), [batch * len, heads * d])
    }

    func testMatchesComposedOps() throws {
        let (batch, heads, len, d) = (2, 3, 5, 4)
        let q = TestData.uniform([batch * len, heads * d], seed: 1), k = TestData.uniform([batch * len, heads * d], seed: 2)
        let v = TestData.uniform([batch * len, heads * d], seed: 3)
        let t = Tape(recording: false)
        let fused = try t.exampleAttention(q: q, k: k, v: v, batch: batch, heads: heads)
        let reference = try composed(t, q, k, v, batch: batch, heads: heads)
        XCTAssertLessThan(TestData.maxAbsDifference(fused.scalars, reference.scalars.map(Double.init)), 1e-6)
    }

    func testGradients() throws {
        let (batch, heads, len, d) = (2, 2, 7, 3)
        let inputs = (1...3).map { TestData.uniform([batch * len, heads * d], seed: UInt64($0)) }
        try GradientCheck.check(inputs) { t, x in try t.exampleAttention(q: x[0], k: x[1], v: x[2], batch: batch, heads: heads) }
        // With an additive mask (−1e30 hides keys; the mask is not differentiated).
        var m = [Float](repeating: 0, count: len * len)
        for i in 0..<len { for j in 0..<len where (i + 2 * j) % 3 == 0 && i != j { m[i * len + j] = -1e30 } }
        let mask = try Tensor(m, shape: [len, len])
        try GradientCheck.check(inputs) { t, x in
            try t.exampleAttention(q: x[0], k: x[1], v: x[2], batch: batch, heads: heads, mask: mask)
        }
    }
}
