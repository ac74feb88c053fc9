// The epilogue shared by the AVX-512 micro-kernels (float32 and bfloat16): one row of a 32-wide tile.
// Include after <immintrin.h>, inside a function with `c`, `ldc`, `beta`, `va` (alpha) and `vb` (beta) in scope.
#ifndef RT_TILE_STORE_AVX512_H
#define RT_TILE_STORE_AVX512_H

// Row r of C = alpha · acc (beta == 0: C not read) or fma(alpha, acc, beta · C).
#define ROW_STORE(x0, x1, r)                                                                          \
    {                                                                                                 \
        float *row = c + (r) * ldc;                                                                   \
        if (beta == 0) {                                                                              \
            _mm512_storeu_ps(row, _mm512_mul_ps(va, x0));                                             \
            _mm512_storeu_ps(row + 16, _mm512_mul_ps(va, x1));                                        \
        } else {                                                                                      \
            _mm512_storeu_ps(row, _mm512_fmadd_ps(va, x0, _mm512_mul_ps(vb, _mm512_loadu_ps(row))));  \
            _mm512_storeu_ps(row + 16,                                                                \
                             _mm512_fmadd_ps(va, x1, _mm512_mul_ps(vb, _mm512_loadu_ps(row + 16)))); \
        }                                                                                             \
    }

#endif
