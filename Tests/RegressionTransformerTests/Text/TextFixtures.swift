import Foundation
import XCTest
@testable import RegressionTransformer

/// Paths of the text-layer fixtures (copies of the shipped RT vocabularies and examples; see
/// `Fixtures/text/PROVENANCE.md`).
enum TextFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/text")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    static let smallMolecules = try! Vocabulary(contentsOfFile: path("smallmolecules.txt"))
    static let reactions = try! Vocabulary(contentsOfFile: path("reactions.txt"))
    static let proteins = try! Vocabulary(contentsOfFile: path("proteins.txt"))

    /// The shared data folder (`../shared/data` next to the package), if present.
    static var sharedData: URL? {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}

/// Splits a space-separated token list written in a test.
func toks(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

/// Parses a space-separated id list written in a test.
func ids(_ text: String) -> [Int32] { text.split(separator: " ").map { Int32($0)! } }
