// swift-tools-version:6.0
// RegressionTransformer.swift — the Regression Transformer (Born & Manica, 2023) in Swift.
//
// Module graph (one direction only):  rt → RegressionTransformer → { Tensors, Chemistry, Compression }
//
// Build settings, decided once here (see docs/engine.md §8, §9):
// - Every target of ours is compiled for x86-64-v3 (AVX2 + FMA). Without a -march, swiftc targets baseline
//   x86-64 and `SIMD16<Float>.addingProduct` becomes 16 calls to `fmaf`: kernels run ~100× slower.
//   x86-64-v3 rather than v4 because not every developer/CI machine has AVX-512 (a v4 binary dies with SIGILL).
// - Library targets are optimised (-O) even in debug builds, so that `swift test` does not run SIMD kernels
//   ~1,500× slower than release. `@testable import` still works (debug keeps -enable-testing).
// - Release builds use -Ounchecked and no dynamic exclusivity checks for the hot loops.
// - Language mode 5: kernels hand raw pointers to `DispatchQueue.concurrentPerform`; Swift 6's strict
//   Sendable checking would force wrappers around every one of them without making them any safer.
import PackageDescription

#if arch(x86_64)
let march: [String] = ["-Xcc", "-march=x86-64-v3"]
#else
let march: [String] = []
#endif

let optimised: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"] + march, .when(configuration: .release)),
    .unsafeFlags(["-O"] + march, .when(configuration: .debug)),
]

let package = Package(
    name: "RegressionTransformer",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rt", targets: ["rt"]),
        .library(name: "RegressionTransformer", targets: ["RegressionTransformer"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "Chemistry", targets: ["Chemistry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "Tensors", swiftSettings: optimised),
        .target(name: "Chemistry", exclude: ["README.md"], resources: [.copy("Resources")], swiftSettings: optimised),
        .target(name: "Compression", swiftSettings: optimised),
        .target(name: "RegressionTransformer", dependencies: ["Tensors", "Chemistry", "Compression"],
                exclude: ["Inference/README.md"],
                swiftSettings: optimised),
        .executableTarget(
            name: "rt",
            dependencies: [
                "RegressionTransformer", "Tensors", "Chemistry", "Compression",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimised),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"], exclude: ["Fixtures"], swiftSettings: optimised),
        .testTarget(name: "ChemistryTests", dependencies: ["Chemistry", "Compression"], exclude: ["Fixtures"],
                    swiftSettings: optimised),
        .testTarget(name: "CompressionTests", dependencies: ["Compression"], exclude: ["Fixtures"],
                    swiftSettings: optimised),
        .testTarget(name: "RegressionTransformerTests", dependencies: ["RegressionTransformer"],
                    exclude: ["Fixtures"], swiftSettings: optimised),
        .testTarget(name: "rtTests", dependencies: ["rt", "RegressionTransformer"], swiftSettings: optimised),
    ],
    swiftLanguageModes: [.v5]
)
