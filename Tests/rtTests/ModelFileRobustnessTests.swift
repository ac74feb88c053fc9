import Foundation
import XCTest

/// Damaged model folders never crash `rt` (README, "Conventions"): truncated and bit-flipped weights
/// (`model.safetensors`, `pytorch_model.bin`), NaN weights, and broken `config.json`, `vocab.txt` and
/// `inference.json`. Every run exits — never by a signal — with status 0 (the damage left a usable model) or 1 with
/// a message naming the file at fault. CI runs this suite against the release binary too (`RT_TEST_BINARY`).
final class ModelFileRobustnessTests: XCTestCase {
    static let shipped = TestFiles.tests.deletingLastPathComponent().appendingPathComponent("models/qed")
    static let parity = TestFiles.tests.appendingPathComponent("RegressionTransformerTests/Fixtures/xlnet_parity/model")

    /// A copy of `source` in a scratch folder, `edit` applied to the bytes of `file` (nil: the file is removed).
    func damaged(_ source: URL, _ file: String, _ edit: ((inout [UInt8]) -> Void)?) throws -> URL {
        let folder = try TestFiles.scratch(for: self, "rt-damaged")
        let copy = folder.appendingPathComponent(source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: copy)
        let target = copy.appendingPathComponent(file)
        if let edit {
            var bytes = [UInt8](try Data(contentsOf: target))
            edit(&bytes)
            try Data(bytes).write(to: target)
        } else {
            try FileManager.default.removeItem(at: target)
        }
        return copy
    }

    /// Runs `arguments` and checks the outcome: no signal, status 0 or 1, and for 1 a message naming `file` in `model`.
    @discardableResult
    func expectHandled(_ arguments: [String], model: URL, file: String, stdin: String = "CCO\n",
                       mustFail: Bool = false, _ what: String, line: UInt = #line) throws -> CommandResult {
        let r = try RTCommand.run(arguments, stdin: stdin)
        XCTAssertFalse(r.crashed, "\(what): crashed (signal \(r.status)): \(r.stderr)", line: line)
        XCTAssertTrue(r.status == 1 || (!mustFail && r.status == 0), "\(what): status \(r.status): \(r.stderr)", line: line)
        if r.status == 1 {
            XCTAssertTrue(r.stderr.contains(model.appendingPathComponent(file).path), "\(what): \(r.stderr)", line: line)
        }
        return r
    }

    /// Seeded positions (a 64-bit LCG), so every run damages the same bytes.
    static func positions(_ count: Int, below limit: Int, seed: UInt64) -> [Int] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % limit
        }
    }

    func testDamagedSafetensorsNeverCrash() throws {
        let file = "model.safetensors"
        let size = try Data(contentsOf: Self.shipped.appendingPathComponent(file)).count
        var cases: [(String, (inout [UInt8]) -> Void, Bool)] = [
            ("empty", { $0 = [] }, true),
            ("7 bytes", { $0 = Array($0.prefix(7)) }, true),
            ("cut in the header", { $0 = Array($0.prefix(200)) }, true),
            ("cut in half", { $0 = Array($0.prefix($0.count / 2)) }, true),
            ("last byte missing", { $0.removeLast() }, true),
            ("header length 2^64 − 1", { for i in 0..<8 { $0[i] = 0xFF } }, true),
            ("header length 0", { for i in 0..<8 { $0[i] = 0 } }, true),
        ]
        // Eight 0xFF bytes (a NaN, or a broken header) at 24 seeded places, some in the header, most in the weights.
        for p in Self.positions(24, below: size - 8, seed: 13) {
            cases.append(("0xFF×8 at \(p)", { for i in p..<(p + 8) { $0[i] = 0xFF } }, false))
        }
        for p in Self.positions(16, below: 4096, seed: 14) {
            cases.append(("bit flip at \(p)", { $0[p] ^= 0x10 }, false))
        }
        for (what, edit, mustFail) in cases {
            let model = try damaged(Self.shipped, file, edit)
            try expectHandled(["predict", "--model", model.path], model: model, file: file, mustFail: mustFail, what)
        }
        // A NaN in a weight is named: tensor and element.
        let nan = try damaged(Self.shipped, file) { bytes in
            let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            for i in 0..<4 { bytes[8 + headerLength + 4 * 10 + i] = i == 3 ? 0x7F : (i == 2 ? 0xC0 : 0) }  // +NaN
        }
        let r = try expectHandled(["predict", "--model", nan.path], model: nan, file: file, mustFail: true, "NaN")
        XCTAssertTrue(r.stderr.contains("holds NaN at element 10 (weights must be finite"), r.stderr)
    }

    func testDamagedPytorchCheckpointsNeverCrash() throws {
        let file = "pytorch_model.bin"
        let clean = try damaged(Self.parity, "model.safetensors", nil)
        let size = try Data(contentsOf: clean.appendingPathComponent(file)).count
        var cases: [(String, (inout [UInt8]) -> Void, Bool)] = [
            ("empty", { $0 = [] }, true),
            ("cut in half", { $0 = Array($0.prefix($0.count / 2)) }, true),
            ("end of central directory missing", { $0 = Array($0.dropLast(22)) }, true),
        ]
        for p in Self.positions(12, below: size, seed: 15) { cases.append(("bit flip at \(p)", { $0[p] ^= 0x44 }, false)) }
        for p in Self.positions(6, below: 2048, seed: 16) { cases.append(("0xFF×8 at \(p)", { for i in p..<min(p + 8, $0.count) { $0[i] = 0xFF } }, false)) }
        for p in Self.positions(6, below: 512, seed: 17) {
            cases.append(("0xFF×8 at end − \(p + 8)", { let s = $0.count - p - 8; for i in s..<(s + 8) { $0[i] = 0xFF } }, false))
        }
        for (what, edit, mustFail) in cases {
            let model = try damaged(clean, file, edit)
            try expectHandled(["model", "info", model.path, "--check"], model: model, file: file, mustFail: mustFail, what)
        }
    }

    func testBrokenConfigurationFilesNeverCrash() throws {
        let cases: [(String, String, (inout [UInt8]) -> Void)] = [
            ("config.json", "not JSON", { $0 = Array("{\"d_model\": 12".utf8) }),
            ("config.json", "empty", { $0 = [] }),
            ("config.json", "a list", { $0 = Array("[1, 2]".utf8) }),
            ("config.json", "huge n_layer", { $0 = Array(String(decoding: $0, as: UTF8.self)
                .replacingOccurrences(of: "\"n_layer\": 4", with: "\"n_layer\": 99999999999").utf8) }),
            ("config.json", "negative d_model", { $0 = Array(String(decoding: $0, as: UTF8.self)
                .replacingOccurrences(of: "\"d_model\": 128", with: "\"d_model\": -128").utf8) }),
            ("config.json", "binary", { $0 = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 131 | 0x80) } }),
            ("vocab.txt", "empty", { $0 = [] }),
            ("vocab.txt", "not UTF-8", { $0[3] = 0xFF }),
            ("vocab.txt", "half the tokens", { $0 = Array($0.prefix($0.count / 2)) }),
            ("inference.json", "not JSON", { $0 = Array("{\"property_token\": [".utf8) }),
            ("inference.json", "unknown property token", { $0 = Array(String(decoding: $0, as: UTF8.self)
                .replacingOccurrences(of: "\"<qed>\"", with: "\"<nope>\"").utf8) }),
            ("inference.json", "mask length -3", { $0 = Array(String(decoding: $0, as: UTF8.self)
                .replacingOccurrences(of: "\"<qed>\": 5", with: "\"<qed>\": -3").utf8) }),
            ("inference.json", "mask length 10^12", { $0 = Array(String(decoding: $0, as: UTF8.self)
                .replacingOccurrences(of: "\"<qed>\": 5", with: "\"<qed>\": 1000000000000").utf8) }),
            ("inference.json", "range upside down", { $0 = Array(String(decoding: $0, as: UTF8.self)
                .replacingOccurrences(of: "[0.121, 0.948]", with: "[0.948, 0.121]").utf8) }),
            ("training_config.json", "block_size a string", { $0 = Array(String(decoding: $0, as: UTF8.self)
                .replacingOccurrences(of: "\"block_size\": 510", with: "\"block_size\": \"big\"").utf8) }),
        ]
        for (file, what, edit) in cases {
            let model = try damaged(Self.shipped, file, edit)
            try expectHandled(["predict", "--model", model.path], model: model, file: file, mustFail: true, "\(file): \(what)")
        }
    }
}
