import Foundation
import TensorIO
import Tensors
import XCTest

/// `rt model info`, `rt model convert`, `rt embed` and `rt bench train|infer` end to end on the XLNet parity
/// fixture (a 3-layer model folder; see Tests/RegressionTransformerTests/Fixtures/xlnet_parity/README.md).
final class ModelCommandTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RegressionTransformerTests/Fixtures/xlnet_parity")
    static let folder = fixtures.appendingPathComponent("model")

    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rt-model-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func testModelInfo() throws {
        let text = try RTCommand.run(["model", "info", Self.folder.path])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("XLNet, 3 layers, d_model 64, 4 heads × 16, d_inner 256"), text.stdout)
        XCTAssertTrue(text.stdout.contains("parameters    195451"), text.stdout)
        XCTAssertTrue(text.stdout.contains("numerical     float sum, dim 64, vmax 1.0"), text.stdout)
        XCTAssertTrue(text.stdout.contains("507 tokens; [PAD] 0"), text.stdout)
        let json = try RTCommand.run(["model", "info", Self.folder.path, "--format", "json", "--check"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["parameters"] as? Int, 195_451)
        XCTAssertEqual((object["weights"] as? [Any])?.count, 2)
        XCTAssertEqual(object["weights_checked"] as? Bool, true)
        let missing = try RTCommand.run(["model", "info", scratch.appendingPathComponent("none").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("not a model folder"), missing.stderr)
    }

    func testConvertWritesIdenticalSafetensors() throws {
        let source = scratch.appendingPathComponent("gt4sd")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        for name in ["config.json", "vocab.txt", "pytorch_model.bin"] {
            try FileManager.default.copyItem(at: Self.folder.appendingPathComponent(name), to: source.appendingPathComponent(name))
        }
        let r = try RTCommand.run(["model", "convert", source.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("verified"), r.stderr)
        let converted = try SafeTensorsFile(contentsOf: source.appendingPathComponent("model.safetensors"))
        let reference = try SafeTensorsFile(contentsOf: Self.folder.appendingPathComponent("model.safetensors"))
        XCTAssertEqual(converted.names.sorted(), reference.names.sorted())
        for name in reference.names { XCTAssertEqual(try converted.tensor(name).scalars, try reference.tensor(name).scalars, name) }
        // Refuses to overwrite; writes a complete folder elsewhere.
        let again = try RTCommand.run(["model", "convert", source.path])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("exists (pass --force"), again.stderr)
        let out = scratch.appendingPathComponent("converted")
        XCTAssertEqual(try RTCommand.run(["model", "convert", source.path, "--output", out.path]).status, 0)
        for name in ["config.json", "vocab.txt", "model.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), name)
        }
        XCTAssertEqual(try RTCommand.run(["model", "info", out.path, "--check"]).status, 0)
    }

    /// `rt model cast --dtype bf16`: a complete folder at half the weight size whose weights are the source's
    /// rounded to bfloat16; refuses to overwrite or to write over its source.
    func testCastStoresBF16Weights() throws {
        let out = scratch.appendingPathComponent("bf16")
        let r = try RTCommand.run(["model", "cast", Self.folder.path, "--dtype", "bf16", "-o", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("as BF16") && r.stderr.contains("verified"), r.stderr)
        let cast = try SafeTensorsFile(contentsOf: out.appendingPathComponent("model.safetensors"))
        let source = try SafeTensorsFile(contentsOf: Self.folder.appendingPathComponent("model.safetensors"))
        XCTAssertEqual(cast.names.sorted(), source.names.sorted())
        for name in source.names {
            XCTAssertEqual(try cast.entry(name).dtype, .BF16, name)
            XCTAssertEqual(try cast.tensor(name).scalars,
                           try source.tensor(name).scalars.map { HalfPrecision.float(fromBF16: HalfPrecision.bf16(from: $0)) }, name)
        }
        let size = { (url: URL) in (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0 }
        XCTAssertLessThan(try size(out.appendingPathComponent("model.safetensors")),
                          try size(Self.folder.appendingPathComponent("model.safetensors")) / 2 + 4096)
        XCTAssertEqual(try RTCommand.run(["model", "info", out.path, "--check"]).status, 0)
        let again = try RTCommand.run(["model", "cast", Self.folder.path, "-o", out.path])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("exists (pass --force"), again.stderr)
        XCTAssertEqual(try RTCommand.run(["model", "cast", Self.folder.path, "-o", out.path, "--force", "--dtype", "f32"]).status, 0)
        XCTAssertEqual(try SafeTensorsFile(contentsOf: out.appendingPathComponent("model.safetensors")).entry(source.names[0]).dtype, .F32)
        let onto = try RTCommand.run(["model", "cast", out.path, "-o", out.path, "--force"])
        XCTAssertEqual(onto.status, 1)
        XCTAssertTrue(onto.stderr.contains("is the source folder"), onto.stderr)
    }

    /// The fixture's three lines give HF's `embed.mean` (content stream, attention mask = id ≠ [PAD]).
    func testEmbedMatchesTheReference() throws {
        let lines = ["<qed>0.3936|[C][Br]", "<esol>-3.53|[C][C][Branch1_1][C][O]",
                     "<qed>0.6005|[C][N][C][=N][C][Branch1_1][Ring2][C][C][N][=C][Ring1][Branch2_1]"]
        let r = try RTCommand.run(["embed", "--model", Self.folder.path, "--per-token", "--batch-size", "2"],
                                  stdin: lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        let reference = try SafeTensorsFile(contentsOf: Self.fixtures.appendingPathComponent("reference.safetensors"))
        let means = try reference.tensor("embed.mean").scalars, hidden = try reference.tensor("embed.hidden").scalars
        let outputs = r.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(outputs.count, 3)
        for (b, o) in outputs.enumerated() {
            let tokens = o["tokens"] as! [String]
            XCTAssertEqual(tokens.first, "[CLS]")
            XCTAssertEqual(tokens.last, "[SEP]")
            let mean = (o["mean"] as! [NSNumber]).map(\.doubleValue)
            XCTAssertEqual(mean.count, 64)
            for j in 0..<64 { XCTAssertEqual(mean[j], Double(means[b * 64 + j]), accuracy: 1e-4) }
            let h = o["hidden"] as! [[NSNumber]]
            XCTAssertEqual(h.count, tokens.count)
            for i in 0..<tokens.count {
                for j in stride(from: 0, to: 64, by: 7) {
                    XCTAssertEqual(h[i][j].doubleValue, Double(hidden[(b * 24 + i) * 64 + j]), accuracy: 1e-4)
                }
            }
        }
        XCTAssertEqual((outputs[0]["tokens"] as! [String]).count, 12)
        XCTAssertEqual((outputs[2]["tokens"] as! [String]).dropLast().last, "[PAD]")  // the even-length [PAD]
    }

    func testEmbedReportsBadLines() throws {
        let r = try RTCommand.run(["embed", "--model", Self.folder.path], stdin: "<qed>0.39|[C][O]\n<qed>x|[C]\n[C][O]\n")
        XCTAssertEqual(r.status, 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[1].hasPrefix("{\"line\":2,\"error\":"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("{\"tokens\":[\"[CLS]\",\"[C]\",\"[O]\",\"[SEP]\"]"), lines[2])
        XCTAssertTrue(r.stderr.contains("1 of 3 lines could not be embedded"), r.stderr)
    }

    func testBenchTrainAndInferPrintTheirJSON() throws {
        let small = ["--layers", "1", "--d-model", "32", "--heads", "2", "--d-inner", "64", "--vocab", "40", "--threads", "1",
                     "--format", "json"]
        let train = try RTCommand.run(["bench", "train", "--batch", "2", "--seq", "16", "--steps", "2", "--warmup", "0"] + small)
        XCTAssertEqual(train.status, 0, train.stderr)
        let t = try JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(t["schema"] as? String, "rt-bench/1")
        XCTAssertEqual(t["engine"] as? String, "swift")
        XCTAssertEqual(t["n_targets"] as? Int, 2)
        XCTAssertGreaterThan(t["train_tokens_per_s"] as? Double ?? 0, 0)
        XCTAssertTrue((t["train_loss_last"] as? Double ?? .nan).isFinite)
        let infer = try RTCommand.run(["bench", "infer", "--seq", "16", "--reps", "2"] + small)
        XCTAssertEqual(infer.status, 0, infer.stderr)
        let i = try JSONSerialization.jsonObject(with: Data(infer.stdout.utf8)) as! [String: Any]
        XCTAssertGreaterThan(i["infer_plm_ms_median"] as? Double ?? 0, 0)
        XCTAssertGreaterThan(i["peak_rss_bytes"] as? Int ?? 0, 0)
        let bad = try RTCommand.run(["bench", "train", "--seq", "15"])
        XCTAssertNotEqual(bad.status, 0)
    }
}
