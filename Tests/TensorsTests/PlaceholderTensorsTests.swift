import XCTest
@testable import Tensors

final class PlaceholderTensorsTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
