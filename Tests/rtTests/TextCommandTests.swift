import Foundation
import XCTest

/// End-to-end runs of `rt tokenize` and `rt vocab`.
final class TextCommandTests: XCTestCase {
    static let fixtures = TestFiles.text
    static let smallMolecules = fixtures.appendingPathComponent("smallmolecules.txt").path

    private func temporaryDirectory() throws -> URL { try TestFiles.scratch(for: self, "rt-text") }

    func testTokenizePrintsOneLinePerInputLineAndFailsAtTheEnd() throws {
        let input = "<qed>0.3936|CBr\n<qed>.5|C\n\n<qed>[MASK][MASK][MASK]|[C][O]\nCC(=O)O\n"
        let result = try RTCommand.run(["tokenize"], stdin: input)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, """
            <qed> _0_0_ _._ _3_-1_ _9_-2_ _3_-3_ _6_-4_ | C Br
            error: column 6: the value of <qed> needs a digit before the decimal point (write 0.5, not .5)
            error: empty line
            <qed> [MASK] [MASK] [MASK] | [C] [O]
            C C ( = O ) O

            """)
        XCTAssertTrue(result.stderr.contains("2 of 5 lines could not be tokenized"), result.stderr)
        XCTAssertTrue(result.stderr.contains("<stdin>:2:"), result.stderr)
    }

    func testTokenizeSucceedsOnGoodInputAndReadsFiles() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("in.txt")
        try "<stab>0.66|GSQEV\nMKV\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try RTCommand.run(["tokenize", file.path, "--language", "aas", "--special"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            [CLS] <stab> _0_0_ _._ _6_-1_ _6_-2_ | G S Q E V [PAD] [SEP]
            [CLS] M K V [PAD] [SEP]

            """)
        XCTAssertEqual(result.stderr, "")
    }

    func testTokenizeIDsWithAVocabulary() throws {
        let input = "<qed>0.3936|[C][Br]\n<esol>-3.53|[C][C][Branch1_1][C][O]\n<qed>0.5|CBr\n"
        let result = try RTCommand.run(
            ["tokenize", "--language", "selfies", "--vocab", Self.smallMolecules, "--ids", "--special"], stdin: input)
        XCTAssertEqual(result.status, 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines[0], "12 16 32 25 65 144 67 107 15 164 169 13")
        XCTAssertEqual(lines[1], "12 21 1 71 25 91 66 15 164 164 163 164 170 13")
        XCTAssertTrue(lines[2].hasPrefix("error: "), String(lines[2]))
        // The original's SMILES default with [UNK] on request.
        let allowing = try RTCommand.run(
            ["tokenize", "--vocab", Self.smallMolecules, "--ids", "--allow-unknown"], stdin: "<qed>0.3936|CBr\n")
        XCTAssertEqual(allowing.status, 0, allowing.stderr)
        XCTAssertEqual(allowing.stdout, "16 32 25 65 144 67 107 15 11 11\n")
        let tokens = try RTCommand.run(
            ["tokenize", "--vocab", Self.smallMolecules, "--allow-unknown", "--special"], stdin: "<qed>0.5|CBr\n")
        XCTAssertEqual(tokens.stdout, "[CLS] <qed> _0_0_ _._ _5_-1_ | [UNK] [UNK] [PAD] [SEP]\n")
    }

    func testTokenizeJSON() throws {
        let result = try RTCommand.run(["tokenize", "--format", "json"], stdin: "<qed>0.5|C\\C\n<qed>x|C\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, """
            {"line":1,"tokens":["<qed>","_0_0_","_._","_5_-1_","|","C","\\\\","C"]}
            {"line":2,"error":"column 6: the value of <qed> is not a number: 'x'"}

            """)
        let spaces = try RTCommand.run(["tokenize", "--format", "json", "--faithful", "--language", "aas", "--special"],
                                       stdin: "A B\n")
        XCTAssertEqual(spaces.stdout, "{\"line\":1,\"tokens\":[\"[CLS]\",\"A\",\" \",\"B\",\"[PAD]\",\"[SEP]\"]}\n")
        let withIDs = try RTCommand.run(
            ["tokenize", "--format", "json", "--vocab", Self.smallMolecules, "--language", "selfies"],
            stdin: "<qed>0.5|[C]\n")
        XCTAssertEqual(withIDs.stdout,
                       "{\"line\":1,\"tokens\":[\"<qed>\",\"_0_0_\",\"_._\",\"_5_-1_\",\"|\",\"[C]\"],\"ids\":[16,32,25,91,15,164]}\n")
    }

    func testTokenizeCSV() throws {
        let plain = try RTCommand.run(["tokenize", "--format", "csv"], stdin: "<qed>0.5|CO\n<qed>x|C\nC,C\n")
        XCTAssertEqual(plain.status, 1)
        XCTAssertEqual(plain.lines, ["line,tokens,error", "1,<qed> _0_0_ _._ _5_-1_ | C O,",
                                     "2,,column 6: the value of <qed> is not a number: 'x'",
                                     "3,,\"column 2: ',' is not part of the SMILES alphabet\""])
        let withIDs = try RTCommand.run(
            ["tokenize", "--format", "csv", "--vocab", Self.smallMolecules, "--language", "selfies"],
            stdin: "<qed>0.5|[C]\n[C]x\n")
        XCTAssertEqual(withIDs.lines, ["line,tokens,ids,error", "1,<qed> _0_0_ _._ _5_-1_ | [C],16 32 25 91 15 164,",
                                       "2,,,column 4: 'x' after the last SELFIES symbol is not SELFIES"])
    }

    func testTokenizeFaithfulReproducesTheOriginalsDrops() throws {
        let result = try RTCommand.run(["tokenize", "--faithful"], stdin: "<qed>.5|CCH\n<qed>1e-05|C\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "| C C\n<qed> _1_0_ | C\n")
    }

    func testTokenizeUsageErrors() throws {
        let noVocab = try RTCommand.run(["tokenize", "--ids"], stdin: "C\n")
        XCTAssertNotEqual(noVocab.status, 0)
        XCTAssertTrue(noVocab.stderr.contains("--ids needs --vocab"), noVocab.stderr)
        let missing = try RTCommand.run(["tokenize", "/nonexistent/file.txt"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/file.txt"), missing.stderr)
        let language = try RTCommand.run(["tokenize", "--language", "klingon"], stdin: "C\n")
        XCTAssertNotEqual(language.status, 0)
        let help = try RTCommand.run(["tokenize", "--help"])
        XCTAssertTrue(help.stdout.contains("Examples:"), help.stdout)
    }

    func testVocabBuildWritesTheVocabularyAndExtendsKeepingIDs() throws {
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("vocab.txt").path
        let data = Self.fixtures.appendingPathComponent("qed_property_example.txt").path
        let result = try RTCommand.run(["vocab", "build", data, "-o", output])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("136 tokens from 10 lines"), result.stderr)
        let written = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(written.count, 136)
        XCTAssertEqual(Array(written.prefix(10)), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "|", "_-_", "_+_", "_._", "<qed>"])
        XCTAssertEqual(Array(written.suffix(6)), ["C", "N", "O", "S", "=", "Br"])
        // The vocabulary encodes its data.
        let tokenized = try RTCommand.run(["tokenize", data, "--vocab", output, "--ids"])
        XCTAssertEqual(tokenized.status, 0, tokenized.stderr)

        let extended = directory.appendingPathComponent("extended.txt").path
        let csv = directory.appendingPathComponent("esol.csv")
        try "smiles,logSolubility\nClCCl,-0.63\nCc1ccccc1,-2.21\n".write(to: csv, atomically: true, encoding: .utf8)
        let extend = try RTCommand.run([
            "vocab", "build", csv.path, "--extend", output, "-o", extended, "--text-column", "smiles",
            "--property-column", "logSolubility=esol", "--property", "qed2",
        ])
        XCTAssertEqual(extend.status, 0, extend.stderr)
        let extendedTokens = try String(contentsOfFile: extended, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(extendedTokens.prefix(136)), written)
        XCTAssertEqual(Array(extendedTokens.dropFirst(136)), ["<qed2>", "<esol>", "c", "Cl", "1"])
    }

    func testVocabBuildReportsBadDataAndWritesNothing() throws {
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("vocab.txt").path
        let csv = directory.appendingPathComponent("data.csv")
        try "smiles,qed\nCCO,0.4\n".write(to: csv, atomically: true, encoding: .utf8)
        let result = try RTCommand.run(["vocab", "build", csv.path, "-o", output])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("data.csv:1: the CSV has no 'text' column"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))

        let lines = directory.appendingPathComponent("data.txt")
        try "<qed>0.4|CCO\n<qed>1e-5|CC\n<qed>0.5|CCN\n".write(to: lines, atomically: true, encoding: .utf8)
        let bad = try RTCommand.run(["vocab", "build", lines.path, "-o", output])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("data.txt:2: column 6: the value of <qed> is in scientific notation"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
        let skipping = try RTCommand.run(["vocab", "build", lines.path, "-o", output, "--skip-invalid"])
        XCTAssertEqual(skipping.status, 0, skipping.stderr)
        XCTAssertTrue(skipping.stderr.contains("1 invalid line skipped"), skipping.stderr)
    }

    func testVocabInfo() throws {
        let result = try RTCommand.run(["vocab", "info", Self.smallMolecules])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("tokens: 507\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("[PAD]=0 [UNK]=11 [CLS]=12 [SEP]=13 [MASK]=14 |=15"), result.stdout)
        XCTAssertTrue(result.stdout.contains("missing _0_-6_"), result.stdout)
        let proteins = try RTCommand.run(["vocab", "info", Self.fixtures.appendingPathComponent("proteins.txt").path,
                                          "--format", "json"])
        XCTAssertTrue(proteins.stdout.contains("\"[PAD]\":1"), proteins.stdout)
        let csv = try RTCommand.run(["vocab", "info", Self.smallMolecules, "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertEqual(csv.lines.first, "tokens,pad,unk,cls,sep,mask,separator,tags,digit_tokens,orders,missing_digit_tokens")
        XCTAssertTrue(csv.lines.last?.hasPrefix("507,0,11,12,13,14,15,") ?? false, csv.stdout)
    }

    func testConvertSMILESForASELFIESVocabulary() throws {
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("vocab.txt").path
        let data = Self.fixtures.appendingPathComponent("chembl_example_999_props_selfies.csv").path
        let result = try RTCommand.run([
            "vocab", "build", data, "--language", "selfies", "--convert-smiles", "--text-column", "smiles",
            "--property-column", "qed", "--decimals", "keep", "-o", output,
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("from 999 lines"), result.stderr)
        let tokens = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertTrue(tokens.contains("[Branch1_1]"))
        XCTAssertFalse(tokens.contains("C"))
        let tokenized = try RTCommand.run(
            ["tokenize", "--language", "selfies", "--convert-smiles", "--vocab", output],
            stdin: "<qed>0.3936|CBr\nC(C)(C)(C)(C)C\n")
        XCTAssertEqual(tokenized.status, 1)
        let lines = tokenized.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "<qed> _0_0_ _._ _3_-1_ _9_-2_ _3_-3_ _6_-4_ | [C] [Br]")
        XCTAssertTrue(lines[1].hasPrefix("error: cannot convert the sequence (SMILES → SELFIES): valence"), lines[1])
        let wrongLanguage = try RTCommand.run(["tokenize", "--convert-smiles"], stdin: "C\n")
        XCTAssertNotEqual(wrongLanguage.status, 0)
        XCTAssertTrue(wrongLanguage.stderr.contains("--convert-smiles needs --language selfies"), wrongLanguage.stderr)
    }
}
