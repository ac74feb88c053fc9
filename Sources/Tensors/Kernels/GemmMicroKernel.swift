/// The register-blocked heart of the Swift GEMM: a 6×16 tile of C from packed panels.
///
/// AVX2 has 16 ymm registers. The tile is held in 12 `SIMD8<Float>` accumulators (6 rows × 2 vectors), plus
/// 2 registers for the current row of the B panel and 1 for the broadcast A element — 15 in all, so nothing
/// spills (a 6×32 `SIMD16` tile needs 24 and runs at ~0.6 of OpenBLAS under x86-64-v3, docs/engine.md §4.2).
/// Per step of k: 2 loads of B, 6 broadcasts of A, 12 FMAs.
enum GemmMicroKernel {
    static let mr = 6
    static let nr = 16

    typealias V = SIMD8<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always) static func store(_ p: UnsafeMutablePointer<Float>, _ v: V) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// `C[0..<6, 0..<16] = alpha · Σ_p A[p, 0..<6]ᵀ B[p, 0..<16] + beta · C` for packed `a` (`kc × 6`, one
    /// 6-float column of op(A) per step) and `b` (`kc × 16`). With `beta == 0`, C is not read.
    @inline(__always)
    static func tile(_ kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                     _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ alpha: Float, _ beta: Float) {
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
        var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
        var ap = a, bp = b
        var p = 0
        while p < kc {
            let b0 = load(bp), b1 = load(bp + 8)
            var s = V(repeating: ap[0])
            c00 = c00.addingProduct(s, b0); c01 = c01.addingProduct(s, b1)
            s = V(repeating: ap[1])
            c10 = c10.addingProduct(s, b0); c11 = c11.addingProduct(s, b1)
            s = V(repeating: ap[2])
            c20 = c20.addingProduct(s, b0); c21 = c21.addingProduct(s, b1)
            s = V(repeating: ap[3])
            c30 = c30.addingProduct(s, b0); c31 = c31.addingProduct(s, b1)
            s = V(repeating: ap[4])
            c40 = c40.addingProduct(s, b0); c41 = c41.addingProduct(s, b1)
            s = V(repeating: ap[5])
            c50 = c50.addingProduct(s, b0); c51 = c51.addingProduct(s, b1)
            ap += mr
            bp += nr
            p += 1
        }
        let va = V(repeating: alpha)
        if beta == 0 {
            @inline(__always) func put(_ r: Int, _ x0: V, _ x1: V) {
                let row = c + r * ldc
                store(row, va * x0)
                store(row + 8, va * x1)
            }
            put(0, c00, c01); put(1, c10, c11); put(2, c20, c21)
            put(3, c30, c31); put(4, c40, c41); put(5, c50, c51)
        } else {
            let vb = V(repeating: beta)
            @inline(__always) func put(_ r: Int, _ x0: V, _ x1: V) {
                let row = c + r * ldc
                store(row, (vb * load(row)).addingProduct(va, x0))
                store(row + 8, (vb * load(row + 8)).addingProduct(va, x1))
            }
            put(0, c00, c01); put(1, c10, c11); put(2, c20, c21)
            put(3, c30, c31); put(4, c40, c41); put(5, c50, c51)
        }
    }

    /// The same tile reading A in place instead of from a packed panel: element (r, p) of the 6-row strip is
    /// `a[r·rowStride + p·kStride]` (`rowStride = lda, kStride = 1` for A, `1, lda` for Aᵀ). Used when op(B) has
    /// at most two 16-wide panels, where packing A would cost more than the product itself.
    @inline(__always)
    static func tileDirectA(_ kc: Int, _ a: UnsafePointer<Float>, rowStride rs: Int, kStride ks: Int,
                            _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                            _ alpha: Float, _ beta: Float) {
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
        var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
        let a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs, a4 = a + 4 * rs, a5 = a + 5 * rs
        var bp = b
        var off = 0
        for _ in 0..<kc {
            let b0 = load(bp), b1 = load(bp + 8)
            var s = V(repeating: a0[off])
            c00 = c00.addingProduct(s, b0); c01 = c01.addingProduct(s, b1)
            s = V(repeating: a1[off])
            c10 = c10.addingProduct(s, b0); c11 = c11.addingProduct(s, b1)
            s = V(repeating: a2[off])
            c20 = c20.addingProduct(s, b0); c21 = c21.addingProduct(s, b1)
            s = V(repeating: a3[off])
            c30 = c30.addingProduct(s, b0); c31 = c31.addingProduct(s, b1)
            s = V(repeating: a4[off])
            c40 = c40.addingProduct(s, b0); c41 = c41.addingProduct(s, b1)
            s = V(repeating: a5[off])
            c50 = c50.addingProduct(s, b0); c51 = c51.addingProduct(s, b1)
            off += ks
            bp += nr
        }
        let va = V(repeating: alpha)
        @inline(__always) func put(_ r: Int, _ x0: V, _ x1: V) {
            let row = c + r * ldc
            if beta == 0 {
                store(row, va * x0)
                store(row + 8, va * x1)
            } else {
                let vb = V(repeating: beta)
                store(row, (vb * load(row)).addingProduct(va, x0))
                store(row + 8, (vb * load(row + 8)).addingProduct(va, x1))
            }
        }
        put(0, c00, c01); put(1, c10, c11); put(2, c20, c21)
        put(3, c30, c31); put(4, c40, c41); put(5, c50, c51)
    }

    /// A partial tile (`rows ≤ 6`, `cols ≤ 16`): computed in full into a scratch tile from the zero-padded
    /// panels, then only the valid part is merged into C.
    @inline(never)
    static func edgeTile(_ kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                         _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ alpha: Float, _ beta: Float,
                         rows: Int, cols: Int) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: mr * nr) { buf in
            let t = buf.baseAddress!
            tile(kc, a, b, t, nr, alpha, 0)
            for r in 0..<rows {
                let crow = c + r * ldc, trow = t + r * nr
                if beta == 0 {
                    for j in 0..<cols { crow[j] = trow[j] }
                } else {
                    for j in 0..<cols { crow[j] = beta * crow[j] + trow[j] }
                }
            }
        }
    }
}
