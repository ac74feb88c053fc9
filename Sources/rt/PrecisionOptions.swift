import ArgumentParser
import Tensors

/// `--precision`: the operand precision of the large matrix products, for the verbs that run the network.
struct PrecisionOptions: ParsableArguments {
    enum Choice: String, ExpressibleByArgument, CaseIterable {
        /// bf16 where this machine measured it faster (`Gemm.automaticPrecision`), else float32.
        case auto
        case float32
        /// Operands of the large products rounded to bfloat16, float32 accumulation (needs avx512_bf16).
        case bf16
    }

    @Option(help: ArgumentHelp(
        "Operands of the large matrix products: float32, bf16 (rounded to bfloat16, float32 "
            + "accumulation and everything else float32; needs avx512_bf16), or auto (bf16 where this machine "
            + "measured it at least 1.2x faster). Default: auto for rt train (a resumed run keeps the precision "
            + "its checkpoint recorded), float32 for the verbs that predict, generate or measure.",
        valueName: "precision"))
    var precision: Choice?

    /// `apply()`, reporting the choice on stderr unless it is the float32 default (the inference verbs: their
    /// stderr stays as it was unless `--precision` was asked for).
    ///
    /// Inference defaults to float32, not auto: a prediction should not change in its third decimal with the
    /// machine it runs on, and inference is not where the time goes (docs/engine.md).
    func applyReportingChoices() throws {
        let line = try apply()
        if precision != nil && precision != .float32 { printError(line) }
    }

    /// Sets the engine's precision (`--precision`, else `fallback`, chosen for `reason`) and returns a line
    /// saying which was used and why (for stderr), e.g. `precision: bf16 (default auto: bf16 GEMM … 1.6x)`.
    @discardableResult
    func apply(default fallback: Choice = .float32, reason: String = "default") throws -> String {
        let choice = precision ?? fallback
        var why = precision == nil ? "\(reason) \(choice.rawValue)" : "--precision \(choice.rawValue)"
        let chosen: Gemm.Precision
        switch choice {
        case .float32: chosen = .float32
        case .bf16: chosen = .bf16
        case .auto:
            let a = Gemm.automaticPrecision
            chosen = a.precision
            why += ": " + a.reason
        }
        do { try Gemm.setPrecision(chosen) } catch { throw ValidationError("--precision bf16: \(error)") }
        return "precision: \(chosen.rawValue) (\(why))"
    }
}
