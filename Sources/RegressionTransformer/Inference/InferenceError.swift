/// Why a prediction or generation cannot be carried out: inputs that do not fit together, a bad seed, masking rules
/// that cannot be applied, goals the model cannot take. The message is meant for the user.
public struct InferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
