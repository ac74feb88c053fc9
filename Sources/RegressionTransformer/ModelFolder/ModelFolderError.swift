import TensorIO

/// Why a model folder (or one of its files) cannot be read or written. The message always names the file, and
/// the key or tensor when one is at fault.
public typealias ModelFolderError = FileError
