import Foundation
import XCTest

/// Loads the committed golden files under `Tests/TensorsTests/Fixtures` (located via `#filePath`; see
/// scripts/fixtures/README.md for how they were produced).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    /// A JSON fixture as nested dictionaries/arrays.
    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: url(relative))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NSError(domain: "Fixtures", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(relative) is not an object"])
        }
        return object
    }

    /// A flat list of numbers; the strings "nan", "inf", "-inf" map to the special values.
    static func doubles(_ value: Any?) -> [Double] {
        guard let list = value as? [Any] else { return [] }
        return list.map { v in
            if let s = v as? String { return s == "nan" ? .nan : s == "inf" ? .infinity : -.infinity }
            return (v as? NSNumber)?.doubleValue ?? .nan
        }
    }

    /// Float32 values recorded as exact float64 decimals.
    static func floats(_ value: Any?) -> [Float] { doubles(value).map(Float.init) }
}
