import Foundation
import XCTest

/// Bad input never crashes `rt` and never passes silently (README, "Conventions"): every verb that reads input is
/// fed a missing file, a directory, an empty file, binary garbage, invalid UTF-8, a 1 MB line, a CRLF file and a
/// truncated gzip, and bad option values. Each run must end by exiting — never by a signal — with the status the
/// conventions give (0 success, 1 failure, 2 usage) and a message that names the file (and line).
final class RobustnessTests: XCTestCase {
    /// The bad inputs, written into a scratch folder.
    struct BadInputs {
        let folder: URL
        var missing: String { folder.appendingPathComponent("missing.txt").path }
        var directory: String { folder.appendingPathComponent("a-folder").path }
        var empty: String { folder.appendingPathComponent("empty.txt").path }
        /// 4 KiB of seeded random bytes (not UTF-8), with line breaks.
        var garbage: String { folder.appendingPathComponent("garbage.bin").path }
        /// `CC\xFF\xFEO` and a line that ends in the middle of a two-byte character.
        var invalidUTF8: String { folder.appendingPathComponent("latin1.txt").path }
        /// One line of 1 MiB of `C` (SMILES), and the same length of `[C]` (SELFIES).
        var longSMILES: String { folder.appendingPathComponent("long.smi").path }
        var longSELFIES: String { folder.appendingPathComponent("long.selfies").path }
        var crlfSMILES: String { folder.appendingPathComponent("crlf.smi").path }
        /// A gzip file cut short (the Compression tests' fixture).
        var truncatedGzip: String { TestFiles.compression.appendingPathComponent("text.truncated.gz").path }

        static let garbageLines = 13

        init(in folder: URL) throws {
            self.folder = folder
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data().write(to: URL(fileURLWithPath: empty))
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            var bytes: [UInt8] = []
            for i in 0..<4096 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(i % 320 == 319 ? 0x0A : UInt8(truncatingIfNeeded: state >> 56) | 0x80)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: garbage))
            try Data([0x43, 0x43, 0xFF, 0xFE, 0x4F, 0x0A, 0x43, 0xC3, 0x0A]).write(to: URL(fileURLWithPath: invalidUTF8))
            try (String(repeating: "C", count: 1 << 20) + "\n").write(toFile: longSMILES, atomically: true, encoding: .utf8)
            try (String(repeating: "[C]", count: (1 << 20) / 3) + "\n").write(toFile: longSELFIES, atomically: true, encoding: .utf8)
            try "CCO\r\nc1ccccc1\r\n".write(toFile: crlfSMILES, atomically: true, encoding: .utf8)
        }
    }

    var inputs: BadInputs!

    override func setUpWithError() throws {
        inputs = try BadInputs(in: TestFiles.scratch(for: self, "rt-robustness"))
    }

    /// Runs `rt`, checks that it exited with `status` (not by a signal) and that stderr holds every `message`.
    @discardableResult
    func expect(_ arguments: [String], status: Int32, stderr messages: [String] = [], stdin: String = "",
                environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws
        -> CommandResult
    {
        let r = try RTCommand.run(arguments, stdin: stdin, environment: environment)
        let call = "rt " + arguments.joined(separator: " ")
        XCTAssertFalse(r.crashed, "\(call) crashed (signal \(r.status)): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.status, status, "\(call): \(r.stderr)", file: file, line: line)
        for message in messages {
            XCTAssertTrue(r.stderr.contains(message), "\(call): '\(message)' not in stderr: \(r.stderr)", file: file, line: line)
        }
        return r
    }

    /// The unreadable inputs every verb that reads a file must refuse with status 1, naming the file.
    func expectUnreadableInputsFail(_ verb: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        try expect(verb + [inputs.missing], status: 1, stderr: ["rt: \(inputs.missing): cannot open"], file: file, line: line)
        try expect(verb + [inputs.directory], status: 1, stderr: ["rt: \(inputs.directory): is a directory"],
                   file: file, line: line)
        try expect(verb + [inputs.truncatedGzip], status: 1,
                   stderr: ["rt: \(inputs.truncatedGzip): unexpected end of compressed data"], file: file, line: line)
    }

    // MARK: rt tokenize

    func testTokenize() throws {
        try expectUnreadableInputsFail(["tokenize"])
        let empty = try expect(["tokenize", inputs.empty], status: 0)
        XCTAssertEqual(empty.stdout, "")
        let garbage = try expect(["tokenize", inputs.garbage], status: 1,
                                 stderr: ["of \(BadInputs.garbageLines) lines could not be tokenized (first: \(inputs.garbage):1: not valid UTF-8 text (byte 0x"])
        XCTAssertEqual(garbage.lines.count, BadInputs.garbageLines)
        XCTAssertTrue(garbage.lines.allSatisfy { $0.hasPrefix("error: not valid UTF-8 text (byte 0x") }, garbage.stdout)
        let latin1 = try expect(["tokenize", inputs.invalidUTF8], status: 1,
                                stderr: ["2 of 2 lines could not be tokenized (first: \(inputs.invalidUTF8):1: not valid UTF-8 text (byte 0xFF at column 3))"])
        XCTAssertEqual(latin1.lines, ["error: not valid UTF-8 text (byte 0xFF at column 3)",
                                      "error: not valid UTF-8 text (byte 0xC3 at column 2)"])
        let json = try expect(["tokenize", inputs.invalidUTF8, "--format", "json"], status: 1)
        XCTAssertEqual(json.lines.first, #"{"line":1,"error":"not valid UTF-8 text (byte 0xFF at column 3)"}"#)
        let long = try expect(["tokenize", inputs.longSMILES], status: 0)
        XCTAssertEqual(long.stdout.utf8.count, 2 << 20)  // "C C … C\n"
        let crlf = try expect(["tokenize", inputs.crlfSMILES], status: 0)
        XCTAssertEqual(crlf.stdout, "C C O\nc 1 c c c c c 1\n")
        // Bad option values are usage errors; a bad vocabulary file is named.
        try expect(["tokenize", "--format", "xml"], status: 2, stderr: ["rt: ", "--format"])
        try expect(["tokenize", "--language", "klingon"], status: 2, stderr: ["'klingon'"])
        try expect(["tokenize", "--ids"], status: 2, stderr: ["rt: --ids needs --vocab"])
        try expect(["tokenize", "--vocab", inputs.missing], status: 1, stderr: ["rt: \(inputs.missing): cannot read"], stdin: "C\n")
        try expect(["tokenize", "--vocab", inputs.directory], status: 1, stderr: ["\(inputs.directory): is a directory"], stdin: "C\n")
        try expect(["tokenize", "--vocab", inputs.garbage], status: 1, stderr: ["\(inputs.garbage): the vocabulary file is not valid UTF-8"],
                   stdin: "C\n")
    }

    // MARK: rt vocab

    func testVocabBuild() throws {
        let output = inputs.folder.appendingPathComponent("vocab.txt").path
        try expectUnreadableInputsFail(["vocab", "build", "-o", output])
        let empty = try expect(["vocab", "build", inputs.empty, "-o", output], status: 0, stderr: ["from 0 lines"])
        XCTAssertEqual(empty.stdout, "")
        try FileManager.default.removeItem(atPath: output)
        try expect(["vocab", "build", inputs.garbage, "-o", output], status: 1,
                   stderr: ["rt: \(inputs.garbage): \(BadInputs.garbageLines) invalid lines", "\(inputs.garbage):1: not valid UTF-8 text"])
        try expect(["vocab", "build", inputs.invalidUTF8, "-o", output], status: 1,
                   stderr: ["\(inputs.invalidUTF8):1: not valid UTF-8 text (byte 0xFF at column 3)",
                            "\(inputs.invalidUTF8):2: not valid UTF-8 text (byte 0xC3 at column 2)"])
        let csv = inputs.folder.appendingPathComponent("latin1.csv").path
        try Data([0x74, 0x65, 0x78, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: csv))
        try expect(["vocab", "build", csv, "-o", output], status: 1, stderr: ["\(csv):1: not valid UTF-8 text (byte 0xE9 at column 4)"])
        // Nothing is written when the data is bad, and no temporary file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: inputs.folder.path).filter { $0.hasPrefix("vocab") }, [])
        try expect(["vocab", "build", inputs.longSMILES, "-o", output], status: 0, stderr: ["from 1 line"])
        try expect(["vocab", "build", inputs.crlfSMILES, "-o", output], status: 0, stderr: ["from 2 lines"])
        let tokens = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertFalse(tokens.contains { $0.contains("\r") })
        XCTAssertEqual(Set(tokens.suffix(4)), ["C", "O", "c", "1"])
        // An output that cannot be written is named; an existing vocabulary is replaced only when all went well.
        let before = try String(contentsOfFile: output, encoding: .utf8)
        try expect(["vocab", "build", inputs.garbage, "-o", output], status: 1)
        XCTAssertEqual(try String(contentsOfFile: output, encoding: .utf8), before)
        let nowhere = inputs.folder.appendingPathComponent("no/such/folder/vocab.txt").path
        try expect(["vocab", "build", inputs.crlfSMILES, "-o", nowhere], status: 1, stderr: ["rt: \(nowhere): cannot write the vocabulary"])
        try expect(["vocab", "build", inputs.crlfSMILES, "-o", inputs.directory], status: 1,
                   stderr: ["rt: \(inputs.directory): cannot write the vocabulary"])
        // Bad option values.
        try expect(["vocab", "build", inputs.crlfSMILES, "-o", output, "--max-order", "9223372036854775807"], status: 2,
                   stderr: ["rt: --max-order must be from -38 to 38"])
        try expect(["vocab", "build", inputs.crlfSMILES, "-o", output, "--min-order", "3", "--max-order", "2"], status: 2)
        try expect(["vocab", "build", inputs.crlfSMILES, "-o", output, "--property-column", ""], status: 2,
                   stderr: ["rt: --property-column: expected COLUMN or COLUMN=NAME, not ''", "Usage: rt vocab build"])
        try expect(["vocab", "build", inputs.crlfSMILES, "-o", output, "--decimals", "-1"], status: 2, stderr: ["--decimals"])
        try expect(["vocab", "build", inputs.crlfSMILES, "-o", output, "--property", "a b"], status: 2, stderr: ["'a b'"])
        try expect(["vocab", "build", inputs.crlfSMILES], status: 2, stderr: ["--output"])
    }

    func testVocabInfo() throws {
        try expect(["vocab", "info", inputs.missing], status: 1, stderr: ["rt: \(inputs.missing): cannot read the vocabulary file"])
        try expect(["vocab", "info", inputs.directory], status: 1, stderr: ["rt: \(inputs.directory): is a directory"])
        try expect(["vocab", "info", inputs.empty], status: 1, stderr: ["rt: \(inputs.empty): the vocabulary lacks the required token(s)"])
        try expect(["vocab", "info", inputs.garbage], status: 1, stderr: ["rt: \(inputs.garbage): the vocabulary file is not valid UTF-8"])
        try expect(["vocab", "info", inputs.invalidUTF8], status: 1, stderr: ["not valid UTF-8"])
        try expect(["vocab", "info", inputs.longSMILES], status: 1, stderr: ["lacks the required token(s)"])
        try expect(["vocab", "info", inputs.truncatedGzip], status: 1, stderr: ["rt: \(inputs.truncatedGzip): "])
        let vocabulary = TestFiles.text.appendingPathComponent("smallmolecules.txt").path
        try expect(["vocab", "info", vocabulary, "--format", "xml"], status: 2, stderr: ["--format"])
        try expect(["vocab", "info"], status: 2, stderr: ["Missing expected argument"])
    }

    // MARK: rt chem validate | canonical | to-selfies | to-smiles

    func testChemLineVerbs() throws {
        for verb in ["validate", "canonical", "to-selfies", "to-smiles"] {
            let command = ["chem", verb]
            try expectUnreadableInputsFail(command)
            let empty = try expect(command + [inputs.empty], status: 0, stderr: ["rt chem \(verb): 0 lines, 0 valid, 0 errors"])
            XCTAssertEqual(empty.stdout, "")
            let garbage = try expect(command + [inputs.garbage], status: 1,
                                     stderr: ["(first: \(inputs.garbage):1: \(verb == "to-smiles" ? "selfies" : "parse"): not valid UTF-8 text"])
            XCTAssertEqual(garbage.lines.count, BadInputs.garbageLines, verb)
            let latin1 = try expect(command + [inputs.invalidUTF8, "--format", "csv"], status: 1,
                                    stderr: ["2 lines, 0 valid, 2 errors (first: \(inputs.invalidUTF8):1: "])
            let errorClass = verb == "to-smiles" ? "selfies" : "parse"
            XCTAssertEqual(latin1.lines.dropFirst().map { $0.split(separator: ",").dropFirst().joined(separator: ",") },
                           ["\(errorClass),not valid UTF-8 text (byte 0xFF at position 3)",
                            "\(errorClass),not valid UTF-8 text (byte 0xC3 at position 2)"], verb)
            try expect(command + ["--format", "xml"], status: 2, stderr: ["--format"])
        }
        let crlf = try expect(["chem", "canonical", inputs.crlfSMILES, "--quiet"], status: 0)
        XCTAssertEqual(crlf.stdout, "CCO\nc1ccccc1\n")
        // A 1 MiB line: a million-atom chain is a valid molecule and has a SELFIES string; its canonical ranking is
        // beyond the work limit and says so (in about a second, not hours).
        let valid = try expect(["chem", "validate", inputs.longSMILES, "--quiet"], status: 0)
        XCTAssertEqual(valid.stdout, "valid\n")
        let selfies = try expect(["chem", "to-selfies", inputs.longSMILES, "--quiet"], status: 0)
        XCTAssertEqual(selfies.stdout.utf8.count, 3 << 20 + 1)
        let canonical = try expect(["chem", "canonical", inputs.longSMILES], status: 1,
                                   stderr: ["(first: \(inputs.longSMILES):1: limit: ranking the 1048576 atoms takes more than"])
        XCTAssertEqual(canonical.lines.count, 1)
        XCTAssertTrue(canonical.stdout.hasPrefix("error: limit: "), canonical.stdout)
        let decoded = try expect(["chem", "to-smiles", inputs.longSELFIES, "--quiet"], status: 0)
        XCTAssertEqual(decoded.stdout.utf8.count, (1 << 20) / 3 + 1)
    }

    // MARK: rt chem props | similar

    /// A line that is not UTF-8 gets its own error row and the later lines are still computed; a molecule beyond
    /// the descriptors' atom limit gets a `limit` error in about a second (a 1,048,576-atom chain would otherwise
    /// need ~2 TB for its Morgan bond sets and hours for the SA score's stereocentre search).
    func testChemPropsAndSimilarKeepGoing() throws {
        let mixed = inputs.folder.appendingPathComponent("mixed.smi")
        try Data([0x43, 0x43, 0x4F, 0x0A, 0xFF, 0xFE, 0x43, 0x0A, 0x63, 0x31, 0x63, 0x63, 0x63, 0x63, 0x63, 0x31, 0x0A])
            .write(to: mixed)
        let props = try expect(["chem", "props", mixed.path], status: 0,
                               stderr: ["3 lines, 2 valid, 1 invalid (first: \(mixed.path):2: parse: not valid UTF-8 text"])
        XCTAssertEqual(props.lines.count, 4)
        XCTAssertTrue(props.lines[1].hasPrefix("CCO,1,46.069,"), props.lines[1])
        XCTAssertEqual(props.lines[2], ",0,,,,,,,,,,,,,parse: not valid UTF-8 text (byte 0xFF at position 1)")
        XCTAssertTrue(props.lines[3].hasPrefix("c1ccccc1,1,78.11"), props.lines[3])
        let similar = try expect(["chem", "similar", mixed.path, "--query", "CCO"], status: 0,
                                 stderr: ["3 lines, 2 valid, 1 invalid, 2 printed"])
        XCTAssertEqual(similar.lines.first, "rank,line,smiles,similarity")
        XCTAssertEqual(similar.lines.dropFirst().map { $0.split(separator: ",")[1] }, ["1", "3"])

        let start = Date()
        let long = try expect(["chem", "props", inputs.longSMILES], status: 0,
                              stderr: ["(first: \(inputs.longSMILES):1: limit: the molecule has 1048576 atoms, more than the limit of 10000"])
        XCTAssertEqual(long.lines.count, 2)
        XCTAssertTrue(long.lines[1].hasSuffix(",1,,,,,,,,,,,,,\"limit: the molecule has 1048576 atoms, more than the limit of 10000 for descriptors and fingerprints\""))
        XCTAssertLessThan(Date().timeIntervalSince(start), 60, "a refusal must not take minutes")
        // Just under the atom limit, the stereocentre search of a 9,000-atom chain stops at its work limit.
        let chain = inputs.folder.appendingPathComponent("chain9000.smi")
        try (String(repeating: "C", count: 9_000) + "\n").write(to: chain, atomically: true, encoding: .utf8)
        try expect(["chem", "props", chain.path], status: 0,
                   stderr: ["limit: finding the stereocentres of the 9000 atoms takes more than 20000000 refinement steps"])
    }

    // MARK: rt predict | embed: long and unknown input

    /// Lines beyond the model's length limit get one error row each, in a second, and the other lines are still
    /// predicted (the shipped model was trained with block_size 510); `--max-length` moves the limit.
    func testPredictRefusesSequencesBeyondTheLengthLimit() throws {
        let file = inputs.folder.appendingPathComponent("mixed-lengths.smi")
        let medium = String(repeating: "C", count: 600)  // 600 atoms: 610 ids with the prefix and specials
        try ("CCO\n" + String(repeating: "C", count: 20_000) + "\n" + medium + "\n" + "c1ccccc1\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let start = Date()
        for extra in [[], ["--format", "json"]] {
            let r = try expect(["predict", file.path] + extra, status: 1,
                               stderr: ["2 of 4 inputs could not be predicted (see the error column) (first: \(file.path):2: "
                                        + "sequence of 20000 characters exceeds the limit of 510 tokens"])
            XCTAssertEqual(r.lines.count, extra.isEmpty ? 5 : 4)
        }
        let csv = try expect(["predict", file.path], status: 1)
        XCTAssertTrue(csv.lines[1].hasPrefix("CCO,0."), csv.lines[1])
        XCTAssertTrue(csv.lines[3].hasSuffix(",,sequence of 610 tokens exceeds the limit of 510"), csv.lines[3])
        XCTAssertTrue(csv.lines[4].hasPrefix("c1ccccc1,0."), csv.lines[4])
        let long = try expect(["predict", inputs.longSMILES], status: 1,
                              stderr: ["sequence of 1048576 characters exceeds the limit of 510 tokens"])
        XCTAssertEqual(long.lines.count, 2)
        XCTAssertLessThan(Date().timeIntervalSince(start), 30, "refusals must be immediate")
        let raised = try expect(["predict", "--max-length", "700", "--estimate", "decoded"], status: 0, stdin: medium + "\n")
        XCTAssertTrue(raised.lines[1].hasPrefix(medium + ",0."), raised.lines[1])
        try expect(["predict", "--max-length", "2"], status: 2, stderr: ["--max-length must be at least 4"])
        let embed = try expect(["embed", "--model", "models/qed".withRepositoryRoot, "--max-length", "8"], status: 1,
                               stdin: "<qed>0.5|[C]\n<qed>0.5|[C][C][C][C][C]\n")
        XCTAssertEqual(embed.lines.count, 2)
        XCTAssertEqual(embed.lines[1], "{\"line\":2,\"error\":\"sequence of 12 tokens exceeds the limit of 8\"}")
    }

    /// A sequence token the model's vocabulary lacks is an error naming the token and the model; `--unknown-tokens
    /// unk` maps it to [UNK] and predicts, as the original does.
    func testPredictNamesUnknownTokensOrMapsThemToUNK() throws {
        let model = "models/qed".withRepositoryRoot
        let line = "[C][\\C@Hexpl][C]\n"
        let refused = try expect(["predict", "--model", model], status: 1, stdin: line)
        XCTAssertEqual(refused.lines[1], "[C][\\C@Hexpl][C],,\"the SELFIES symbol '[\\C@Hexpl]' is not in the vocabulary of "
                       + "\(model) (--unknown-tokens unk maps such tokens to [UNK], as the original does)\"")
        let mapped = try expect(["predict", "--model", model, "--unknown-tokens", "unk"], status: 0, stdin: line)
        XCTAssertTrue(mapped.lines[1].hasPrefix("[C][\\C@Hexpl][C],0."), mapped.lines[1])
        try expect(["predict", "--unknown-tokens", "maybe"], status: 2, stderr: ["--unknown-tokens"])
    }

    /// 400 seeded mutations of RT lines, SELFIES and SMILES (bytes replaced, inserted, deleted and duplicated from
    /// the characters the grammars use) through `rt predict` and `rt tokenize`: never a crash, exactly one output
    /// row per input line, and every failed row carries a reason.
    func testMutatedLinesNeverCrashTheModelVerbs() throws {
        let seeds = ["<qed>0.4068|[C][C][O]", "<qed>0.834|[O][=C][Branch1_1][Branch1_3][N][C][C][C][Ring1][Ring1][C]",
                     "CC(=O)Nc1ccc(O)cc1", "[C][=C][C][=C][C][=C][Ring1][Branch1_2]", "<qed>[MASK][MASK]|[C][N]"]
        let alphabet = Array("<>|[]()_.-+=#%@/\\0123456789CNOSclnos[MASK]qed ".utf8) + [0xC3, 0xFF]
        var state: UInt64 = 0x5DEE_CE66_D1CE_4E5B
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % n
        }
        var lines: [[UInt8]] = []
        for k in 0..<400 {
            var bytes = Array(seeds[k % seeds.count].utf8)
            for _ in 0..<(1 + next(4)) {
                let at = next(bytes.count + 1)
                switch next(4) {
                case 0 where at < bytes.count: bytes[at] = alphabet[next(alphabet.count)]
                case 1: bytes.insert(alphabet[next(alphabet.count)], at: at)
                case 2 where at < bytes.count: bytes.remove(at: at)
                default: bytes.insert(contentsOf: bytes[at...].prefix(next(12)), at: at)
                }
            }
            lines.append(bytes.filter { $0 != 0x0A && $0 != 0x0D })
        }
        let input = inputs.folder.appendingPathComponent("mutated.txt")
        try Data(lines.map { $0 + [0x0A] }.joined()).write(to: input)
        let model = "models/qed".withRepositoryRoot
        let predicted = try RTCommand.run(["predict", "--model", model, "--format", "json", input.path])
        XCTAssertFalse(predicted.crashed, predicted.stderr)
        XCTAssertTrue(predicted.status == 0 || predicted.status == 1, predicted.stderr)
        XCTAssertEqual(predicted.lines.count, 400)
        XCTAssertTrue(predicted.lines.allSatisfy { $0.contains("\"qed\":") || $0.contains("\"error\":\"") })
        let predictedCount = predicted.lines.filter { $0.contains("\"qed\":") }.count
        XCTAssertGreaterThan(predictedCount, 40, "mutations that stay readable are predicted")
        XCTAssertLessThan(predictedCount, 400, "most mutations break the line")
        let tokenized = try RTCommand.run(["tokenize", input.path, "--language", "selfies", "--vocab",
                                           "\(model)/vocab.txt", "--ids"])
        XCTAssertFalse(tokenized.crashed, tokenized.stderr)
        XCTAssertTrue(tokenized.status == 0 || tokenized.status == 1, tokenized.stderr)
        XCTAssertEqual(tokenized.lines.count, 400)
    }

    // MARK: rt bench gemm | ops | tokenize | chem

    func testBenchOptions() throws {
        let gemm = ["bench", "gemm", "--samples", "1", "--sample-time", "0.001"]
        try expect(gemm + ["--shapes", ":"], status: 2, stderr: ["rt: --shapes: cannot parse ':'"])
        try expect(gemm + ["--shapes", "8x8xz8x8"], status: 2, stderr: ["cannot parse '8x8xz8x8'"])
        try expect(gemm + ["--shapes", "100000x100000x100000"], status: 2, stderr: ["cannot parse '100000x100000x100000'"])
        try expect(gemm + ["--shapes", "9223372036854775807x2x2"], status: 2, stderr: ["cannot parse"])
        try expect(gemm + ["--threads", "1,x"], status: 2, stderr: ["rt: --threads: expected thread counts"])
        try expect(gemm + ["--threads", "0"], status: 2, stderr: ["rt: --threads"])
        try expect(["bench", "gemm", "--samples", "0"], status: 2, stderr: ["rt: --samples must be a positive whole number"])
        try expect(["bench", "gemm", "--sample-time", "nan"], status: 2, stderr: ["rt: --sample-time"])
        try expect(gemm + ["--shapes", "8x8x8"], status: 2, stderr: ["rt: GEMM backend: RT_BLAS=cuda"], environment: ["RT_BLAS": "cuda"])
        try expect(gemm + ["--shapes", "8x8x8"], status: 2, stderr: ["rt: RT_THREADS: '0' is not a thread count"],
                   environment: ["RT_THREADS": "0"])
        let ops = ["bench", "ops", "--samples", "1", "--sample-time", "0.001"]
        try expect(ops + ["--elements", "10"], status: 2, stderr: ["rt: --elements must be from 1024"])
        try expect(ops + ["--elements", "9223372036854775807"], status: 2, stderr: ["rt: --elements"])
        try expect(ops + ["--threads", "0"], status: 2, stderr: ["rt: --threads must be from 1"])
        try expect(ops + ["--sample-time=-1"], status: 2, stderr: ["rt: --sample-time"])
    }

    func testBenchTokenizeInputs() throws {
        let bench = ["bench", "tokenize", "--repeats", "1", "--input"]
        try expect(bench + [inputs.missing], status: 1, stderr: ["rt: \(inputs.missing): cannot open"])
        try expect(bench + [inputs.directory], status: 1, stderr: ["rt: \(inputs.directory): is a directory"])
        try expect(bench + [inputs.empty], status: 1, stderr: ["rt: \(inputs.empty): no lines to tokenize"])
        try expect(bench + [inputs.truncatedGzip], status: 1, stderr: ["rt: \(inputs.truncatedGzip): unexpected end"])
        // Lines that do not tokenize are part of the measurement (counted as failures), not an error.
        let garbage = try expect(bench + [inputs.garbage, "--format", "csv"], status: 0)
        XCTAssertTrue(garbage.lines.contains { $0.hasPrefix("split,\(BadInputs.garbageLines),") && $0.hasSuffix(",\(BadInputs.garbageLines)") },
                      garbage.stdout)
        try expect(bench + [inputs.crlfSMILES, "--limit", "0"], status: 2, stderr: ["rt: --limit must be a positive whole number"])
        try expect(["bench", "tokenize", "--repeats", "0"], status: 2, stderr: ["rt: --repeats"])
        // --file is the older name of --input.
        try expect(["bench", "tokenize", "--repeats", "1", "--file", inputs.crlfSMILES], status: 0)
    }

    func testBenchChemInputs() throws {
        let bench = ["bench", "chem", "--repeats", "1", "--limit", "50", "--input"]
        try expect(bench + [inputs.missing], status: 1, stderr: ["rt: \(inputs.missing): cannot open"])
        try expect(bench + [inputs.directory], status: 1, stderr: ["rt: \(inputs.directory): is a directory"])
        try expect(bench + [inputs.empty], status: 1, stderr: ["rt: \(inputs.empty): no SMILES"])
        try expect(bench + [inputs.truncatedGzip], status: 1, stderr: ["rt: \(inputs.truncatedGzip): unexpected end"])
        let garbage = try expect(bench + [inputs.garbage, "--format", "json"], status: 0)
        XCTAssertTrue(garbage.stdout.hasPrefix("{\"molecules\":\(BadInputs.garbageLines),\"valid\":0,"), garbage.stdout)
        try expect(bench + [inputs.crlfSMILES, "--peer", inputs.missing], status: 1, stderr: ["rt: --peer \(inputs.missing): cannot run"])
        try expect(["bench", "chem", "--limit", "0"], status: 2, stderr: ["rt: --limit"])
        try expect(["bench", "chem", "--fuzz", "0"], status: 2, stderr: ["rt: --fuzz"])
        try expect(["bench", "chem", "--repeats=-3"], status: 2, stderr: ["rt: --repeats"])
        let fuzz = try expect(["bench", "chem", "--fuzz", "200", "--seed", "3"], status: 0)
        XCTAssertTrue(fuzz.stdout.hasPrefix("fuzz inputs: 200 "), fuzz.stdout)
        XCTAssertTrue(fuzz.stdout.contains("errors without a message: 0"), fuzz.stdout)
    }

    // MARK: the whole tool

    func testUsageErrorsAndEnvironment() throws {
        try expect(["no-such-verb"], status: 2, stderr: ["rt: "])
        try expect(["chem", "validate", "--no-such-option"], status: 2, stderr: ["rt: Unknown option '--no-such-option'"])
        try expect(["chem", "validate", "--quiet"], status: 2, stderr: ["rt: GEMM backend: RT_BLAS=swfit: expected 'swift' or 'openblas'"], stdin: "C\n",
                   environment: ["RT_BLAS": "swfit"])
        try expect(["chem", "validate", "--quiet"], status: 2, stderr: ["rt: RT_THREADS: 'two'"], stdin: "C\n",
                   environment: ["RT_THREADS": "two"])
        try expect(["chem", "validate", "--quiet"], status: 0, stdin: "C\n", environment: ["RT_THREADS": "3", "RT_BLAS": "SWIFT"])
        let help = try expect(["chem", "--help"], status: 0)
        XCTAssertTrue(help.stdout.contains("Examples:"), help.stdout)
    }
}

extension String {
    /// A path relative to the repository root, made absolute.
    var withRepositoryRoot: String { TestFiles.tests.deletingLastPathComponent().appendingPathComponent(self).path }
}
