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

    func testUnknownSubcommandFailsWithNonZeroStatus() throws {
        let result = try RTCommand.run(["no-such-verb"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertFalse(result.stderr.isEmpty)
    }
}
