import XCTest
@testable import Chemistry

/// Random strings, mutated SMILES and random SELFIES never crash or hang and always get a clear error.
/// This test runs 5,000 inputs to stay fast; the 100,000-input run is `rt bench chem --fuzz 100000` (it reports
/// the slowest input; measured numbers are in the chemistry README section of the report).
final class RobustnessTests: XCTestCase {
    func testRandomInputsGetClearErrors() {
        let report = ChemistryFuzz.run(count: 5000, seed: 7)
        XCTAssertEqual(report.inputs, 5000)
        XCTAssertEqual(report.errorsWithoutMessage, 0)
        XCTAssertGreaterThan(report.validSmiles, 0)      // the generator does produce real molecules too
        XCTAssertGreaterThan(report.decodedSelfies, 0)
    }

    func testPathologicalInputs() {
        let inputs = ["C" + String(repeating: "1", count: 2) , String(repeating: "(", count: 5000) + "C",
                      String(repeating: "C", count: 2000), String(repeating: "c1", count: 300),
                      "C12345678C12345678", String(repeating: "[C]", count: 5000) + String(repeating: "[Branch1_1][C]", count: 500),
                      String(repeating: "c1ccc2ccccc2c1", count: 50), "[" + String(repeating: "9", count: 50) + "C]",
                      "C%(99999999)CC", "[C+99999]", "[CH99]",
                      // deep recursion in the SELFIES code paths (rejected past 1,000 levels, never a stack overflow)
                      String(repeating: "c", count: 20000), String(repeating: "C(", count: 20000),
                      String(repeating: "[C][Branch1_1]", count: 20000)]
        for s in inputs {
            _ = try? Molecule(smiles: s).canonicalSmiles
            _ = try? SelfiesEncoder.encode(s)
            _ = try? SelfiesDecoder.decode(s)
        }
    }
}
