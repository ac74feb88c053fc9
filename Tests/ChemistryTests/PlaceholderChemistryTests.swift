import XCTest
@testable import Chemistry

final class PlaceholderChemistryTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
