// CPU identification: CPUID leaves 1, 7 and 0x80000002–4, and XGETBV for what the OS has enabled.
#include "CKernels.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t xcr0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

uint32_t rt_cpu_features(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return 0;
    const uint64_t x = xcr0();
    const int ymm = (x & 0x6) == 0x6;           // SSE + AVX state
    const int zmm = ymm && (x & 0xE0) == 0xE0;  // opmask, ZMM_Hi256, Hi16_ZMM
    const int tiles = (x & 0x60000) == 0x60000; // TILECFG + TILEDATA
    if (__get_cpuid_max(0, 0) < 7) return 0;
    unsigned a7, b7, c7, d7, a71 = 0, b71, c71, d71;
    __cpuid_count(7, 0, a7, b7, c7, d7);
    if (a7 >= 1) __cpuid_count(7, 1, a71, b71, c71, d71);
    uint32_t f = 0;
    if (ymm && fma && ((b7 >> 5) & 1)) f |= RT_CPU_AVX2;
    if (zmm && ((b7 >> 16) & 1)) {
        f |= RT_CPU_AVX512F;
        if ((b7 >> 30) & 1) f |= RT_CPU_AVX512BW;
        if ((b7 >> 31) & 1) f |= RT_CPU_AVX512VL;
        if ((b7 >> 17) & 1) f |= RT_CPU_AVX512DQ;
        if ((c7 >> 11) & 1) f |= RT_CPU_AVX512_VNNI;
        if ((a71 >> 5) & 1) f |= RT_CPU_AVX512_BF16;
        if ((d7 >> 23) & 1) f |= RT_CPU_AVX512_FP16;
    }
    if (tiles && ((d7 >> 24) & 1)) {
        f |= RT_CPU_AMX_TILE;
        if ((d7 >> 22) & 1) f |= RT_CPU_AMX_BF16;
    }
    return f;
}

void rt_cpu_signature(int *family, int *model, int *stepping) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) { *family = *model = *stepping = -1; return; }
    int fam = (a >> 8) & 0xF, mod = (a >> 4) & 0xF;
    if (fam == 0xF) fam += (a >> 20) & 0xFF;
    if (fam == 0x6 || fam >= 0xF) mod += ((a >> 16) & 0xF) << 4;
    *family = fam;
    *model = mod;
    *stepping = a & 0xF;
}

void rt_cpu_brand(char *out) {
    unsigned r[12];
    out[0] = 0;
    if (__get_cpuid_max(0x80000000, 0) < 0x80000004) return;
    for (unsigned i = 0; i < 3; i++) __get_cpuid(0x80000002 + i, &r[4 * i], &r[4 * i + 1], &r[4 * i + 2], &r[4 * i + 3]);
    memcpy(out, r, 48);
    out[48] = 0;
}

#else
uint32_t rt_cpu_features(void) { return 0; }
void rt_cpu_signature(int *family, int *model, int *stepping) { *family = *model = *stepping = -1; }
void rt_cpu_brand(char *out) { out[0] = 0; }
#endif
