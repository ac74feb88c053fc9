/// Why a model folder (or one of its files) cannot be read or written. The message always names the file, and
/// the key or tensor when one is at fault.
public struct ModelFolderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (or folder) at fault.
    public var path: String
    /// What is wrong, e.g. `key 'n_head': 5 does not divide d_model 64`.
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
