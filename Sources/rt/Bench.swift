import ArgumentParser

/// `rt bench …` — performance measurements. Benchmarks live here, never in timed unit tests.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the speed of the engine's parts.",
        subcommands: [BenchGemm.self, BenchOps.self, BenchTokenize.self, BenchChem.self, BenchTrain.self, BenchInfer.self]
    )
}
