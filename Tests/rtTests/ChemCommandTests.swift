import XCTest

/// End-to-end runs of `rt chem …`: one output line per input line, in order, errors as `error: <class>: <reason>`.
final class ChemCommandTests: XCTestCase {
    func testValidateOneLinePerInput() throws {
        let r = try RTCommand.run(["chem", "validate"], stdin: "CCO\nC1CC\n\nC(C)(C)(C)(C)C\nc1cccc1\nc1ccccc1 benzene\n")
        XCTAssertEqual(r.status, 1, r.stderr)  // some lines failed (README, exit statuses)
        let out = r.lines
        XCTAssertEqual(out.count, 6)
        XCTAssertEqual(out[0], "valid")
        XCTAssertTrue(out[1].hasPrefix("error: parse: "), out[1])
        XCTAssertTrue(out[2].hasPrefix("error: parse: empty"), out[2])
        XCTAssertTrue(out[3].hasPrefix("error: valence: "), out[3])
        XCTAssertTrue(out[4].hasPrefix("error: kekulize: "), out[4])
        XCTAssertEqual(out[5], "valid")
        XCTAssertTrue(r.stderr.contains("rt chem validate: 6 lines, 2 valid, 4 errors (first: <stdin>:2: parse: "), r.stderr)
        let valid = try RTCommand.run(["chem", "validate"], stdin: "CCO\nc1ccccc1\n")
        XCTAssertEqual(valid.status, 0, valid.stderr)
        XCTAssertEqual(valid.stderr, "rt chem validate: 2 lines, 2 valid, 0 errors\n")
    }

    func testCanonicalIsOrderIndependent() throws {
        let r = try RTCommand.run(["chem", "canonical"], stdin: "OCC\nCCO\nC1=CC=CC=C1\nc1ccccc1\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = r.lines
        XCTAssertEqual(out.count, 4)
        XCTAssertEqual(out[0], out[1])
        XCTAssertEqual(out[2], out[3])
        XCTAssertEqual(out[2], "c1ccccc1")
    }

    func testSelfiesRoundTrip() throws {
        let enc = try RTCommand.run(["chem", "to-selfies", "--quiet"], stdin: "C=CF\nc1ccccc1\nC1CC\n")
        XCTAssertEqual(enc.lines, ["[C][=C][F]", "[C][=C][C][=C][C][=C][Ring1][Branch1_2]", "error: parse: unclosed ring 1"])
        let dec = try RTCommand.run(["chem", "to-smiles", "--quiet"], stdin: "[C][=C][F]\n[C][=C][C][=C][C][=C][Ring1][Branch1_2]\n[C]x\n")
        XCTAssertEqual(dec.lines, ["C=CF", "C1=CC=CC=C1", "error: selfies: misplaced or missing brackets"])
    }

    func testMissingFileFails() throws {
        let r = try RTCommand.run(["chem", "validate", "/nonexistent/file.smi"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("cannot open"), r.stderr)
    }

    func testCSVAndJSONFormats() throws {
        let csv = try RTCommand.run(["chem", "canonical", "--format", "csv", "--quiet"], stdin: "OCC\nC1CC\nC,C\n")
        XCTAssertEqual(csv.lines, ["input,result,error_class,error", "OCC,CCO,,", "C1CC,,parse,unclosed ring 1",
                                    "\"C,C\",,parse,\"unexpected character ',' at position 2\""])
        let json = try RTCommand.run(["chem", "validate", "--format", "json", "--quiet"], stdin: "CCO\nC1CC\n")
        XCTAssertEqual(json.lines, ["{\"input\":\"CCO\",\"result\":\"valid\"}",
                                     "{\"input\":\"C1CC\",\"error_class\":\"parse\",\"error\":\"unclosed ring 1\"}"])
    }
}
