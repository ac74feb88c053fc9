import Foundation

/// Where the model comes from when `--model` is not given: the QED model that ships with the package
/// (`models/qed` in the repository). Looked up, in order:
///
/// 1. `$RT_MODEL` (a model folder; when set it must be one — a mistyped path is an error, not a silent fall-back to
///    another model);
/// 2. `models/qed` in the nearest ancestor directory of the running `rt` executable — the repository a `swift build`
///    / `swift run` binary lives in (`.build/<triple>/<configuration>/rt`);
/// 3. `<prefix>/share/regression-transformer/models/qed` beside an installed `<prefix>/bin/rt`.
///
/// No download ever happens: the model is part of the repository.
enum ShippedModel {
    static let relativePath = "models/qed"

    /// Where the shipped model may be when `$RT_MODEL` is not set, nearest first.
    static func candidates() -> [URL] {
        var result: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        var ancestors: [URL] = []
        while directory.path != "/" && !directory.path.isEmpty {
            ancestors.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        result += ancestors.map { $0.appendingPathComponent(relativePath) }
        result.append(executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/regression-transformer").appendingPathComponent(relativePath))
        return result
    }

    static func locate() throws -> URL {
        func isModelFolder(_ url: URL) -> Bool {
            FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path)
        }
        if let path = ProcessInfo.processInfo.environment["RT_MODEL"], !path.isEmpty {
            let url = URL(fileURLWithPath: path)
            guard isModelFolder(url) else {
                throw CommandFailure("RT_MODEL=\(path) is not a model folder (no config.json); unset it to use the shipped model")
            }
            return url
        }
        if let found = candidates().first(where: isModelFolder) { return found }
        throw CommandFailure("no --model given, and the shipped model \(relativePath) was not found (looked for "
                             + "$RT_MODEL, \(relativePath) above \(CommandLine.arguments[0]), and share/regression-transformer/"
                             + "\(relativePath)); pass --model FOLDER")
    }
}
