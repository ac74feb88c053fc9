import XCTest
import RegressionTransformer

final class VersionAndHelpTests: XCTestCase {
    func testVersionPrintsLibraryVersion() throws {
        let result = try RTCommand.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), RegressionTransformerInfo.version)
    }

    func testHelpListsSubcommands() throws {
        let result = try RTCommand.run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("bench"), result.stdout)
    }

    /// `--help` of every verb (and verb group) shows an example.
    func testHelpShowsExamples() throws {
        let verbs = [[], ["tokenize"], ["vocab"], ["vocab", "build"], ["vocab", "info"], ["chem"], ["chem", "validate"],
                     ["chem", "canonical"], ["chem", "to-selfies"], ["chem", "to-smiles"], ["bench"], ["bench", "gemm"],
                     ["bench", "ops"], ["bench", "tokenize"], ["bench", "chem"]]
        for verb in verbs {
            let result = try RTCommand.run(verb + ["--help"])
            XCTAssertEqual(result.status, 0, "\(verb)")
            let examples = result.stdout.components(separatedBy: "Examples:").dropFirst().joined()
            XCTAssertTrue(examples.contains((["rt"] + verb).joined(separator: " ") + " "),
                          "rt \(verb.joined(separator: " ")) --help: \(result.stdout)")
        }
    }

    func testUnknownSubcommandFailsWithNonZeroStatus() throws {
        let result = try RTCommand.run(["no-such-verb"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertFalse(result.stderr.isEmpty)
    }
}
