import ArgumentParser

/// `rt bench …` — performance measurements. Benchmarks live here, never in timed unit tests.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the speed of the engine's parts.",
        discussion: """
            Results go to stdout (--format text|csv|json), progress and the load guard ("foreign CPU during the \
            run") to stderr. Run on an idle machine (--wait-idle), or use --clock cpu where a verb offers it.

            Examples:
              rt bench gemm --threads 1 --clock cpu
              rt bench tokenize --limit 200000 --format json
              rt bench chem --limit 20000
            """,
        subcommands: [BenchGemm.self, BenchOps.self, BenchTokenize.self, BenchChem.self, BenchTrain.self, BenchInfer.self]
    )
}
