// bfloat16 GEMM with float32 accumulation (AVX512-BF16): packing that rounds float32 to bfloat16 (round to nearest
// even, NaN kept quiet), and a 12×32 micro-kernel on `vdpbf16ps`.
//
// Layout. `vdpbf16ps` multiplies pairs: lane j of the accumulator gains x[2j]·y[2j] and x[2j+1]·y[2j+1]. So both
// panels hold *pairs of consecutive k*: the A panel is, per pair step q, 12 rows × 2 bfloat16 (one 32-bit word per
// row, broadcast into all lanes), and the B panel is, per pair step, 32 columns × 2 bfloat16 (two zmm). An odd k is
// padded with a zero. The products of two bfloat16 are exact in float32; per instruction the hardware adds the odd
// product and then the even one to the accumulator, each rounded to nearest even, with denormal inputs and results
// flushed to zero (Intel SDM, VDPBF16PS). `rt_bf16_reference_dot` does the same in scalar code for the tests.
#include "CKernels.h"

#include <string.h>

uint16_t rt_bf16_from_float(float x) {
    uint32_t bits;
    memcpy(&bits, &x, 4);
    if ((bits & 0x7F800000u) == 0x7F800000u && (bits & 0x007FFFFFu)) return (uint16_t)((bits >> 16) | 0x0040u);
    bits += 0x7FFFu + ((bits >> 16) & 1u);
    return (uint16_t)(bits >> 16);
}

float rt_float_from_bf16(uint16_t h) {
    const uint32_t bits = (uint32_t)h << 16;
    float x;
    memcpy(&x, &bits, 4);
    return x;
}

static void pack_scalar(const float *src, long row_stride, long k_stride, long rows, long kc, long width,
                        uint16_t *out) {
    const long pairs = (kc + 1) / 2;
    for (long q = 0; q < pairs; q++) {
        uint16_t *d = out + q * width * 2;
        const long p0 = 2 * q, p1 = 2 * q + 1;
        for (long r = 0; r < width; r++) {
            if (r < rows) {
                const float *s = src + r * row_stride;
                d[2 * r] = rt_bf16_from_float(s[p0 * k_stride]);
                d[2 * r + 1] = p1 < kc ? rt_bf16_from_float(s[p1 * k_stride]) : 0;
            } else {
                d[2 * r] = 0;
                d[2 * r + 1] = 0;
            }
        }
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

#define RT_BF16_PACK __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

// Rows of the block are contiguous in k (k_stride == 1): each row's floats become pair words directly (16 floats →
// 8 words), stored with a stride of `width` words.
RT_BF16_PACK static void pack_rows_contiguous(const float *src, long row_stride, long rows, long kc, long width,
                                              uint16_t *out) {
    uint32_t *words = (uint32_t *)out;
    const long pairs = (kc + 1) / 2;
    for (long r = 0; r < width; r++) {
        if (r >= rows) {
            for (long q = 0; q < pairs; q++) words[q * width + r] = 0;
            continue;
        }
        const float *s = src + r * row_stride;
        long p = 0;
        for (; p + 16 <= kc; p += 16) {
            uint32_t w[8];
            _mm256_storeu_si256((__m256i *)w, (__m256i)_mm512_cvtneps_pbh(_mm512_loadu_ps(s + p)));
            for (int i = 0; i < 8; i++) words[(p / 2 + i) * width + r] = w[i];
        }
        for (; p < kc; p += 2) {
            const uint32_t lo = rt_bf16_from_float(s[p]), hi = p + 1 < kc ? rt_bf16_from_float(s[p + 1]) : 0;
            words[(p / 2) * width + r] = lo | (hi << 16);
        }
    }
}

// Consecutive rows of the block are contiguous (row_stride == 1): steps 2q and 2q+1 are two float runs of `rows`
// values, interleaved 16 at a time with one vpermt2w.
RT_BF16_PACK static void pack_steps_contiguous(const float *src, long k_stride, long rows, long kc, long width,
                                               uint16_t *out) {
    const __m512i interleave = _mm512_set_epi16(47, 15, 46, 14, 45, 13, 44, 12, 43, 11, 42, 10, 41, 9, 40, 8,
                                                39, 7, 38, 6, 37, 5, 36, 4, 35, 3, 34, 2, 33, 1, 32, 0);
    const long pairs = (kc + 1) / 2;
    for (long q = 0; q < pairs; q++) {
        const float *s0 = src + 2 * q * k_stride, *s1 = s0 + k_stride;
        const int odd_exists = 2 * q + 1 < kc;
        uint16_t *d = out + q * width * 2;
        for (long r = 0; r < width; r += 16) {
            const long n = rows - r < 16 ? (rows - r > 0 ? rows - r : 0) : 16;
            const __mmask16 m = (__mmask16)((1u << n) - 1u);
            const __m256i lo = (__m256i)_mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(m, s0 + r));
            const __m256i hi = odd_exists ? (__m256i)_mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(m, s1 + r))
                                          : _mm256_setzero_si256();
            const __m512i both = _mm512_permutex2var_epi16(_mm512_castsi256_si512(lo), interleave,
                                                           _mm512_castsi256_si512(hi));
            const long valid = width - r < 16 ? width - r : 16;  // pad rows inside the panel are zeros already
            _mm512_mask_storeu_epi16(d + 2 * r, (__mmask32)(valid == 16 ? 0xFFFFFFFFu : ((1u << (2 * valid)) - 1u)), both);
        }
    }
}

static int has_fast_pack(void) {
    static int cached = -1;
    if (cached < 0) {
        const uint32_t need = RT_CPU_AVX512F | RT_CPU_AVX512BW | RT_CPU_AVX512VL | RT_CPU_AVX512_BF16;
        cached = (rt_cpu_features() & need) == need;
    }
    return cached;
}
#endif

void rt_bf16_pack(const float *src, long row_stride, long k_stride, long rows, long kc, long width, uint16_t *out) {
#if defined(__x86_64__)
    if (has_fast_pack()) {
        if (k_stride == 1) { pack_rows_contiguous(src, row_stride, rows, kc, width, out); return; }
        if (row_stride == 1) { pack_steps_contiguous(src, k_stride, rows, kc, width, out); return; }
    }
#endif
    pack_scalar(src, row_stride, k_stride, rows, kc, width, out);
}

static float flush_denormal(float x) {
    uint32_t bits;
    memcpy(&bits, &x, 4);
    if ((bits & 0x7F800000u) == 0) bits &= 0x80000000u;
    memcpy(&x, &bits, 4);
    return x;
}

float rt_bf16_reference_dot(long kc, const uint16_t *x, long x_stride, const uint16_t *y, long y_stride, float acc) {
    // x and y hold pairs; pair q of x at x + q·x_stride (2 values), of y at y + q·y_stride.
    const long pairs = (kc + 1) / 2;
    for (long q = 0; q < pairs; q++) {
        const uint16_t *xp = x + q * x_stride, *yp = y + q * y_stride;
        const float odd = flush_denormal(rt_float_from_bf16(xp[1])) * flush_denormal(rt_float_from_bf16(yp[1]));
        const float even = flush_denormal(rt_float_from_bf16(xp[0])) * flush_denormal(rt_float_from_bf16(yp[0]));
        acc = flush_denormal(flush_denormal(acc) + odd);
        acc = flush_denormal(acc + even);
    }
    return acc;
}

#if defined(__x86_64__)

#define RT_BF16 __attribute__((target("avx512f,avx512bf16")))

#define PAIR_STEP(x0, x1, r)                                                              \
    {                                                                                     \
        int32_t word;                                                                     \
        memcpy(&word, a + 2 * (r), 4);                                                    \
        const __m512bh s = (__m512bh)_mm512_set1_epi32(word);                             \
        x0 = _mm512_dpbf16_ps(x0, s, b0);                                                 \
        x1 = _mm512_dpbf16_ps(x1, s, b1);                                                 \
    }

#include "tile_store_avx512.h"

RT_BF16
void rt_bf16_tile_12x32(long kc, const uint16_t *a, const uint16_t *b, float *c, long ldc, float alpha, float beta) {
    __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    __m512 c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    __m512 c80 = c00, c81 = c00, c90 = c00, c91 = c00, cA0 = c00, cA1 = c00, cB0 = c00, cB1 = c00;
    const long pairs = (kc + 1) / 2;
    for (long q = 0; q < pairs; q++) {
        const __m512bh b0 = (__m512bh)_mm512_loadu_si512(b), b1 = (__m512bh)_mm512_loadu_si512(b + 32);
        PAIR_STEP(c00, c01, 0) PAIR_STEP(c10, c11, 1) PAIR_STEP(c20, c21, 2) PAIR_STEP(c30, c31, 3)
        PAIR_STEP(c40, c41, 4) PAIR_STEP(c50, c51, 5) PAIR_STEP(c60, c61, 6) PAIR_STEP(c70, c71, 7)
        PAIR_STEP(c80, c81, 8) PAIR_STEP(c90, c91, 9) PAIR_STEP(cA0, cA1, 10) PAIR_STEP(cB0, cB1, 11)
        a += 2 * RT_BF16_MR;
        b += 2 * RT_BF16_NR;
    }
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    ROW_STORE(c00, c01, 0) ROW_STORE(c10, c11, 1) ROW_STORE(c20, c21, 2) ROW_STORE(c30, c31, 3)
    ROW_STORE(c40, c41, 4) ROW_STORE(c50, c51, 5) ROW_STORE(c60, c61, 6) ROW_STORE(c70, c71, 7)
    ROW_STORE(c80, c81, 8) ROW_STORE(c90, c91, 9) ROW_STORE(cA0, cA1, 10) ROW_STORE(cB0, cB1, 11)
}

#else
void rt_bf16_tile_12x32(long kc, const uint16_t *a, const uint16_t *b, float *c, long ldc, float alpha, float beta) {
    (void)kc; (void)a; (void)b; (void)c; (void)ldc; (void)alpha; (void)beta;  // never called off x86
}
#endif
