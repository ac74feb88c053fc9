/// Why a file (or folder) cannot be read or written: the path, and what is wrong with it — the key, tensor or line
/// when one is at fault. Printed as `<path>: <message>`.
///
/// One type for every such failure of the engine and the RT (model folders, checkpoints, durable writes); the
/// RT's names for it (`ModelFolderError`, `TrainingCheckpointError`) say where it was raised.
public struct FileError: Error, Equatable, Sendable, CustomStringConvertible {
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
