// CKernels — the few pieces of the engine that Swift cannot express: instruction sets chosen per function at run
// time (`__attribute__((target(...)))`, so one x86-64-v3 binary uses AVX-512 where the CPU has it), CPUID, and a
// persistent thread pool built on C11 atomics. Everything is plain C on raw pointers; the Swift side
// (Tensors/Runtime/CPU.swift, Parallel.swift, Kernels/SwiftGemm.swift) decides what to call.
#ifndef RT_CKERNELS_H
#define RT_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---------------------------------------------------------------------------------------------------------------
// CPU identification (cpu.c)

/// Feature bits of `rt_cpu_features()`: set only when the CPU reports the instruction set *and* the operating
/// system saves the registers it needs (XCR0), so a set bit means "safe to execute".
enum {
    RT_CPU_AVX2 = 1u << 0,        // AVX2 + FMA (x86-64-v3)
    RT_CPU_AVX512F = 1u << 1,     // AVX-512 Foundation
    RT_CPU_AVX512BW = 1u << 2,    // byte/word
    RT_CPU_AVX512VL = 1u << 3,    // 128/256-bit forms
    RT_CPU_AVX512DQ = 1u << 4,
    RT_CPU_AVX512_BF16 = 1u << 5, // vdpbf16ps, vcvtne2ps2bf16
    RT_CPU_AVX512_VNNI = 1u << 6,
    RT_CPU_AMX_TILE = 1u << 7,    // CPU reports AMX tiles and the OS enables TILECFG/TILEDATA state in XCR0
    RT_CPU_AMX_BF16 = 1u << 8,
    RT_CPU_AVX512_FP16 = 1u << 9,
};

/// The bit set above for the CPU this runs on (0 on non-x86 machines).
uint32_t rt_cpu_features(void);

/// CPUID family, model and stepping (display values, extended fields folded in); -1 each on non-x86.
void rt_cpu_signature(int *family, int *model, int *stepping);

/// The processor brand string (up to 48 characters + NUL) into `out` (at least 49 bytes); "" when unavailable.
void rt_cpu_brand(char *out);

// ---------------------------------------------------------------------------------------------------------------
// Library loading (loader.c)

/// Loads a fresh copy of the shared library `path` in a new namespace (Linux `dlmopen(LM_ID_NEWLM)`), with the
/// environment variable `variable` set to `value` while its constructors run (restored afterwards). Returns the
/// `dlopen`-style handle, or NULL (also on systems without `dlmopen`). Not thread-safe with respect to other
/// threads reading the environment at the same moment.
void *rt_dlopen_fresh(const char *path, const char *variable, const char *value);

// ---------------------------------------------------------------------------------------------------------------
// Thread pool (pool.c)

/// A task: `fn(ctx, part)` for every part of a job.
typedef void (*rt_task_fn)(void *ctx, long part);

/// Runs `fn(ctx, p)` for every `p` in `0..<parts` on up to `threads` threads (the caller is one of them) and
/// returns when all have finished. Workers are created on first use and kept; between jobs they spin for a short
/// while (300 µs, `spin_nanoseconds` in pool.c) and then sleep. Parts are claimed dynamically, so which thread runs a
/// part varies — callers must make every part's output independent of that. Calls made from inside a task, or while
/// another thread's job is running, run inline on the calling thread.
void rt_pool_run(long parts, long threads, rt_task_fn fn, void *ctx);

// ---------------------------------------------------------------------------------------------------------------
// GEMM micro-kernels (sgemm_avx2.c, sgemm_avx512.c). Packed panels as in Tensors/Kernels/SwiftGemm.swift: `a` holds `kc` steps of
// MR floats (one column of the MR-row strip of op(A) per step), `b` holds `kc` steps of NR floats.
// `C[0..<MR, 0..<NR] = alpha · acc + beta · C` computed as fma(alpha, acc, beta·C) — with beta == 0, C is not read
// and the result is alpha · acc. Each element's sum runs over p = 0..<kc in order, one FMA per step, exactly as
// the Swift AVX2 kernel does: both give bit-identical results.

/// 6×16 tile: AVX2 + FMA on x86-64 (the baseline every build assumes), portable C elsewhere.
void rt_sgemm_tile_6x16(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta);

/// The same tile reading A in place: element (r, p) of the 6-row strip is `a[r·row_stride + p·k_stride]`
/// (`lda, 1` for A, `1, lda` for Aᵀ). For products with few columns, where packing A costs more than it saves.
void rt_sgemm_tile_6x16_direct(long kc, const float *a, long row_stride, long k_stride, const float *b, float *c,
                               long ldc, float alpha, float beta);

enum { RT_AVX512_MR = 12, RT_AVX512_NR = 32 };

/// 12×32 tile with AVX-512F. Only call when `rt_cpu_features() & RT_CPU_AVX512F`.
void rt_sgemm_tile_12x32_avx512(long kc, const float *a, const float *b, float *c, long ldc, float alpha,
                                float beta);

/// The 12×32 tile reading A in place (strides as for `rt_sgemm_tile_6x16_direct`).
void rt_sgemm_tile_12x32_avx512_direct(long kc, const float *a, long row_stride, long k_stride, const float *b,
                                       float *c, long ldc, float alpha, float beta);

// ---------------------------------------------------------------------------------------------------------------
// bfloat16 GEMM pieces (sgemm_bf16.c): float32 operands rounded to bfloat16 while packing, float32 accumulation.

enum { RT_BF16_MR = 12, RT_BF16_NR = 32 };

/// float32 → bfloat16, round to nearest even (NaN stays NaN, quiet).
uint16_t rt_bf16_from_float(float x);
/// bfloat16 → float32 (exact).
float rt_float_from_bf16(uint16_t h);

/// Packs a `rows × kc` block (element (r, p) at `src[r·row_stride + p·k_stride]`) into pair panels of `width`
/// rows: for each pair of steps q, `width` × 2 bfloat16 — (r, 2q), (r, 2q+1) — with rows past `rows` and a last odd
/// step padded with zeros. Used for A strips (width 12) and, with rows ↔ columns, for B panels (width 32).
void rt_bf16_pack(const float *src, long row_stride, long k_stride, long rows, long kc, long width, uint16_t *out);

/// `C[0..<12, 0..<32] = fma(alpha, acc, beta · C)` (beta == 0: alpha · acc, C not read), acc = the pairwise
/// bfloat16 dot products of the packed panels over `kc` steps. Only where AVX512-BF16 is present.
void rt_bf16_tile_12x32(long kc, const uint16_t *a, const uint16_t *b, float *c, long ldc, float alpha, float beta);

/// What one accumulator lane of `vdpbf16ps` computes, in scalar code: for each pair q, acc += x₁·y₁ then acc += x₀·y₀
/// (float32, round to nearest even, denormals flushed). For the tests' bit-exact reference.
float rt_bf16_reference_dot(long kc, const uint16_t *x, long x_stride, const uint16_t *y, long y_stride, float acc);

// ---------------------------------------------------------------------------------------------------------------
// Peak probes (peak.c): `iterations` rounds of independent multiply-adds with no memory traffic, for the
// "fraction of peak" figures of `rt bench gemm` and `rt doctor`. Each returns the floating-point operations done
// (2 per multiply-add); time it from the caller. Call only where the feature bit is set.

double rt_peak_fma_avx2(long iterations);
double rt_peak_fma_avx512(long iterations);
double rt_peak_dpbf16_avx512(long iterations);

#ifdef __cplusplus
}
#endif
#endif
