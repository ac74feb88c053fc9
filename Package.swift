// swift-tools-version:6.0
// RegressionTransformer.swift — the Regression Transformer (Born & Manica, 2023) in Swift.
//
// Module graph (one direction only):  rt → RegressionTransformer → { TensorIO → Tensors → CKernels, Chemistry,
//                                                                  Compression }
//
// Build settings, decided once here (see docs/engine.md, "Build settings"):
// - Every target of ours is compiled for x86-64-v3 (AVX2 + FMA). Without a -march, swiftc targets baseline
//   x86-64 and `SIMD16<Float>.addingProduct` becomes 16 calls to `fmaf`: kernels run ~100× slower.
//   x86-64-v3 rather than v4 because not every developer/CI machine has AVX-512 (a v4 binary dies with SIGILL).
// - Library targets are optimised (-O) even in debug builds, so that `swift test` does not run SIMD kernels
//   ~1,500× slower than release. `@testable import` still works (debug keeps -enable-testing).
// - Release builds keep Swift's safety checks (-O: overflow and out-of-bounds are traps, not memory corruption)
//   in every target that reads what users supply — SMILES, SMARTS, SELFIES, gzip, zip, pickle, safetensors, JSON,
//   CSV: Chemistry, Compression, TensorIO, RegressionTransformer, rt. Only `Tensors` (tensors, kernels, autodiff,
//   optimizers: no parser) is built -Ounchecked without dynamic exclusivity checks. Measured on 2026-12-07 (AMD
//   EPYC, avx512f/bw/vl/bf16/vnni, 2 cores, release builds of the same tree, alternating runs):
//   `RT_BLAS=swift rt bench train --threads 1` 2,141–2,151 tokens/s unchecked vs 1,109–1,119 with -O (×1.93:
//   the Swift GEMM's inner loops, since moved to the C target CKernels — worth re-measuring); `rt bench chem --limit 20000` with -O for Chemistry: parse+sanitize −4 %,
//   canonical −2 %, Morgan −7 %, SA −6 %, QED and logP ±1 % — a price paid for traps on untrusted input.
// - Language mode 5: kernels hand raw pointers to `DispatchQueue.concurrentPerform`; Swift 6's strict
//   Sendable checking would force wrappers around every one of them without making them any safer.
import PackageDescription

#if arch(x86_64)
let march: [String] = ["-Xcc", "-march=x86-64-v3"]
#else
let march: [String] = []
#endif

/// Every target but the kernels: optimised, safety checks kept.
let optimised: [SwiftSetting] = [
    .unsafeFlags(["-O"] + march, .when(configuration: .release)),
    .unsafeFlags(["-O"] + march, .when(configuration: .debug)),
]

/// The C kernels (AVX-512 per function via `target` attributes; the baseline is x86-64-v3 like the rest). Optimised
/// in debug builds too; no FMA contraction, so the rounding is what the source says.
let cKernels: [CSetting] = [
    .unsafeFlags(["-O3", "-ffp-contract=off"] + march.filter { $0 != "-Xcc" }),
]

/// `Tensors` only (no parser of untrusted input lives there): release builds without safety checks.
let kernels: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"] + march, .when(configuration: .release)),
    .unsafeFlags(["-O"] + march, .when(configuration: .debug)),
]

let package = Package(
    name: "RegressionTransformer",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rt", targets: ["rt"]),
        .library(name: "RegressionTransformer", targets: ["RegressionTransformer"]),
        .library(name: "Tensors", targets: ["Tensors", "TensorIO"]),
        .library(name: "Chemistry", targets: ["Chemistry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CKernels", cSettings: cKernels),
        .target(name: "Tensors", dependencies: ["CKernels"], swiftSettings: kernels),
        .target(name: "TensorIO", dependencies: ["Tensors"], swiftSettings: optimised),
        .target(name: "Chemistry", exclude: ["README.md"], resources: [.copy("Resources")], swiftSettings: optimised),
        .target(name: "Compression", swiftSettings: optimised),
        .target(name: "RegressionTransformer", dependencies: ["Tensors", "TensorIO", "Chemistry", "Compression"],
                exclude: ["Inference/README.md"],
                swiftSettings: optimised),
        .executableTarget(
            name: "rt",
            dependencies: [
                "RegressionTransformer", "Tensors", "TensorIO", "Chemistry", "Compression",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimised),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TensorIO"], exclude: ["Fixtures"], swiftSettings: optimised),
        .testTarget(name: "ChemistryTests", dependencies: ["Chemistry", "Compression"], exclude: ["Fixtures"],
                    swiftSettings: optimised),
        .testTarget(name: "CompressionTests", dependencies: ["Compression"], exclude: ["Fixtures"],
                    swiftSettings: optimised),
        .testTarget(name: "RegressionTransformerTests", dependencies: ["RegressionTransformer"],
                    exclude: ["Fixtures"], swiftSettings: optimised),
        .testTarget(name: "rtTests", dependencies: ["rt", "RegressionTransformer"], exclude: ["Fixtures"], swiftSettings: optimised),
    ],
    swiftLanguageModes: [.v5]
)
