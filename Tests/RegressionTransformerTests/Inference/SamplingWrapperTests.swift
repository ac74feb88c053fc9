import Foundation
import XCTest
@testable import RegressionTransformer

/// The sampling-wrapper rules on 4'-chloroacetanilide, `CC(=O)Nc1ccc(Cl)cc1` (atoms in SMILES order: 0 C, 1 C, 2 O,
/// 3 N, 4–7 c, 8 Cl, 9–10 c). Its SELFIES 1.0.4 (checked with the selfies package) and token roles, by hand:
///
///     pos  0    1    2           3    4     5    6    7     8    9     10          11   12    13   14    15      16
///          [C]  [C]  [Branch1_2] [C]  [=O]  [N]  [C]  [=C]  [C]  [=C]  [Branch1_1] [C]  [Cl]  [C]  [=C]  [Ring1] [Branch1_3]
///          a0   a1   b(1,2)      b(1,2) a2  a3   a4   a5    a6   a7    b(7,8)      b(7,8) a8  a9   a10   b(4,10) b(4,10)
///
/// (`[Ring1]` + index `[Branch1_3]` = 5 closes the ring from atom 10 to atom 10 − 6 = 4.)
final class SamplingWrapperTests: XCTestCase {
    let smiles = "CC(=O)Nc1ccc(Cl)cc1"

    func testSELFIESRolesOfTheSeed() throws {
        let seed = try SeedMolecule(smiles: smiles, language: .selfies)
        XCTAssertEqual(seed.sequence, "[C][C][Branch1_2][C][=O][N][C][=C][C][=C][Branch1_1][C][Cl][C][=C][Ring1][Branch1_3]")
        XCTAssertEqual(seed.roles, [.atom(0), .atom(1), .bond(1, 2), .bond(1, 2), .atom(2), .atom(3), .atom(4), .atom(5),
                                    .atom(6), .atom(7), .bond(7, 8), .bond(7, 8), .atom(8), .atom(9), .atom(10),
                                    .bond(4, 10), .bond(4, 10)])
        XCTAssertEqual(seed.atomSymbols, ["C", "C", "O", "N", "C", "C", "C", "C", "Cl", "C", "C"])
        XCTAssertEqual(seed.smilesOrder, Array(0..<11))
    }

    func testSELFIESRingIndex() throws {
        // C1CC1O → [C][C][C][Ring1][Ring1][O]: the index [Ring1] = 1 bonds atom 2 to atom 2 − 2 = 0.
        let (roles, atoms) = try SELFIESRoles.roles(of: toks("[C] [C] [C] [Ring1] [Ring1] [O] . [N]"))
        XCTAssertEqual(roles, [.atom(0), .atom(1), .atom(2), .bond(0, 2), .bond(0, 2), .atom(3), .other, .atom(4)])
        XCTAssertEqual(atoms, 5)
        XCTAssertThrowsError(try SELFIESRoles.roles(of: toks("[C] [Ring1] [Ring2]")))  // reaches before the molecule
        XCTAssertThrowsError(try SELFIESRoles.roles(of: toks("[C] [Branch1_1] [C]")))  // branch past the end
    }

    func testSMILESRolesOfTheSeed() throws {
        let seed = try SeedMolecule(smiles: smiles, language: .smiles)
        XCTAssertEqual(seed.tokens, toks("C C ( = O ) N c 1 c c c ( Cl ) c c 1"))
        XCTAssertEqual(seed.roles, [.atom(0), .atom(1), .bond(1, 2), .bond(1, 2), .atom(2), .bond(1, 2), .atom(3),
                                    .atom(4), .bond(4, 10), .atom(5), .atom(6), .atom(7), .bond(7, 8), .atom(8),
                                    .bond(7, 8), .atom(9), .atom(10), .bond(4, 10)])
    }

    func testExplicitHydrogensAreMappedBackToSMILESOrder() throws {
        let seed = try SeedMolecule(smiles: "[H]OC", language: .smiles)
        XCTAssertEqual(seed.molecule.atomCount, 2)
        XCTAssertEqual(seed.smilesOrder, [1, 2])
        XCTAssertEqual(seed.atoms(matching: try SubstructureQuery("CO")), [1, 2])
    }

    func testKeepAndMaskSubstructuresOnTheGraph() throws {
        let seed = try SeedMolecule(smiles: smiles, language: .selfies)
        // Keep the benzene ring (written in Kekulé form, matched aromatic); always mask the carbonyl C=O.
        let plan = try MaskingPlan(seed: seed, request: MaskingRequest(
            fraction: 0.5, substructuresToMask: ["C(=O)"], substructuresToKeep: ["C1=CC=CC=C1"]))
        XCTAssertEqual(plan.protected, [6, 7, 8, 9, 13, 14, 15, 16])
        XCTAssertEqual(plan.forced, [1, 2, 3, 4])
        XCTAssertEqual(plan.candidates, [0, 5, 10, 11, 12])
        XCTAssertEqual(plan.count, 2)  // round(0.5 · 5) = round(2.5) = 2 (half to even)
        // Partial Fisher–Yates: swap(0, 3) → [11, 5, 10, 0, 12]; swap(1, 1) → first two 11, 5.
        var random = ScriptedRandom(integers: [3, 0])
        XCTAssertEqual(plan.draw(random: &random), [1, 2, 3, 4, 5, 11])
        XCTAssertEqual(random.bounds, [5, 4])
    }

    func testAtomTypesRestrictTheCandidates() throws {
        let seed = try SeedMolecule(smiles: smiles, language: .selfies)
        let plan = try MaskingPlan(seed: seed, request: MaskingRequest(fraction: 0.2, atomTypes: ["s", "cl", "O"]))
        XCTAssertEqual(plan.candidates, [4, 12])
        XCTAssertEqual(plan.missingAtomTypes, ["s"])
        XCTAssertEqual(plan.count, 1)  // round(0.4) = 0, raised to 1
        let all = try MaskingPlan(seed: seed, request: MaskingRequest(fraction: 0.2))
        XCTAssertEqual(all.candidates, Array(0..<17))
        XCTAssertEqual(all.count, 3)  // round(3.4)
        let carbons = try MaskingPlan(seed: seed, request: MaskingRequest(fraction: 1, atomTypes: ["C"],
                                                                         substructuresToKeep: ["c1ccccc1"]))
        XCTAssertEqual(carbons.candidates, [0, 1])
        XCTAssertEqual(carbons.count, 2)
    }

    func testBadRequestsAreClearErrors() throws {
        let seed = try SeedMolecule(smiles: smiles, language: .selfies)
        func message(_ request: MaskingRequest) -> String {
            do {
                _ = try MaskingPlan(seed: seed, request: request)
                return "no error"
            } catch { return error.message }
        }
        XCTAssertTrue(message(MaskingRequest(fraction: 1.5)).contains("[0, 1]"))
        XCTAssertTrue(message(MaskingRequest(atomTypes: ["Xx"])).contains("not an element"))
        XCTAssertTrue(message(MaskingRequest(atomTypes: ["S"])).contains("none of the atom types"))
        XCTAssertTrue(message(MaskingRequest(substructuresToKeep: ["C#N"])).contains("does not occur"))
        XCTAssertTrue(message(MaskingRequest(substructuresToKeep: ["[C"])).contains("neither a valid SMILES nor a SMARTS"))
        // The SMARTS cCl (aromatic c bonded to Cl) overlaps the kept ring at atom 7 (token 10, [=C]).
        XCTAssertTrue(message(MaskingRequest(substructuresToMask: ["cCl"], substructuresToKeep: ["c1ccccc1"]))
            .contains("overlap (sequence tokens 10:[=C])"))
        XCTAssertTrue(message(MaskingRequest(fraction: 0)).contains("nothing to mask"))
        XCTAssertThrowsError(try SeedMolecule(smiles: "C1CC", language: .selfies))
        XCTAssertThrowsError(try SeedMolecule(smiles: "CCO", language: .aminoAcids))
    }
}
