import XCTest
@testable import RegressionTransformer

/// The numerical encodings of spec §2.
final class NumericalEncodingTests: XCTestCase {
    private func row(_ token: String, dimension: Int = 8, vmax: Double? = 1, kind: NumericalEncodingConfiguration.Kind = .float)
        throws -> [Float]
    {
        let tokens = ["[PAD]", token]
        return Array(try NumericalEncodingTable(tokens: tokens, dimension: dimension, kind: kind, vmax: vmax).row(1))
    }

    private func assertClose(_ actual: [Float], _ expected: [Double], relative: Double = 1e-6,
                             file: StaticString = #filePath, line: UInt = #line)
    {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (a, e) in zip(actual, expected) {
            XCTAssertEqual(Double(a), e, accuracy: max(abs(e) * relative, 1e-7), file: file, line: line)
        }
    }

    func testFloatEncodingVectors() throws {
        assertClose(try row("_3_-1_"), [3, -3, 1, -1, 0.6, -0.6, 3.0 / 7, -3.0 / 7])
        assertClose(try row("_5_0_"), [50, -50, 50.0 / 3, -50.0 / 3, 10, -10, 50.0 / 7, -50.0 / 7])
        assertClose(try row("_9_-2_"), [0.9, -0.9, 0.3, -0.3, 0.18, -0.18, 0.9 / 7, -0.9 / 7])
        XCTAssertEqual(try row("_7_-0_"), try row("_7_0_"))
        assertClose(try row("_7_0_"), [70, -70, 70.0 / 3, -70.0 / 3, 14, -14, 10, -10])
        for token in ["_0_0_", "_0_-3_", "_._", "_-_", "_+_", "[C]", "<qed>", "|", "_", "__"] {
            XCTAssertEqual(try row(token), [Float](repeating: 0, count: 8), token)
        }
        // vmax scales by 10 / vmax.
        assertClose(try row("_3_-1_", vmax: 10), [0.3, -0.3, 0.1, -0.1, 0.06, -0.06, 0.3 / 7, -0.3 / 7])
    }

    func testNormFactorForDimension256() throws {
        let encoding = try row("_1_-1_", dimension: 256)  // v = 0.1, so the norm is 1.5695524·10·0.1/vmax
        let norm = sqrt(encoding.reduce(0.0) { $0 + Double($1) * Double($1) })
        XCTAssertEqual(norm, 1.5695524, accuracy: 1e-6)
    }

    func testTableForTheShippedVocabulary() throws {
        let vocabulary = TextFixtures.smallMolecules
        let configuration = NumericalEncodingConfiguration(kind: .float, format: .sum, dimension: 16, vmax: 1)
        let table = try configuration.table(for: vocabulary, modelDimension: 32)
        XCTAssertEqual(table.rows, 507)
        XCTAssertEqual(table.dimension, 32)  // `sum` ignores numerical_encodings_dim
        XCTAssertEqual(table.values.count, 507 * 32)
        XCTAssertTrue(table.row(Int(vocabulary.id(of: "[C]")!)).allSatisfy { $0 == 0 })
        XCTAssertTrue(table.row(25).allSatisfy { $0 == 0 })  // _._
        XCTAssertEqual(table.row(65).first, 3)  // _3_-1_
        let nonZeroRows = (0..<507).filter { !table.row($0).allSatisfy { $0 == 0 } }
        // Digit tokens 26–154 except the 12 zero-digit tokens.
        XCTAssertEqual(nonZeroRows, (26...154).filter { !vocabulary.tokens[$0].hasPrefix("_0_") })
        let concat = NumericalEncodingConfiguration(kind: .float, format: .concat, dimension: 16, vmax: 1)
        XCTAssertEqual(try concat.table(for: vocabulary, modelDimension: 256).dimension, 16)
    }

    func testVmaxInference() throws {
        let table = try NumericalEncodingTable(tokens: TextFixtures.smallMolecules.tokens, dimension: 8)
        XCTAssertEqual(table.vmax, 900_000)
        XCTAssertEqual(Double(table.row(65).first!), 0.3 * 10 / 900_000, accuracy: 1e-12)
        XCTAssertThrowsError(try NumericalEncodingTable(tokens: ["[PAD]", "C"], dimension: 8))
    }

    func testIntEncoding() throws {
        // v = 50, D = 8: sin/cos of 50 / 10000^(2j/8) for j = 0, 2, 4, 6.
        let expected: [Double] = [0, 2, 4, 6].flatMap { j -> [Double] in
            let angle = 50 / pow(10000, Double(2 * j) / 8)
            return [sin(angle), cos(angle)]
        }
        assertClose(try row("_5_1_", kind: .int), expected, relative: 1e-6)
        // Zero digits are sin(0), cos(0), not zeros.
        XCTAssertEqual(try row("_0_2_", kind: .int), [0, 1, 0, 1, 0, 1, 0, 1])
        XCTAssertEqual(try row("[C]", kind: .int), [Float](repeating: 0, count: 8))
        XCTAssertThrowsError(try row("_5_-1_", kind: .int))
        XCTAssertThrowsError(try row("_0_-1_", kind: .int))
    }

    func testInvalidSettings() throws {
        XCTAssertThrowsError(try row("_5_1_", dimension: 7))
        XCTAssertThrowsError(try row("_5_1_", dimension: 0))
        XCTAssertThrowsError(try row("_5_1_", vmax: 0))
        XCTAssertThrowsError(try row("_5_1_", vmax: -1))
        XCTAssertThrowsError(try row("_x_1_")) { error in
            XCTAssertTrue("\(error)".contains("_x_1_"), "\(error)")
        }
    }
}
