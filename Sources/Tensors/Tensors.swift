// The Tensors module: CPU tensors, kernels, reverse-mode autodiff, optimizers. Files (safetensors, durable writes)
// are the TensorIO module's: it parses untrusted input, so it is built with Swift's safety checks (Package.swift).
// It knows nothing of chemistry or the RT. See docs/engine.md.
//
// Map of the module (one job per file):
//   Core/        Shape, Tensor (+ creation), TensorStorage, BufferPool (reused, aligned buffers), TensorError
//   Runtime/     Engine (thread count), Parallel (deterministic fork/join helpers)
//   Kernels/     Gemm (the one GEMM entry point), SwiftGemm (our packed GEMM around the CKernels micro-kernels),
//                OpenBLAS (dlopen), SIMDMath (exp, Φ, reductions), Kernels (vector helpers)
//   Autodiff/    Tape (recording, backward, custom ops), GradientSlot
//   Ops/         differentiable ops, one family per file, forward and backward side by side, each with its
//                raw-pointer kernels in `Kernels`
//   Parameters/  ParameterStore (named parameters and gradients in two flat buffers)
//   Optim/       AdamW (torch and HuggingFace variants), LinearWarmupDecay, global-norm clipping
//   Random/      SeededGenerator (xoshiro256**), RandomKey (counter-based, for dropout)
//   Benchmarks/  helpers behind `rt bench gemm` / `rt bench ops`
//
// A training step, end to end:
//
//     let params = try ParameterStore([ParameterSpec("ff.layer_1.weight", [1024, 256]), ...])  // HF names
//     let opt = AdamW(parameters: params, configuration: .init(learningRate: 1e-4, weightDecay: 0,
//                                                               variant: .huggingface))
//     let schedule = LinearWarmupDecay(baseLearningRate: 1e-4, warmupSteps: 100, totalSteps: 10_000)
//     for step in 0..<10_000 {
//         let tape = Tape()                                   // one tape per step
//         let h = try tape.embedding(params.tensor("word_embedding.weight"), ids: ids, shape: [B, L])
//         let a = try tape.linear(h, weight: params.tensor("ff.layer_1.weight"),
//                                 bias: params.tensor("ff.layer_1.bias"), activation: .gelu)
//         ...
//         let loss = try tape.crossEntropy(logits: logits, targets: labels)   // ignore index -100
//         try tape.backward(loss)                             // throws on NaN/Inf loss
//         params.clipGradients(maxNorm: 1)
//         opt.step(learningRate: schedule.learningRate(afterSteps: step))
//         params.zeroGradients()
//     }
//     try params.save(to: url)                                // model.safetensors
//
// Inference: the same forward code on `Tape(recording: false)` (nothing recorded, nothing saved), dropout p = 0.
//
// Custom fused ops (e.g. XLNet's relative attention core) are written like the built-in ones: compute the
// forward with `Kernels`/`Gemm` on raw pointers (parallelise with `Parallel`, wrap per-head GEMMs in
// `Gemm.withSingleThreadedBLAS`), then `tape.record(name, inputs:, output:) { g in ... }` with a backward
// closure that captures the tensors it needs and adds into `g.inputGradient(i)`. See `Tape`.
//
// Conventions: Float32, row-major, contiguous; tensors share storage like PyTorch's (views), `copy()` copies.
// Gradients accumulate. Every reduction has a fixed order: results do not depend on the thread count
// (`Engine.setThreads`, `RT_THREADS`). GEMM backend: OpenBLAS if `libopenblas.so.0` loads, else our own;
// `RT_BLAS=swift|openblas` forces one.
