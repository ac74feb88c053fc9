// The AVX-512 GEMM micro-kernel: a 12×32 tile of C from packed panels (see CKernels.h for the contract).
//
// AVX-512 has 32 zmm registers: 24 accumulators (12 rows × 2 vectors of 16) + 2 for the current row of the B panel;
// each A element is broadcast straight from memory into its FMA (`vfmadd231ps zmm, zmm, [mem]{1to16}`), so no
// register holds it. Per step of k: 2 loads of B, 12 broadcasts, 24 FMAs — twice the work per load of the 6×16 AVX2
// kernel. Rounding matches the Swift kernel exactly: one FMA per step in the order p = 0, 1, …, then
// fma(alpha, acc, beta · C).
#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define RT_AVX512 __attribute__((target("avx512f,avx512vl,fma")))

// One step of k for row r of the tile, accumulators x0 (columns 0..<16) and x1 (16..<32).
#define ROW_STEP(x0, x1, r)                                 \
    {                                                       \
        const __m512 s = _mm512_set1_ps(a[r]);              \
        x0 = _mm512_fmadd_ps(s, b0, x0);                    \
        x1 = _mm512_fmadd_ps(s, b1, x1);                    \
    }

#include "tile_store_avx512.h"

// The 12×32 tile, A element (r, p) at a[r·rs + p·ks]: packed panels are rs = 1, ks = 12.
#define TILE_12x32(rs, ks)                                                                                       \
    __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00; \
    __m512 c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;                 \
    __m512 c80 = c00, c81 = c00, c90 = c00, c91 = c00, cA0 = c00, cA1 = c00, cB0 = c00, cB1 = c00;                 \
    for (long p = 0; p < kc; p++) {                                                                              \
        const __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);                                      \
        ROW_STEP(c00, c01, 0 * (rs)) ROW_STEP(c10, c11, 1 * (rs)) ROW_STEP(c20, c21, 2 * (rs))                   \
        ROW_STEP(c30, c31, 3 * (rs)) ROW_STEP(c40, c41, 4 * (rs)) ROW_STEP(c50, c51, 5 * (rs))                   \
        ROW_STEP(c60, c61, 6 * (rs)) ROW_STEP(c70, c71, 7 * (rs)) ROW_STEP(c80, c81, 8 * (rs))                   \
        ROW_STEP(c90, c91, 9 * (rs)) ROW_STEP(cA0, cA1, 10 * (rs)) ROW_STEP(cB0, cB1, 11 * (rs))                 \
        a += (ks);                                                                                               \
        b += RT_AVX512_NR;                                                                                       \
    }                                                                                                            \
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);                                          \
    ROW_STORE(c00, c01, 0) ROW_STORE(c10, c11, 1) ROW_STORE(c20, c21, 2) ROW_STORE(c30, c31, 3)                  \
    ROW_STORE(c40, c41, 4) ROW_STORE(c50, c51, 5) ROW_STORE(c60, c61, 6) ROW_STORE(c70, c71, 7)                  \
    ROW_STORE(c80, c81, 8) ROW_STORE(c90, c91, 9) ROW_STORE(cA0, cA1, 10) ROW_STORE(cB0, cB1, 11)

RT_AVX512
void rt_sgemm_tile_12x32_avx512(long kc, const float *a, const float *b, float *c, long ldc, float alpha,
                                float beta) {
    TILE_12x32(1, RT_AVX512_MR)
}

RT_AVX512
void rt_sgemm_tile_12x32_avx512_direct(long kc, const float *a, long row_stride, long k_stride, const float *b,
                                       float *c, long ldc, float alpha, float beta) {
    TILE_12x32(row_stride, k_stride)
}

#else
void rt_sgemm_tile_12x32_avx512(long kc, const float *a, const float *b, float *c, long ldc, float alpha,
                                float beta) {
    (void)kc; (void)a; (void)b; (void)c; (void)ldc; (void)alpha; (void)beta;  // never called off x86
}

void rt_sgemm_tile_12x32_avx512_direct(long kc, const float *a, long row_stride, long k_stride, const float *b,
                                       float *c, long ldc, float alpha, float beta) {
    (void)kc; (void)a; (void)row_stride; (void)k_stride; (void)b; (void)c; (void)ldc; (void)alpha; (void)beta;
}
#endif
