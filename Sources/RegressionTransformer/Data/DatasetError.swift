/// A problem with one line of a data file: `file:line: reason`.
public struct DatasetLineError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }
}

/// A data file that cannot be used: a problem with the file as a whole (e.g. a CSV without its text column),
/// or bad lines (the first few are listed; `invalidLines` counts them all).
public struct DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var lineErrors: [DatasetLineError]
    public var invalidLines: Int

    public init(_ message: String, lineErrors: [DatasetLineError] = [], invalidLines: Int = 0) {
        self.message = message
        self.lineErrors = lineErrors
        self.invalidLines = invalidLines
    }

    public var description: String {
        var lines = [message]
        lines += lineErrors.map(\.description)
        if invalidLines > lineErrors.count { lines.append("… and \(invalidLines - lineErrors.count) more") }
        return lines.joined(separator: "\n")
    }
}
