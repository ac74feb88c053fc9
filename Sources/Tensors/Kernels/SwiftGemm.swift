import Dispatch

/// Our own SGEMM, used when OpenBLAS is absent (or `RT_BLAS=swift`): Goto/BLIS blocking around
/// `GemmMicroKernel`.
///
/// `C = alpha · op(A) · op(B) + beta · C`, row-major, op(X) = X or Xᵀ. Loops, outermost first:
/// column blocks of `nc` → depth blocks of `kc` (pack `op(B)[pc..<pc+kc, jc..<jc+nc]` into zero-padded
/// 16-wide panels, shared by all threads) → work units (row block of `mc` × one 16-wide panel, split into
/// contiguous runs over the threads; each thread packs its `mc × kc` slice of op(A) into zero-padded 6-row
/// panels when the row block changes) → 6-row panels → micro-kernel. Transposes are absorbed by the packing.
///
/// When op(B) has at most 32 columns (e.g. attention's P·V per head), A is not packed: the micro-kernel reads it
/// in place (`GemmMicroKernel.tileDirectA`).
///
/// Every element of C is computed by one thread with the same order of additions whatever the thread count,
/// so results are bit-identical for 1 or N threads.
enum SwiftGemm {
    static let mr = GemmMicroKernel.mr, nr = GemmMicroKernel.nr
    /// Depth of a packed block. Deep blocks win: measured on Zen 4 (1 thread, CPU clock) the K = 1024 shapes
    /// ran at 87 GFLOP/s with kc = 256 (C re-read 4 times), 94 with 512 and 104 with 1024, while the other
    /// shapes did not change; the `kc × 16` B panel (64 KiB) then streams from L2 instead of sitting in L1.
    static let kc = 1024
    /// Rows of op(A) packed at once (`mc × kc` ≤ 576 KiB, in the core's L2).
    static let mcMax = 144
    /// Floats of op(B) packed at once (`kc × nc` ≤ 8 MiB, shared by the threads in L3).
    static let packedBLimit = 1 << 21

    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        if m <= 0 || n <= 0 { return }
        if k <= 0 || alpha == 0 {
            scale(c, ldc: ldc, m: m, n: n, beta: beta)
            return
        }
        // Below ~0.5 M multiply-adds a fork/join costs more than it saves.
        let useThreads = m * n * k < (1 << 19) ? 1 : max(1, threads)

        let kcBlock = min(kc, k)
        let ncMax = max(nr, packedBLimit / kcBlock / nr * nr)
        let ncBlock = min(ncMax, (n + nr - 1) / nr * nr)
        // With at most two column panels, A is read in place: packing it would cost more than the product.
        let directA = n <= 2 * nr
        // Row blocks: as few as fit mcMax, at least one per thread when there are enough rows, sizes balanced.
        var mBlocks = (m + mcMax - 1) / mcMax
        if useThreads > 1, m >= useThreads * 4 * mr { mBlocks = (mBlocks + useThreads - 1) / useThreads * useThreads }
        let mc = ((m + mBlocks - 1) / mBlocks + mr - 1) / mr * mr
        mBlocks = (m + mc - 1) / mc

        BufferPool.shared.withScratch(ncBlock * kcBlock) { bPacked in
            BufferPool.shared.withScratch(useThreads * mc * kcBlock) { aPackedAll in
                nonisolated(unsafe) let bp = bPacked, apAll = aPackedAll
                var jc = 0
                while jc < n {
                    let ncur = min(ncBlock, n - jc)
                    let panels = (ncur + nr - 1) / nr
                    var pc = 0
                    while pc < k {
                        let kcur = min(kcBlock, k - pc)
                        let betaHere: Float = pc == 0 ? beta : 1
                        // Pack op(B) block.
                        Parallel.forRanges(panels, grain: 8, threads: useThreads) { r in
                            for panel in r {
                                packB(transB: transB, b: b, ldb: ldb, row0: pc, col0: jc + panel * nr,
                                      kc: kcur, cols: min(nr, ncur - panel * nr), into: bp + panel * nr * kcur)
                            }
                        }
                        // Compute: units = (row block, panel), row-block-major, contiguous runs per thread,
                        // split so that each thread gets the same number of C elements.
                        let units = mBlocks * panels
                        let parts = min(useThreads, units)
                        let bounds = balancedSplit(units: units, parts: parts) { u in
                            min(mc, m - (u / panels) * mc) * min(nr, ncur - (u % panels) * nr)
                        }
                        let work: (Int) -> Void = { part in
                            let u0 = bounds[part], u1 = bounds[part + 1]
                            let ap = apAll + part * mc * kcur
                            var packedBlock = -1
                            var u = u0
                            while u < u1 {
                                let block = u / panels
                                let i0 = block * mc
                                let mcur = min(mc, m - i0)
                                if block != packedBlock && !directA {
                                    packA(transA: transA, a: a, lda: lda, row0: i0, col0: pc, rows: mcur, kc: kcur,
                                          into: ap)
                                    packedBlock = block
                                }
                                let firstPanel = u - block * panels
                                let lastPanel = min(panels, firstPanel + (u1 - u))
                                for panel in firstPanel..<lastPanel {
                                    let cols = min(nr, ncur - panel * nr)
                                    let bPanel = bp + panel * nr * kcur
                                    var ir = 0
                                    while ir < mcur {
                                        let rows = min(mr, mcur - ir)
                                        let cTile = c + (i0 + ir) * ldc + jc + panel * nr
                                        if directA {
                                            let i = i0 + ir
                                            let aStrip = transA ? a + pc * lda + i : a + i * lda + pc
                                            if rows == mr && cols == nr {
                                                GemmMicroKernel.tileDirectA(kcur, aStrip, rowStride: transA ? 1 : lda,
                                                                            kStride: transA ? lda : 1, bPanel, cTile, ldc,
                                                                            alpha, betaHere)
                                            } else {
                                                // Pack just this strip (zero-padded) for the edge kernel.
                                                packA(transA: transA, a: a, lda: lda, row0: i, col0: pc, rows: rows,
                                                      kc: kcur, into: ap)
                                                GemmMicroKernel.edgeTile(kcur, ap, bPanel, cTile, ldc, alpha, betaHere,
                                                                         rows: rows, cols: cols)
                                            }
                                        } else if rows == mr && cols == nr {
                                            GemmMicroKernel.tile(kcur, ap + ir * kcur, bPanel, cTile, ldc, alpha, betaHere)
                                        } else {
                                            GemmMicroKernel.edgeTile(kcur, ap + ir * kcur, bPanel, cTile, ldc, alpha,
                                                                     betaHere, rows: rows, cols: cols)
                                        }
                                        ir += mr
                                    }
                                }
                                u += lastPanel - firstPanel
                            }
                        }
                        if parts == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: work) }
                        pc += kcur
                    }
                    jc += ncur
                }
            }
        }
    }

    /// Boundaries `b[0] = 0 ≤ b[1] ≤ … ≤ b[parts] = units` cutting `0..<units` into contiguous runs of about
    /// equal total `cost`.
    static func balancedSplit(units: Int, parts: Int, cost: (Int) -> Int) -> [Int] {
        if parts <= 1 { return [0, units] }
        var prefix = [Int](repeating: 0, count: units + 1)
        for u in 0..<units { prefix[u + 1] = prefix[u] + cost(u) }
        var bounds = [0]
        var u = 0
        for part in 1..<parts {
            let target = prefix[units] * part / parts
            while u < units && prefix[u + 1] <= target { u += 1 }
            bounds.append(u)
        }
        bounds.append(units)
        return bounds
    }

    /// `C = beta · C` (used when k = 0 or alpha = 0; beta = 0 writes zeros without reading C).
    static func scale(_ c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, beta: Float) {
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 { row.update(repeating: 0, count: n) } else if beta != 1 { for j in 0..<n { row[j] *= beta } }
        }
    }

    /// Packs `op(A)[row0 ..< row0+rows, col0 ..< col0+kc]` into 6-row panels: panel `q` holds, for each
    /// `p < kc`, the 6 values `op(A)[row0 + 6q + r, col0 + p]` (r = 0..<6) contiguously; rows past `rows`
    /// are zero.
    @inline(__always)
    static func packA(transA: Bool, a: UnsafePointer<Float>, lda: Int, row0: Int, col0: Int, rows: Int, kc: Int,
                      into out: UnsafeMutablePointer<Float>) {
        var q = 0
        while q < rows {
            let dst = out + q * kc
            let valid = min(mr, rows - q)
            if transA {
                // op(A)[i, p] = A[p, i]: the 6 values of one p are contiguous.
                let src = a + col0 * lda + row0 + q
                if valid == mr {
                    for p in 0..<kc {
                        let s = src + p * lda, d = dst + p * mr
                        d[0] = s[0]; d[1] = s[1]; d[2] = s[2]; d[3] = s[3]; d[4] = s[4]; d[5] = s[5]
                    }
                } else {
                    for p in 0..<kc {
                        let s = src + p * lda, d = dst + p * mr
                        for r in 0..<mr { d[r] = r < valid ? s[r] : 0 }
                    }
                }
            } else {
                // op(A)[i, p] = A[i, p]: rows are contiguous; interleave 6 of them.
                for r in 0..<mr {
                    if r < valid {
                        let s = a + (row0 + q + r) * lda + col0
                        for p in 0..<kc { dst[p * mr + r] = s[p] }
                    } else {
                        for p in 0..<kc { dst[p * mr + r] = 0 }
                    }
                }
            }
            q += mr
        }
    }

    /// Packs `op(B)[row0 ..< row0+kc, col0 ..< col0+cols]` (cols ≤ 16) into one panel: for each `p < kc`,
    /// 16 contiguous values, zero past `cols`.
    @inline(__always)
    static func packB(transB: Bool, b: UnsafePointer<Float>, ldb: Int, row0: Int, col0: Int, kc: Int, cols: Int,
                      into out: UnsafeMutablePointer<Float>) {
        if !transB {
            let src = b + row0 * ldb + col0
            if cols == nr {
                for p in 0..<kc {
                    let s = src + p * ldb, d = out + p * nr
                    GemmMicroKernel.store(d, GemmMicroKernel.load(s))
                    GemmMicroKernel.store(d + 8, GemmMicroKernel.load(s + 8))
                }
            } else {
                for p in 0..<kc {
                    let s = src + p * ldb, d = out + p * nr
                    for j in 0..<nr { d[j] = j < cols ? s[j] : 0 }
                }
            }
        } else {
            // op(B)[p, j] = B[j, p]: each of the 16 columns is a contiguous run of B.
            for j in 0..<nr {
                if j < cols {
                    let s = b + (col0 + j) * ldb + row0
                    for p in 0..<kc { out[p * nr + j] = s[p] }
                } else {
                    for p in 0..<kc { out[p * nr + j] = 0 }
                }
            }
        }
    }
}
