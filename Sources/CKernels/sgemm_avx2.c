// The baseline GEMM micro-kernels: 6×16 tiles of C from packed panels (see CKernels.h for the contract), with
// AVX2 + FMA on x86-64 and in portable C elsewhere (same arithmetic: one fused multiply-add per step, in order).
//
// AVX2 has 16 ymm registers: 12 accumulators (6 rows × 2 vectors of 8) + 2 for the current row of the B panel + 1
// broadcast A element = 15, so nothing spills. Per step of k: 2 loads of B, 6 broadcasts, 12 FMAs.
#include "CKernels.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define RT_AVX2 __attribute__((target("avx2,fma")))

// One step of k for row r (A element `x`), accumulators x0 (columns 0..<8) and x1 (8..<16).
#define ROW_STEP(x0, x1, x)                                  \
    {                                                        \
        const __m256 s = _mm256_set1_ps(x);                  \
        x0 = _mm256_fmadd_ps(s, b0, x0);                     \
        x1 = _mm256_fmadd_ps(s, b1, x1);                     \
    }

// Row r of C = alpha · acc (beta == 0: C not read) or fma(alpha, acc, beta · C).
#define ROW_STORE(x0, x1, r)                                                                         \
    {                                                                                                \
        float *row = c + (r) * ldc;                                                                  \
        if (beta == 0) {                                                                             \
            _mm256_storeu_ps(row, _mm256_mul_ps(va, x0));                                            \
            _mm256_storeu_ps(row + 8, _mm256_mul_ps(va, x1));                                        \
        } else {                                                                                     \
            _mm256_storeu_ps(row, _mm256_fmadd_ps(va, x0, _mm256_mul_ps(vb, _mm256_loadu_ps(row)))); \
            _mm256_storeu_ps(row + 8,                                                                \
                             _mm256_fmadd_ps(va, x1, _mm256_mul_ps(vb, _mm256_loadu_ps(row + 8)))); \
        }                                                                                            \
    }

#define TILE_6x16(A0, A1, A2, A3, A4, A5, ADVANCE_A)                                                    \
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;          \
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;                            \
    for (long p = 0; p < kc; p++) {                                                                    \
        const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);                              \
        ROW_STEP(c00, c01, A0) ROW_STEP(c10, c11, A1) ROW_STEP(c20, c21, A2)                           \
        ROW_STEP(c30, c31, A3) ROW_STEP(c40, c41, A4) ROW_STEP(c50, c51, A5)                           \
        ADVANCE_A;                                                                                     \
        b += 16;                                                                                       \
    }                                                                                                  \
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);                                \
    ROW_STORE(c00, c01, 0) ROW_STORE(c10, c11, 1) ROW_STORE(c20, c21, 2)                              \
    ROW_STORE(c30, c31, 3) ROW_STORE(c40, c41, 4) ROW_STORE(c50, c51, 5)

RT_AVX2
void rt_sgemm_tile_6x16(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta) {
    TILE_6x16(a[0], a[1], a[2], a[3], a[4], a[5], a += 6)
}

RT_AVX2
void rt_sgemm_tile_6x16_direct(long kc, const float *a, long row_stride, long k_stride, const float *b, float *c,
                               long ldc, float alpha, float beta) {
    const float *a0 = a, *a1 = a + row_stride, *a2 = a + 2 * row_stride, *a3 = a + 3 * row_stride;
    const float *a4 = a + 4 * row_stride, *a5 = a + 5 * row_stride;
    long off = 0;
    TILE_6x16(a0[off], a1[off], a2[off], a3[off], a4[off], a5[off], off += k_stride)
}

#else

// Portable C: the same sums (one fmaf per step, in order) on any machine.
static void tile_generic(long kc, const float *a, long row_stride, long k_stride, const float *b, float *c, long ldc,
                         float alpha, float beta) {
    float acc[6][16] = {{0}};
    for (long p = 0; p < kc; p++) {
        for (int r = 0; r < 6; r++) {
            const float x = a[r * row_stride + p * k_stride];
            for (int j = 0; j < 16; j++) acc[r][j] = fmaf(x, b[p * 16 + j], acc[r][j]);
        }
    }
    for (int r = 0; r < 6; r++) {
        float *row = c + r * ldc;
        for (int j = 0; j < 16; j++) row[j] = beta == 0 ? alpha * acc[r][j] : fmaf(alpha, acc[r][j], beta * row[j]);
    }
}

void rt_sgemm_tile_6x16(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta) {
    tile_generic(kc, a, 1, 6, b, c, ldc, alpha, beta);
}

void rt_sgemm_tile_6x16_direct(long kc, const float *a, long row_stride, long k_stride, const float *b, float *c,
                               long ldc, float alpha, float beta) {
    tile_generic(kc, a, row_stride, k_stride, b, c, ldc, alpha, beta);
}
#endif
