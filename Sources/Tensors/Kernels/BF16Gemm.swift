import CKernels

/// `C = alpha · op(A) · op(B) + beta · C` with float32 operands rounded to bfloat16 (round to nearest even) and
/// float32 accumulation — the `--precision bf16` product. Same blocking as `SwiftGemm` (depth blocks of `kc`,
/// `nr`-wide panels of op(B) shared by the threads, row blocks of `mc`), but both operands are always packed,
/// because packing is where they are rounded and paired along k for `vdpbf16ps` (`CKernels/sgemm_bf16.c`).
///
/// Every element of C is the same sequence of pairwise dot steps over each depth block, then
/// `fma(alpha, sum, beta · C)`, whatever the thread count: results are bit-identical on 1 or N threads. They differ
/// from the float32 product by the bfloat16 rounding of the operands (relative error of each product ≤ 2⁻⁸).
enum BF16Gemm {
    static let mr = Int(RT_BF16_MR), nr = Int(RT_BF16_NR)
    static let kc = 1024
    static let packedBLimit = 1 << 21

    /// Whether this CPU can run the bfloat16 kernel (AVX512-BF16).
    static var isSupported: Bool { CPU.features.isSuperset(of: [.avx512f, .avx512bf16]) }

    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        if m <= 0 || n <= 0 { return }
        if k <= 0 || alpha == 0 {
            SwiftGemm.scale(c, ldc: ldc, m: m, n: n, beta: beta)
            return
        }
        let useThreads = m * n * k < (1 << 19) ? 1 : max(1, threads)
        let kcBlock = min(kc, k)
        let pairWords = (kcBlock + 1) / 2  // one 32-bit word per row and pair of k
        let ncMax = max(nr, packedBLimit / pairWords / nr * nr)
        let ncBlock = min(ncMax, (n + nr - 1) / nr * nr)
        let (mc, mBlocks) = SwiftGemm.rowBlocks(m: m, mr: mr, threads: useThreads)
        // op(A)[i, p] and op(B)[p, j] as (row, k) strides for rt_bf16_pack (B's "rows" are its columns).
        let aRow = transA ? 1 : lda, aK = transA ? lda : 1
        let bRow = transB ? ldb : 1, bK = transB ? 1 : ldb

        BufferPool.shared.withScratch(ncBlock * pairWords) { bScratch in
            BufferPool.shared.withScratch(useThreads * mc * pairWords) { aScratch in
                let bp = UnsafeMutableRawPointer(bScratch).assumingMemoryBound(to: UInt16.self)
                let apAll = UnsafeMutableRawPointer(aScratch).assumingMemoryBound(to: UInt16.self)
                nonisolated(unsafe) let bpShared = bp, apShared = apAll
                SwiftGemm.forEachBlock(n: n, k: k, ncBlock: ncBlock, kcBlock: kcBlock, nr: nr) { jc, ncur, panels, pc, kcur in
                    let words = (kcur + 1) / 2
                    let betaHere: Float = pc == 0 ? beta : 1
                    Parallel.forRanges(panels, grain: 2, threads: useThreads) { r in
                        for panel in r {
                            let j0 = jc + panel * nr
                            rt_bf16_pack(b + j0 * bRow + pc * bK, bRow, bK, min(nr, ncur - panel * nr), kcur, nr,
                                         bpShared + panel * nr * 2 * words)
                        }
                    }
                    let units = mBlocks * panels
                    let parts = min(useThreads, units)
                    let bounds = SwiftGemm.balancedSplit(units: units, parts: parts) { u in
                        min(mc, m - (u / panels) * mc) * min(nr, ncur - (u % panels) * nr)
                    }
                    Parallel.run(parts: parts, threads: parts) { part in
                        let ap = apShared + part * mc * 2 * words
                        var packedBlock = -1
                        var u = bounds[part]
                        let u1 = bounds[part + 1]
                        while u < u1 {
                            let block = u / panels
                            let i0 = block * mc
                            let mcur = min(mc, m - i0)
                            if block != packedBlock {
                                var ir = 0
                                while ir < mcur {
                                    rt_bf16_pack(a + (i0 + ir) * aRow + pc * aK, aRow, aK, min(mr, mcur - ir), kcur,
                                                 mr, ap + ir * 2 * words)
                                    ir += mr
                                }
                                packedBlock = block
                            }
                            let firstPanel = u - block * panels
                            let lastPanel = min(panels, firstPanel + (u1 - u))
                            for panel in firstPanel..<lastPanel {
                                let cols = min(nr, ncur - panel * nr)
                                let bPanel = bpShared + panel * nr * 2 * words
                                var ir = 0
                                while ir < mcur {
                                    let rows = min(mr, mcur - ir)
                                    let cTile = c + (i0 + ir) * ldc + jc + panel * nr
                                    let aStrip = ap + ir * 2 * words
                                    if rows == mr && cols == nr {
                                        rt_bf16_tile_12x32(kcur, aStrip, bPanel, cTile, ldc, alpha, betaHere)
                                    } else {
                                        withUnsafeTemporaryAllocation(of: Float.self, capacity: mr * nr) { t in
                                            rt_bf16_tile_12x32(kcur, aStrip, bPanel, t.baseAddress!, nr, 1, 0)
                                            SwiftGemm.merge(t.baseAddress!, ldt: nr, into: cTile, ldc: ldc,
                                                            rows: rows, cols: cols, alpha: alpha, beta: betaHere)
                                        }
                                    }
                                    ir += mr
                                }
                            }
                            u += lastPanel - firstPanel
                        }
                    }
                }
            }
        }
    }
}
