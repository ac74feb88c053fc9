// The Tensors module: CPU tensors, kernels, reverse-mode autodiff, optimizers, safetensors.
// It knows nothing of chemistry or the RT. See ../shared/spec/engine.md.
//
// Map of the module (one job per file):
//   Core/        Shape, Tensor (+ creation), TensorStorage, BufferPool (reused, aligned buffers), TensorError
//   Runtime/     Engine (thread count), Parallel (deterministic fork/join helpers)
//   Kernels/     Gemm (the one GEMM entry point), SwiftGemm + GemmMicroKernel (our packed SIMD GEMM),
//                OpenBLAS (dlopen), SIMDMath (exp, Φ, reductions), Kernels (vector helpers)
//   Autodiff/    Tape (recording, backward, custom ops), GradientSlot
//   Ops/         differentiable ops, one family per file, forward and backward side by side, each with its
//                raw-pointer kernels in `Kernels`
//   Random/      SeededGenerator (xoshiro256**), RandomKey (counter-based, for dropout)
//   Benchmarks/  helpers behind `rt bench gemm` / `rt bench ops`
