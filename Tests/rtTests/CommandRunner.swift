import Foundation
import XCTest

/// Runs the `rt` executable built beside the test bundle, feeding `stdin` and capturing both output streams.
/// End-to-end tests of the command line go through this, the way a user would.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
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

    /// Runs `rt` with `arguments`, writing `stdin` to its standard input.
    static func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws
        -> CommandResult
    {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("rt")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
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
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
