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

    /// Inputs built to hit deep recursion, huge numbers, long chains and repeated ring closures: each gets the
    /// error class RDKit gives it (or is valid where RDKit reads it), with a message, in well under a second —
    /// never a crash, a stack overflow or a hang. SELFIES encoding and decoding of the same strings must end
    /// with a result or an error with a message.
    func testPathologicalInputs() {
        let cases: [(String, String, MoleculeError.Kind?)] = [
            ("ring bond from an atom to itself", "C11", .parse),
            ("5,000 unclosed branches", String(repeating: "(", count: 5000) + "C", .parse),
            ("a 2,000-atom chain", String(repeating: "C", count: 2000), nil),
            ("300 ring closures doubling chain bonds", String(repeating: "c1", count: 300), .parse),
            ("eight ring bonds between the same two atoms", "C12345678C12345678", .parse),
            ("SELFIES read as SMILES", String(repeating: "[C]", count: 5000) + String(repeating: "[Branch1_1][C]", count: 500), .parse),
            ("50 naphthalenes in a chain", String(repeating: "c1ccc2ccccc2c1", count: 50), nil),
            ("a 50-digit isotope", "[" + String(repeating: "9", count: 50) + "C]", .parse),
            ("ring number 99999999", "C%(99999999)CC", .parse),
            ("charge +99999", "[C+99999]", .parse),
            ("99 hydrogens", "[CH99]", .parse),
            ("20,000 aromatic atoms outside rings", String(repeating: "c", count: 20000), .kekulize),
            ("20,000 nested branches", String(repeating: "C(", count: 20000), .parse),
            ("20,000 branch symbols", String(repeating: "[C][Branch1_1]", count: 20000), .parse),
        ]
        for (what, smiles, expected) in cases {
            let start = Date()
            do {
                let molecule = try Molecule(smiles: smiles)
                XCTAssertNil(expected, "\(what): valid, expected \(expected.map { "\($0)" } ?? "")")
                XCTAssertFalse(try molecule.canonicalSmiles(workLimit: CanonicalRanking.defaultWorkLimit).isEmpty, what)
            } catch let error as MoleculeError {
                XCTAssertEqual(error.kind, expected, "\(what): \(error)")
                XCTAssertFalse(error.message.isEmpty, what)
            } catch {
                XCTFail("\(what): unexpected \(error)")
            }
            for result in [Result { try SelfiesEncoder.encode(smiles) }, Result { try SelfiesDecoder.decode(smiles) }] {
                if case .failure(let error) = result { XCTAssertFalse("\(error)".isEmpty, what) }
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 5, "\(what) took too long")
        }
    }
}
