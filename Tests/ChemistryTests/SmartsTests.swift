import XCTest
@testable import Chemistry

/// SMARTS parsing and substructure matching against RDKit 2026.9.1 (`scripts/chem/smarts_golden.py`): for 120
/// feature probes × the edge cases and 300 RT example molecules, the number of unique and of all matches and the
/// full list of atom mappings must be identical.
final class SmartsTests: XCTestCase {
    func testMatchesAgreeWithRDKitOnGoldenSets() throws {
        for name in ["smarts_edge_cases", "smarts_rt_examples"] {
            let rows = try GoldenFile.rows(name + ".golden.csv")
            XCTAssertGreaterThan(rows.count, 1000)
            var patterns: [String: SmartsPattern] = [:]
            var targets: [String: SubstructureTarget] = [:]
            var failures: [String] = []
            for row in rows {
                let smarts = row["smarts"]!, smiles = row["smiles"]!
                if patterns[smarts] == nil { patterns[smarts] = try SmartsPattern(smarts) }
                if targets[smiles] == nil { targets[smiles] = SubstructureTarget(try Molecule(smiles: smiles)) }
                let p = patterns[smarts]!, t = targets[smiles]!
                var all: [String] = []
                p.forEachMatch(in: t) { m in
                    all.append(m.map { String($0) }.joined(separator: " "))
                    return true
                }
                let unique = p.matchCount(in: t)
                let expectAll = Int(row["n_all"]!)!, expectUnique = Int(row["n_unique"]!)!
                var ok = all.count == expectAll && unique == expectUnique
                if ok, let listed = row["matches"], !listed.isEmpty {
                    ok = all.sorted { $0.lexicographicallyPrecedes($1) } == listed.split(separator: ";").map(String.init)
                        .sorted { $0.lexicographicallyPrecedes($1) }
                }
                if ok, expectUnique > 0 {
                    ok = p.matches(in: t, maxMatches: 100_000).count == expectUnique && p.hasMatch(in: t)
                } else if ok {
                    ok = !p.hasMatch(in: t)
                }
                if !ok && failures.count < 20 {
                    failures.append("\(smarts) on \(smiles): all \(all.count) vs \(expectAll), unique \(unique) vs \(expectUnique)")
                }
            }
            XCTAssert(failures.isEmpty, "\(name):\n" + failures.joined(separator: "\n"))
        }
    }

    func testAtomMappingFollowsPatternOrder() throws {
        let target = SubstructureTarget(try Molecule(smiles: "CC(=O)NC"))
        let amide = try SmartsPattern("N-C=O")
        XCTAssertEqual(amide.matches(in: target), [[3, 1, 2]])
        XCTAssertTrue(amide.hasMatch(in: target, rootedAt: 3))
        XCTAssertFalse(amide.hasMatch(in: target, rootedAt: 1))
        XCTAssertEqual(try SmartsPattern("[CH3]").matchCount(in: target), 2)
        XCTAssertEqual(try SmartsPattern("[CH3]").matchedAtoms(in: try Molecule(smiles: "CC(=O)NC")), [0, 4])
        XCTAssertEqual(try SmartsPattern("C~*").matchCount(in: target, uniquify: false), 5)
        XCTAssertEqual(try SmartsPattern("[C:7]=[O:9]").atomMapNumbers, [7, 9])
    }

    func testRecursiveAndDisconnectedQueries() throws {
        let target = SubstructureTarget(try Molecule(smiles: "OC(=O)CCN.Cl"))
        XCTAssertEqual(try SmartsPattern("[$(C(=O)[OH])]").matches(in: target), [[1]])
        XCTAssertEqual(try SmartsPattern("[$([CH2][$(C(=O)O)])]").matches(in: target), [[3]])
        XCTAssertTrue(try SmartsPattern("N.Cl").hasMatch(in: target))
        XCTAssertFalse(try SmartsPattern("N.N").hasMatch(in: target))
    }

    func testExplicitHydrogenTarget() throws {
        let mol = try Molecule(smiles: "CO")
        let t = SubstructureTarget(mol, explicitHydrogens: true)
        XCTAssertEqual(t.atomCount, 6)
        XCTAssertEqual(t.heavyAtomCount, 2)
        XCTAssertEqual(try SmartsPattern("[#1]O").matchCount(in: t), 1)
        XCTAssertEqual(try SmartsPattern("[#1][#6]").matchCount(in: t), 3)
        // H counts and total degree are the same with or without explicit hydrogens.
        XCTAssertEqual(try SmartsPattern("[CH3X4]").matchCount(in: t), 1)
        XCTAssertEqual(try SmartsPattern("[CD4]").matchCount(in: t), 1)
        XCTAssertEqual(try SmartsPattern("[CD1]").matchCount(in: SubstructureTarget(mol)), 1)
    }

    func testParseErrorsNameTheProblem() {
        let cases: [(String, String)] = [
            ("", "empty pattern"), ("C(", "unclosed branch"), ("C)", "unmatched ')'"), ("C1CC", "unclosed ring"),
            ("[C", "unclosed '['"), ("[Q]", "unknown atom primitive"), ("C=", "pattern ends with a bond"),
            ("[C^3]", "hybridisation"), ("(C).(C)", "component grouping"), ("CC>>C", "reaction SMARTS"),
            ("[$(C]", "unclosed '$('"), ("C..C", "misplaced '.'"), ("Xe", "atoms outside the organic subset"),
            ("[#]", "'#' needs an atomic number"),
        ]
        for (smarts, expected) in cases {
            XCTAssertThrowsError(try SmartsPattern(smarts), smarts) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(expected), "\(smarts): \(text)")
            }
        }
    }
}
