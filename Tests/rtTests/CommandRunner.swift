import Foundation
import XCTest

/// Runs the `rt` executable built beside the test bundle, feeding `stdin` and capturing both output streams.
/// End-to-end tests of the command line go through this, the way a user would.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// True when `rt` was killed by a signal (a crash: trap, segmentation fault, abort) instead of exiting;
    /// `status` is then the signal number.
    var crashed = false

    /// The lines of stdout (without the empty string after the final newline).
    var lines: [String] {
        var lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// Where the end-to-end tests find their inputs, and scratch folders for what they write.
enum TestFiles {
    /// `Tests/`.
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    /// The text-layer fixtures (shipped RT vocabularies and examples).
    static let text = tests.appendingPathComponent("RegressionTransformerTests/Fixtures/text")
    /// The gzip fixtures of the Compression tests (`text.level9.gz`, `text.truncated.gz`, …).
    static let compression = tests.appendingPathComponent("CompressionTests/Fixtures")

    /// A new empty folder, removed when `test` ends.
    static func scratch(for test: XCTestCase, _ prefix: String = "rt-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

enum RTCommand {
    /// The directory that holds the built products (`rt` and the test bundle).
    static var productsDirectory: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        fatalError("couldn't find the products directory")
        #else
        return Bundle.main.bundleURL
        #endif
    }

    /// The `rt` under test: `$RT_TEST_BINARY` when set (CI points it at the release build, so the robustness tests
    /// run against the binary users run, compiled with its optimisation settings), else the one built beside the
    /// tests.
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["RT_TEST_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return productsDirectory.appendingPathComponent("rt")
    }

    /// Runs `rt` with `arguments`, writing `stdin` to its standard input.
    /// `stdinBytes`, when given, replaces `stdin` (binary input). Keep standard input small (under 64 KiB):
    /// it is written before the output is read; big inputs go in files.
    static func run(_ arguments: [String], stdin: String = "", stdinBytes: [UInt8]? = nil,
                    environment: [String: String] = [:]) throws -> CommandResult
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdinBytes ?? Array(stdin.utf8)))
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty stderr cannot block the process.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = error.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self),
            crashed: process.terminationReason == .uncaughtSignal)
    }
}
