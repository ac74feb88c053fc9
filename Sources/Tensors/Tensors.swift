// The Tensors module: CPU tensors, kernels, reverse-mode autodiff, optimizers, safetensors.
// It knows nothing of chemistry or the RT. See ../shared/spec/engine.md.
