// Peak probes: independent multiply-add chains with no memory traffic (enough chains to cover the FMA latency
// on every core we know: 4 cycles × 2 ports × margin). The result is kept alive through a volatile sink.
#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

static volatile float sink;

// 16 chains fill half of AVX-512's 32 registers; AVX2 has only 16 ymm registers, so 12 chains + 2 constants.
#define CHAINS 16
#define CHAINS_AVX2 12

__attribute__((target("avx2,fma"))) double rt_peak_fma_avx2(long iterations) {
    __m256 acc[CHAINS_AVX2];
    for (int i = 0; i < CHAINS_AVX2; i++) acc[i] = _mm256_set1_ps(0.001f * (float)i);
    const __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
    for (long n = 0; n < iterations; n++) {
#pragma clang loop unroll(full)
        for (int i = 0; i < CHAINS_AVX2; i++) acc[i] = _mm256_fmadd_ps(acc[i], x, y);
    }
    __m256 s = acc[0];
    for (int i = 1; i < CHAINS_AVX2; i++) s = _mm256_add_ps(s, acc[i]);
    sink = _mm256_cvtss_f32(s);
    return (double)iterations * CHAINS_AVX2 * 8 * 2;
}

__attribute__((target("avx512f"))) double rt_peak_fma_avx512(long iterations) {
    __m512 acc[CHAINS];
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps(0.001f * (float)i);
    const __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
    for (long n = 0; n < iterations; n++) {
#pragma clang loop unroll(full)
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], x, y);
    }
    __m512 s = acc[0];
    for (int i = 1; i < CHAINS; i++) s = _mm512_add_ps(s, acc[i]);
    sink = _mm512_reduce_add_ps(s);
    return (double)iterations * CHAINS * 16 * 2;
}

__attribute__((target("avx512f,avx512bf16"))) double rt_peak_dpbf16_avx512(long iterations) {
    __m512 acc[CHAINS];
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps(0.001f * (float)i);
    const __m512bh x = (__m512bh)_mm512_set1_epi16(0x3F80), y = (__m512bh)_mm512_set1_epi16(0x3380);
    for (long n = 0; n < iterations; n++) {
#pragma clang loop unroll(full)
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_dpbf16_ps(acc[i], x, y);
    }
    __m512 s = acc[0];
    for (int i = 1; i < CHAINS; i++) s = _mm512_add_ps(s, acc[i]);
    sink = _mm512_reduce_add_ps(s);
    return (double)iterations * CHAINS * 32 * 2;  // 32 bf16 pairs per instruction
}

#else
double rt_peak_fma_avx2(long iterations) { (void)iterations; return 0; }
double rt_peak_fma_avx512(long iterations) { (void)iterations; return 0; }
double rt_peak_dpbf16_avx512(long iterations) { (void)iterations; return 0; }
#endif
