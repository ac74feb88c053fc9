import CKernels

/// Our own SGEMM (the `swift` backend): Goto/BLIS blocking in Swift around the register-blocked micro-kernels of
/// `CKernels` — 6×16 tiles with AVX2 + FMA (the baseline), 12×32 tiles with AVX-512 where the CPU has it
/// (`CPU.level`).
///
/// `C = alpha · op(A) · op(B) + beta · C`, row-major, op(X) = X or Xᵀ. Loops, outermost first:
/// column blocks of `nc` → depth blocks of `kc` (pack `op(B)[pc..<pc+kc, jc..<jc+nc]` into zero-padded `nr`-wide
/// panels, shared by all threads) → work units (row block of `mc` × one panel, split into contiguous runs over the
/// threads; when A is packed, each thread packs its `mc × kc` slice of op(A) into zero-padded `mr`-row panels when
/// the row block changes) → `mr`-row strips → micro-kernel. Transposes are absorbed by packing and strides.
///
/// A is read in place by the micro-kernels (`…_direct`), except transposed A with a long stride, which is packed
/// (see `directTransposedStride`). When op(B) has at most 32 columns (e.g. attention's P·V per head), the 6×16
/// kernel serves every level.
///
/// Every element of C is the same chain of fused multiply-adds over p = 0, 1, … within each depth block (whose
/// bounds depend on k only), followed by fma(alpha, sum, beta · C) — whatever the thread count, the tile size or
/// the instruction set. Results are therefore bit-identical on 1 or N threads and at every kernel level.
enum SwiftGemm {
    /// Depth of a packed block. Deep blocks win: measured on Zen 4 (1 thread, CPU clock) the K = 1024 shapes
    /// ran at 87 GFLOP/s with kc = 256 (C re-read 4 times), 94 with 512 and 104 with 1024, while the other
    /// shapes did not change. The same for every level: the depth blocks fix the rounding.
    static let kc = 1024
    /// Rows of op(A) packed at once (`mc × kc` ≤ 576 KiB, in the core's L2); a multiple of both tile heights.
    static let mcMax = 144
    /// Floats of op(B) packed at once (`kc × nc` ≤ 8 MiB, shared by the threads in L3).
    static let packedBLimit = 1 << 21
    /// Products with at most this many columns read A in place with the 6×16 kernel.
    static let directAColumns = 32
    /// Transposed A is packed when consecutive steps of k are further apart than this (floats): each step would
    /// touch a new page and the TLB, not the caches, would bound the kernel.
    static let directTransposedStride = 4096

    /// A micro-kernel's tile.
    struct Tile {
        let mr: Int, nr: Int
        let wide: Bool  // the 12×32 AVX-512 kernel (else the 6×16 one)

        static let baseline = Tile(mr: 6, nr: 16, wide: false)
        static let avx512 = Tile(mr: Int(RT_AVX512_MR), nr: Int(RT_AVX512_NR), wide: true)

        static func `for`(_ level: CPU.KernelLevel) -> Tile { level == .avx512 ? .avx512 : .baseline }

        /// `C[0..<mr, 0..<nr] = fma(alpha, Σ_p a[p]·b[p], beta · C)` from packed panels.
        @inline(__always)
        func run(_ kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                 _ ldc: Int, _ alpha: Float, _ beta: Float) {
            if wide { rt_sgemm_tile_12x32_avx512(kc, a, b, c, ldc, alpha, beta) } else {
                rt_sgemm_tile_6x16(kc, a, b, c, ldc, alpha, beta)
            }
        }

        /// The same tile reading A in place: element (r, p) of the strip at `a[r·rowStride + p·kStride]`.
        @inline(__always)
        func runDirect(_ kc: Int, _ a: UnsafePointer<Float>, rowStride: Int, kStride: Int, _ b: UnsafePointer<Float>,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ alpha: Float, _ beta: Float) {
            if wide {
                rt_sgemm_tile_12x32_avx512_direct(kc, a, rowStride, kStride, b, c, ldc, alpha, beta)
            } else {
                rt_sgemm_tile_6x16_direct(kc, a, rowStride, kStride, b, c, ldc, alpha, beta)
            }
        }

        /// A partial tile (`rows ≤ mr`, `cols ≤ nr`) from zero-padded panels: the full tile's sums go to a scratch
        /// tile, then only the valid part is merged into C with the same rounding as a full tile.
        func runEdge(_ kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                     _ ldc: Int, _ alpha: Float, _ beta: Float, rows: Int, cols: Int) {
            withUnsafeTemporaryAllocation(of: Float.self, capacity: mr * nr) { buf in
                let t = buf.baseAddress!
                run(kc, a, b, t, nr, 1, 0)
                SwiftGemm.merge(t, ldt: nr, into: c, ldc: ldc, rows: rows, cols: cols, alpha: alpha, beta: beta)
            }
        }
    }

    /// `C = alpha · T` (beta = 0, C not read) or `fma(alpha, T, beta · C)` on a `rows × cols` block — the
    /// epilogue of the micro-kernels, for partial tiles.
    @inline(__always)
    static func merge(_ t: UnsafePointer<Float>, ldt: Int, into c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int,
                      cols: Int, alpha: Float, beta: Float) {
        for r in 0..<rows {
            let crow = c + r * ldc, trow = t + r * ldt
            if beta == 0 {
                for j in 0..<cols { crow[j] = alpha * trow[j] }
            } else {
                for j in 0..<cols { crow[j] = (beta * crow[j]).addingProduct(alpha, trow[j]) }
            }
        }
    }

    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int,
                      level: CPU.KernelLevel = CPU.level) {
        if m <= 0 || n <= 0 { return }
        if k <= 0 || alpha == 0 {
            scale(c, ldc: ldc, m: m, n: n, beta: beta)
            return
        }
        // A is read in place unless it is transposed with a long stride between steps of k. Measured on Zen 4
        // (2026-12-07, same build, alternating runs): reading in place was as fast or faster on every transformer
        // shape — 2048x256x256 NN 113 vs 104 GFLOP/s, 4096x256x1024 NT 103 vs 95 — because a row block of A
        // (≤ 144 rows × kc) sits in L2 either way and the micro-kernel broadcasts each element once per panel
        // whether it comes from a packed panel or from A; packing cost up to half the time of the small-k
        // attention products.
        let directA = n <= directAColumns || !transA || lda <= directTransposedStride
        let tile = n <= directAColumns ? Tile.baseline : Tile.for(level)
        let mr = tile.mr, nr = tile.nr
        // Below ~0.5 M multiply-adds a fork/join costs more than it saves.
        let useThreads = m * n * k < (1 << 19) ? 1 : max(1, threads)

        let kcBlock = min(kc, k)
        let ncMax = max(nr, packedBLimit / kcBlock / nr * nr)
        let ncBlock = min(ncMax, (n + nr - 1) / nr * nr)
        let (mc, mBlocks) = rowBlocks(m: m, mr: mr, threads: useThreads)

        BufferPool.shared.withScratch(ncBlock * kcBlock) { bPacked in
            BufferPool.shared.withScratch(useThreads * mc * kcBlock) { aPackedAll in
                nonisolated(unsafe) let bp = bPacked, apAll = aPackedAll
                forEachBlock(n: n, k: k, ncBlock: ncBlock, kcBlock: kcBlock, nr: nr) { jc, ncur, panels, pc, kcur in
                    let betaHere: Float = pc == 0 ? beta : 1
                    // Pack op(B) block.
                    Parallel.forRanges(panels, grain: 2, threads: useThreads) { r in
                        for panel in r {
                            packB(transB: transB, b: b, ldb: ldb, row0: pc, col0: jc + panel * nr, kc: kcur,
                                  cols: min(nr, ncur - panel * nr), nr: nr, into: bp + panel * nr * kcur)
                        }
                    }
                    // Compute: units = (row block, panel), row-block-major, contiguous runs per thread,
                    // split so that each thread gets the same number of C elements.
                    let units = mBlocks * panels
                    let parts = min(useThreads, units)
                    let bounds = balancedSplit(units: units, parts: parts) { u in
                        min(mc, m - (u / panels) * mc) * min(nr, ncur - (u % panels) * nr)
                    }
                    Parallel.run(parts: parts, threads: parts) { part in
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
                                      mr: mr, into: ap)
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
                                        if rows == mr && cols == nr {
                                            let aStrip = transA ? a + pc * lda + i : a + i * lda + pc
                                            tile.runDirect(kcur, aStrip, rowStride: transA ? 1 : lda,
                                                           kStride: transA ? lda : 1, bPanel, cTile, ldc, alpha,
                                                           betaHere)
                                        } else {
                                            // Pack just this strip (zero-padded) for the edge kernel.
                                            packA(transA: transA, a: a, lda: lda, row0: i, col0: pc, rows: rows,
                                                  kc: kcur, mr: mr, into: ap)
                                            tile.runEdge(kcur, ap, bPanel, cTile, ldc, alpha, betaHere,
                                                         rows: rows, cols: cols)
                                        }
                                    } else if rows == mr && cols == nr {
                                        tile.run(kcur, ap + ir * kcur, bPanel, cTile, ldc, alpha, betaHere)
                                    } else {
                                        tile.runEdge(kcur, ap + ir * kcur, bPanel, cTile, ldc, alpha, betaHere,
                                                     rows: rows, cols: cols)
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

    /// Calls `body(jc, ncur, panels, pc, kcur)` for every (column block, depth block) of an `n`-column, depth-`k`
    /// product: column blocks of `ncBlock` outermost, depth blocks of `kcBlock` inside; `panels` is the number of
    /// `nr`-wide panels of the column block.
    @inline(__always)
    static func forEachBlock(n: Int, k: Int, ncBlock: Int, kcBlock: Int, nr: Int,
                             _ body: (_ jc: Int, _ ncur: Int, _ panels: Int, _ pc: Int, _ kcur: Int) -> Void) {
        var jc = 0
        while jc < n {
            let ncur = min(ncBlock, n - jc)
            var pc = 0
            while pc < k {
                let kcur = min(kcBlock, k - pc)
                body(jc, ncur, (ncur + nr - 1) / nr, pc, kcur)
                pc += kcur
            }
            jc += ncur
        }
    }

    /// Row blocks of `m` rows: as few as fit `mcMax`, a multiple of the thread count when there are enough rows,
    /// sizes balanced and a multiple of the tile height `mr`. Returns the block height and the number of blocks.
    static func rowBlocks(m: Int, mr: Int, threads: Int) -> (mc: Int, count: Int) {
        var blocks = (m + mcMax - 1) / mcMax
        if threads > 1, m >= threads * 4 * mr { blocks = (blocks + threads - 1) / threads * threads }
        let mc = ((m + blocks - 1) / blocks + mr - 1) / mr * mr
        return (mc, (m + mc - 1) / mc)
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

    /// Packs `op(A)[row0 ..< row0+rows, col0 ..< col0+kc]` into `mr`-row panels: panel `q` holds, for each
    /// `p < kc`, the `mr` values `op(A)[row0 + mr·q + r, col0 + p]` (r = 0..<mr) contiguously; rows past `rows`
    /// are zero. (Dispatches to a copy specialised for each tile height, so the inner loops have constant trip
    /// counts: a generic `mr` made small products ~10 % slower.)
    @inline(__always)
    static func packA(transA: Bool, a: UnsafePointer<Float>, lda: Int, row0: Int, col0: Int, rows: Int, kc: Int,
                      mr: Int, into out: UnsafeMutablePointer<Float>) {
        if mr == 6 {
            packA(6, transA: transA, a: a, lda: lda, row0: row0, col0: col0, rows: rows, kc: kc, into: out)
        } else {
            packA(12, transA: transA, a: a, lda: lda, row0: row0, col0: col0, rows: rows, kc: kc, into: out)
        }
    }

    @inline(__always)
    private static func packA(_ mr: Int, transA: Bool, a: UnsafePointer<Float>, lda: Int, row0: Int, col0: Int,
                              rows: Int, kc: Int, into out: UnsafeMutablePointer<Float>) {
        var q = 0
        while q < rows {
            let dst = out + q * kc
            let valid = min(mr, rows - q)
            if transA {
                // op(A)[i, p] = A[p, i]: the mr values of one p are contiguous.
                let src = a + col0 * lda + row0 + q
                if valid == mr {
                    for p in 0..<kc {
                        let s = src + p * lda, d = dst + p * mr
                        for r in 0..<mr { d[r] = s[r] }
                    }
                } else {
                    for p in 0..<kc {
                        let s = src + p * lda, d = dst + p * mr
                        for r in 0..<mr { d[r] = r < valid ? s[r] : 0 }
                    }
                }
            } else {
                // op(A)[i, p] = A[i, p]: rows are contiguous; interleave mr of them.
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

    /// Packs `op(B)[row0 ..< row0+kc, col0 ..< col0+cols]` (cols ≤ nr) into one panel: for each `p < kc`,
    /// `nr` contiguous values, zero past `cols`.
    @inline(__always)
    static func packB(transB: Bool, b: UnsafePointer<Float>, ldb: Int, row0: Int, col0: Int, kc: Int, cols: Int,
                      nr: Int, into out: UnsafeMutablePointer<Float>) {
        if !transB {
            let src = b + row0 * ldb + col0
            if cols == nr {
                // Full panel: one or two 16-float vectors per step.
                for p in 0..<kc {
                    let s = src + p * ldb, d = out + p * nr
                    SIMDMath.store(SIMDMath.load(s), d)
                    if nr == 32 { SIMDMath.store(SIMDMath.load(s + 16), d + 16) }
                }
            } else {
                for p in 0..<kc {
                    let s = src + p * ldb, d = out + p * nr
                    for j in 0..<nr { d[j] = j < cols ? s[j] : 0 }
                }
            }
        } else {
            // op(B)[p, j] = B[j, p]: each of the nr columns is a contiguous run of B.
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
