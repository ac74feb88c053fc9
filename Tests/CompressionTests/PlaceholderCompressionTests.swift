import XCTest
@testable import Compression

final class PlaceholderCompressionTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
