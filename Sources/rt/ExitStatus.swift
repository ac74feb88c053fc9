import ArgumentParser
import Foundation
import Tensors

/// The exit statuses of `rt` (README, "Conventions"), the same for every verb:
///
/// - 0: success — every input was handled;
/// - 1: failure — some inputs could not be handled (line-oriented verbs still print one output line per input
///   line, `error: …` for the failed ones, and finish), or a file could not be read or written (the verb stops;
///   an output file is never left half-written);
/// - 2: usage — an unknown verb or option, a bad option value, or an unusable `RT_*` environment variable.
///
/// Messages go to stderr as `rt: <problem>`, where a problem with a file reads `<file>:<line>: <what is wrong>`
/// (or `<file>: …` when it concerns the whole file).
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2

    /// The status for an error that ended a verb.
    static func status(for error: Error) -> Int32 {
        if let code = error as? ExitCode { return code.rawValue }
        switch error {
        case TensorError.backendUnavailable, TensorError.environment: return usage
        default: break
        }
        return RT.exitCode(for: error) == .validationFailure ? usage : failure
    }
}

extension RT {
    /// Parses the arguments, checks the engine's environment variables and runs the verb; on an error, prints
    /// `rt: <message>` (with the usage for usage errors) to stderr and exits with `ExitStatus.status(for:)`.
    static func main() {
        do {
            var command = try parseAsRoot()
            _ = try Engine.threadsFromEnvironment()
            _ = try Gemm.requestedBackend()
            _ = try CPU.levelFromEnvironment()
            try command.run()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help, --version: to stdout
            let message = fullMessage(for: error)
            if !message.isEmpty { StandardError().write(message.hasSuffix("\n") ? message : message + "\n") }
            Foundation.exit(ExitStatus.status(for: error))
        }
    }

    /// Every message starts with the tool's name, as Unix tools do.
    static var _errorPrefix: String { "rt: " }
}
