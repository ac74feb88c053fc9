/// Errors thrown by the engine. Every case names the operation (or file) and the offending shapes, values or
/// byte offsets, so that a message alone tells what went wrong where.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    /// Operand shapes do not fit together, e.g. `matmul` of `[3, 4]` and `[5, 2]`.
    case shapeMismatch(op: String, shapes: [Shape], detail: String)
    /// An argument is outside its domain (bad axis, probability outside [0, 1), index out of range, …).
    case invalidArgument(op: String, detail: String)
    /// A loss or other scalar that must be finite is NaN or ±Inf.
    case nonFinite(op: String, detail: String)
    /// Autodiff was used wrongly (backward from a non-scalar, a tensor that is not on the tape, …).
    case autodiff(detail: String)
    /// A file could not be read or written, or its content is malformed (`offset` in bytes when known).
    case file(path: String, detail: String, offset: Int?)
    /// A GEMM backend could not be used (e.g. `RT_BLAS=openblas` but `libopenblas.so.0` is missing).
    case backendUnavailable(detail: String)
    /// An `RT_*` environment variable holds a value the engine cannot use (e.g. `RT_THREADS=two`).
    case environment(variable: String, detail: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, shapes, detail):
            let s = shapes.map(\.description).joined(separator: " and ")
            return "\(op): shape mismatch between \(s): \(detail)"
        case let .invalidArgument(op, detail):
            return "\(op): \(detail)"
        case let .nonFinite(op, detail):
            return "\(op): non-finite value: \(detail)"
        case let .autodiff(detail):
            return "autodiff: \(detail)"
        case let .file(path, detail, offset):
            if let offset { return "\(path): at byte \(offset): \(detail)" }
            return "\(path): \(detail)"
        case let .backendUnavailable(detail):
            return "GEMM backend: \(detail)"
        case let .environment(variable, detail):
            return "\(variable): \(detail)"
        }
    }
}
