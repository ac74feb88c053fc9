import Foundation
import XCTest

/// End-to-end runs of `rt chem props` and `rt chem similar`.
final class ChemPropsCommandTests: XCTestCase {
    func lines(_ r: CommandResult) -> [String] {
        r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func testPropsOneRowPerLineInOrder() throws {
        let r = try RTCommand.run(["chem", "props"], stdin: "CC(=O)Oc1ccccc1C(=O)O aspirin\nC1CC\n\nc1ccccc1\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = lines(r)
        XCTAssertEqual(out.count, 5)
        XCTAssertEqual(out[0], "smiles,valid,mw,logp,mr,tpsa,hba,hbd,rotb,arom,alerts,qed,sa,plogp,error")
        let aspirin = out[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(aspirin.count, 15)
        // RDKit 2026.9.1: MolWt, MolLogP, MolMR, TPSA, QED properties, qed, SA, logP - SA - 0.
        XCTAssertEqual(aspirin[0], "CC(=O)Oc1ccccc1C(=O)O")
        XCTAssertEqual(aspirin[1], "1")
        XCTAssertEqual(Double(aspirin[2])!, 180.15899999999996, accuracy: 1e-9)
        XCTAssertEqual(Double(aspirin[3])!, 1.3101, accuracy: 1e-9)
        XCTAssertEqual(Double(aspirin[5])!, 63.6, accuracy: 1e-9)
        XCTAssertEqual(Array(aspirin[6 ... 10]), ["4", "1", "2", "1", "2"])
        XCTAssertEqual(Double(aspirin[11])!, 0.5501217966938848, accuracy: 1e-12)
        XCTAssertEqual(Double(aspirin[12])!, 1.580039750008826, accuracy: 1e-12)
        XCTAssertEqual(Double(aspirin[13])!, 1.3101 - 1.580039750008826, accuracy: 1e-12)
        XCTAssertEqual(aspirin[14], "")
        let bad = out[2].split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(bad.count, 15)
        XCTAssertEqual(bad[0], "C1CC")
        XCTAssertEqual(bad[1], "0")
        XCTAssertTrue(bad[2 ... 13].allSatisfy { $0.isEmpty })
        XCTAssertTrue(bad[14].hasPrefix("parse: "), String(bad[14]))
        XCTAssertTrue(out[3].hasPrefix(",0,"), out[3])
        XCTAssertTrue(out[4].hasPrefix("c1ccccc1,1,78.11"), out[4])
        XCTAssertTrue(r.stderr.contains("4 lines, 2 valid, 2 invalid"), r.stderr)
    }

    func testPropsFingerprintColumnAndThreadsGiveSameOutput() throws {
        let input = (0 ..< 50).map { ["CCO", "c1ccccc1", "CC(=O)Nc1ccc(O)cc1", "C1CC"][$0 % 4] }.joined(separator: "\n")
        let one = try RTCommand.run(["chem", "props", "--fingerprint", "--threads", "1", "--quiet"], stdin: input)
        let many = try RTCommand.run(["chem", "props", "--fingerprint", "--threads", "3", "--quiet"], stdin: input)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(one.stdout, many.stdout)
        let out = lines(one)
        XCTAssertEqual(out.count, 51)
        XCTAssertTrue(out[0].hasSuffix(",plogp,morgan,error"))
        // Benzene's 2048-bit radius-2 on-bits (RDKit): 389 1088 1873.
        XCTAssertTrue(out[2].hasSuffix(",389 1088 1873,"), out[2])
    }

    func testSimilarRanksByTanimoto() throws {
        let r = try RTCommand.run(["chem", "similar", "--query", "c1ccccc1O", "--quiet"],
                                  stdin: "CCCC\nc1ccccc1O\nnot-a-molecule\nCc1ccccc1O\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = lines(r)
        XCTAssertEqual(out[0], "rank,line,smiles,similarity")
        XCTAssertEqual(out.count, 4)
        XCTAssertEqual(out[1], "1,2,c1ccccc1O,1.0")
        XCTAssertTrue(out[2].hasPrefix("2,4,Cc1ccccc1O,"), out[2])
        XCTAssertTrue(out[3].hasPrefix("3,1,CCCC,"), out[3])
        let top = try RTCommand.run(["chem", "similar", "--query", "c1ccccc1O", "--top", "1", "--kind", "counts"],
                                    stdin: "CCCC\nc1ccccc1O\n")
        XCTAssertEqual(lines(top), ["rank,line,smiles,similarity", "1,2,c1ccccc1O,1.0"])
        XCTAssertTrue(top.stderr.contains("2 lines, 2 valid, 0 invalid, 1 printed"), top.stderr)
    }

    func testBadArgumentsFail() throws {
        let q = try RTCommand.run(["chem", "similar", "--query", "C1CC"], stdin: "CC\n")
        XCTAssertNotEqual(q.status, 0)
        XCTAssertTrue(q.stderr.contains("not a valid molecule"), q.stderr)
        let f = try RTCommand.run(["chem", "props", "/nonexistent/file.smi"])
        XCTAssertNotEqual(f.status, 0)
        XCTAssertTrue(f.stderr.contains("/nonexistent/file.smi"), f.stderr)
    }
}
