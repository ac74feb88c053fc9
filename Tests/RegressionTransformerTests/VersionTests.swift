import XCTest
@testable import RegressionTransformer

final class VersionTests: XCTestCase {
    func testVersionIsSemanticVersionLike() {
        let parts = RegressionTransformerInfo.version.split(separator: "-")[0].split(separator: ".")
        XCTAssertEqual(parts.count, 3)
        XCTAssertTrue(parts.allSatisfy { Int($0) != nil })
    }
}
