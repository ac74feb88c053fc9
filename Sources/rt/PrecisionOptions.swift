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
        "Operands of the large matrix products: float32 (default), bf16 (rounded to bfloat16, float32 "
            + "accumulation and everything else float32; needs avx512_bf16), or auto (bf16 where this machine "
            + "measured it at least 1.2x faster).",
        valueName: "precision"))
    var precision: Choice = .float32

    /// `apply()`, reporting the choice on stderr unless it is the float32 default (the inference verbs: their
    /// stderr stays as it was unless `--precision` was asked for).
    func applyReportingChoices() throws {
        let line = try apply()
        if precision != .float32 { printError(line) }
    }

    /// Sets the engine's precision and returns a line saying which was used and why (for stderr).
    @discardableResult
    func apply() throws -> String {
        let chosen: Gemm.Precision
        let why: String
        switch precision {
        case .float32: (chosen, why) = (.float32, "--precision float32")
        case .bf16: (chosen, why) = (.bf16, "--precision bf16")
        case .auto:
            let a = Gemm.automaticPrecision
            (chosen, why) = (a.precision, "auto: " + a.reason)
        }
        do { try Gemm.setPrecision(chosen) } catch { throw ValidationError("--precision bf16: \(error)") }
        return "precision: \(chosen.rawValue) (\(why))"
    }
}
