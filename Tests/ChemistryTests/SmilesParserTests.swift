import XCTest
@testable import Chemistry

/// SMILES syntax as RDKit 2026.9.1 accepts it (each expectation was checked with `Chem.MolFromSmiles`).
final class SmilesParserTests: XCTestCase {
    func kind(_ s: String) -> String {
        do { _ = try Molecule(smiles: s); return "ok" } catch let e as MoleculeError { return e.kind.rawValue } catch { return "?" }
    }

    func testSyntaxErrorsAreParseErrors() {
        for s in ["C11", "C12CCCCC12", "C()C", "C(.C)C", "C.", ".C", "C..C", "C)C", "((C))", "C=(C)C", "C-=C", "C==C",
                  "[H2]", "C%1CC%1", "[C:]", "C1CC(1)", "[C+-]", "[C+++]", "C(", "[13]", "[C@@@H]", "ClO4", "[Xx]",
                  "C1CC", "CC(C", "c1ccccc", "C=1CC1="] {
            XCTAssertEqual(kind(s), "parse", s)
        }
    }

    func testAcceptedForms() {
        for s in ["", "C=1CCCCC-1", "C=1CCCCC=1", "C1CCCCC=1", "C(=C)", "[C+5]", "[H+]", "[H-]", "[HH]", "[2H][2H]", "[H]",
                  "[C@TH1](F)(Cl)(Br)I", "C%10CC%10", "C%(123)CC%(123)", "[O--]", "[O-2]", "[C:1]", "C1.C1", "C$C",
                  "C->N", "[Cu]<-N", "*C", "C:C", "C(C)1CC1", "C1(CC1)", "[C++]", "[C@H2]", "[Na]", "[Fe]", "[BH4-]",
                  "[c]1ccccc1", "p1ccccc1", "[o+]1ccccc1", "[se]1cccc1", "C C name"] {
            XCTAssertEqual(kind(s), "ok", s)
        }
    }

    func testValenceAndKekulizeErrors() {
        for s in ["[CH5]", "[CH4+]", "[N+](C)(C)(C)(C)C", "CP(=C)(=O)C", "C(C)(C)(C)(C)C", "Cl(C)C"] {
            XCTAssertEqual(kind(s), "valence", s)
        }
        for s in ["c:c", "cc", "Cc", "n1cccc1", "[n]1cccc1", "[si]1cccc1", "c1cc2ccccc2c1", "c1cccnc1=O", "C1CCCC1c",
                  "c1cccc1", "[cH]1cccc1"] {
            XCTAssertEqual(kind(s), "kekulize", s)
        }
    }

    func testHydrogensChargesAndRadicals() throws {
        func h(_ s: String) throws -> [Int] { try Molecule(smiles: s).atoms.map(\.totalHydrogens) }
        func rad(_ s: String) throws -> [Int] { try Molecule(smiles: s).atoms.map { Int($0.radicalElectrons) } }
        XCTAssertEqual(try h("C->N"), [4, 2])
        XCTAssertEqual(try h("[Cu]<-N"), [0, 3])
        XCTAssertEqual(try h("[H][C]"), [1])  // explicit H atom folded into the bracket atom
        XCTAssertEqual(try rad("[H][C]"), [3])
        XCTAssertEqual(try rad("[C+5]"), [9])
        XCTAssertEqual(try h("C1=CC=CC=C1C"), [1, 1, 1, 1, 1, 0, 3])
        XCTAssertEqual(try h("O=c1cccc[nH]1"), [0, 0, 1, 1, 1, 1, 1])
        let nitro = try Molecule(smiles: "CN(=O)=O")
        XCTAssertEqual(nitro.atoms.map(\.formalCharge), [0, 1, -1, 0])  // first =O in bond order
        let oxide = try Molecule(smiles: "C1=CC=CN(=O)=C1")
        XCTAssertEqual(oxide.atoms.map(\.isAromatic), [true, true, true, true, true, false, true])
        let perchlorate = try Molecule(smiles: "OCl(=O)(=O)=O")
        XCTAssertEqual(perchlorate.atoms.map(\.formalCharge), [0, 3, -1, -1, -1])
        let azide = try Molecule(smiles: "CN=N#N")
        XCTAssertEqual(azide.atoms.map(\.formalCharge), [0, 0, 1, -1])
    }
}
