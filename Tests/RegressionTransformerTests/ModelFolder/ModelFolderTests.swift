import Foundation
import TensorIO
import Tensors
import XCTest
@testable import RegressionTransformer

/// Model folders: reading the fixture folder (HF + RT keys), writing and reading back, GT4SD's
/// `inference.json`, and clear errors for bad folders.
final class ModelFolderTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rt-model-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    func testReadsTheFixtureFolder() throws {
        let folder = try ModelFolder(url: XLNetFixtures.modelFolder)
        let c = folder.configuration
        XCTAssertEqual([c.vocabularySize, c.modelDimension, c.layerCount, c.headCount, c.headDimension, c.innerDimension],
                       [507, 64, 3, 4, 16, 256])
        XCTAssertEqual(c.dropout, 0)
        XCTAssertEqual(c.layerNormEpsilon, 1e-12)
        XCTAssertEqual(c.numericalEncodings, NumericalEncodingConfiguration(kind: .float, format: .sum, dimension: 16, vmax: 1))
        XCTAssertNil(c.language)
        XCTAssertEqual(c.otherKeys["summary_type"], .string("last"))
        XCTAssertEqual(folder.vocabulary.count, 507)
        XCTAssertNil(folder.inference)
        XCTAssertEqual(folder.weightFormats, [.safetensors, .pytorch])
    }

    /// Both weight files hold identical parameters (the .bin's tied `lm_loss.weight` is skipped).
    func testBothWeightFormatsLoadTheSameParameters() throws {
        let folder = try ModelFolder(url: XLNetFixtures.modelFolder)
        let a = try folder.loadModel(from: .safetensors), b = try folder.loadModel(from: .pytorch)
        XCTAssertEqual(a.parameters.flatValues.scalars, b.parameters.flatValues.scalars)
        let bin = try TorchCheckpoint.read(contentsOf: XLNetFixtures.modelFolder.appendingPathComponent("pytorch_model.bin"))
        XCTAssertEqual(bin.count, 55)
        let tied = try XCTUnwrap(bin.first { $0.name == "lm_loss.weight" }).tensor
        XCTAssertEqual(tied.scalars, a.wordEmbedding.scalars)
    }

    func testWriteAndReadBack() throws {
        let model = try XLNetModel(configuration: XLNetModelTests.tinyConfiguration(), vocabulary: XLNetModelTests.vocabulary, seed: 2)
        var config = model.configuration
        config.language = .selfies
        let named = try XLNetModel(configuration: config, vocabulary: XLNetModelTests.vocabulary, parameters: model.parameters)
        let inference = InferenceConfiguration(properties: [.init(token: "<qed>", range: 0...1, normalize: false, maskLength: 6)],
                                               maxSpanLength: 7, example: "<qed>0.4068|[C][C][O]")
        let out = scratch.appendingPathComponent("model")
        try ModelFolder.write(named, vocabulary: XLNetModelTests.vocabulary, inference: inference, to: out)
        let folder = try ModelFolder(url: out)
        XCTAssertEqual(folder.configuration, config)
        XCTAssertEqual(folder.vocabulary, XLNetModelTests.vocabulary)
        XCTAssertEqual(folder.inference, inference)
        XCTAssertEqual(folder.weightFormats, [.safetensors])
        XCTAssertEqual(try folder.loadModel().parameters.flatValues.scalars, model.parameters.flatValues.scalars)
        let weights = try SafeTensorsFile(contentsOf: out.appendingPathComponent("model.safetensors"))
        XCTAssertEqual(weights.metadata, ["format": "pt"])
        XCTAssertFalse(weights.names.contains("lm_loss.weight"))
        // HF reads the config: the interpreted keys are written explicitly.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("config.json"))) as! [String: Any]
        XCTAssertEqual(json["d_head"] as? Int, 4)
        XCTAssertEqual(json["attn_type"] as? String, "bi")
        XCTAssertEqual(json["language"] as? String, "selfies")
        XCTAssertEqual(json["numerical_encodings_format"] as? String, "sum")
        XCTAssertEqual(json["model_type"] as? String, "xlnet")
    }

    /// A GT4SD-style file: one property token as a string, ranges, normalisation, mask lengths, extra keys.
    func testInferenceConfiguration() throws {
        let text = """
            {"property_token": "<esol>", "property_ranges": {"<esol>": [-11.6, 2.1]}, "normalize": [true],
             "property_mask_length": {"<esol>": 5}, "max_span_length": 5, "example": "<esol>-3.53|[C][O]",
             "training_note": "kept"}
            """
        let url = scratch.appendingPathComponent("inference.json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let c = try InferenceConfiguration(contentsOf: url)
        XCTAssertEqual(c.properties, [.init(token: "<esol>", range: -11.6...2.1, normalize: true, maskLength: 5)])
        XCTAssertEqual(c.maxSpanLength, 5)
        XCTAssertEqual(c.otherKeys["training_note"], .string("kept"))
        let again = try InferenceConfiguration(json: JSONValue.parseObject(Data(c.fileContents.utf8), path: "x"), path: "x")
        XCTAssertEqual(again, c)
        for (bad, key) in [("{}", "property_token"), ("{\"property_token\": 3}", "property_token"),
                           ("{\"property_token\": [\"<a>\"], \"normalize\": [true, false]}", "normalize"),
                           ("{\"property_token\": [\"<a>\"], \"property_ranges\": {\"<a>\": [2, 1]}}", "property_ranges")] {
            try bad.write(to: url, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try InferenceConfiguration(contentsOf: url)) { error in
                XCTAssertTrue("\(error)".contains("inference.json: key '\(key)'"), "\(error)")
            }
        }
    }

    /// Writes a copy of the fixture folder with `config.json` edited by `edit`.
    func folder(editing edit: (inout [String: Any]) -> Void, weights: Bool = true) throws -> URL {
        let out = scratch.appendingPathComponent("edited-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        for name in ["vocab.txt"] + (weights ? ["model.safetensors"] : []) {
            try FileManager.default.copyItem(at: XLNetFixtures.modelFolder.appendingPathComponent(name),
                                             to: out.appendingPathComponent(name))
        }
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: XLNetFixtures.modelFolder.appendingPathComponent("config.json"))) as! [String: Any]
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: out.appendingPathComponent("config.json"))
        return out
    }

    func testConfigurationErrorsNameFileAndKey() throws {
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("key 'd_model': missing", { $0["d_model"] = nil }),
            ("key 'd_head': 8 but d_model 64 / n_head 4 = 16", { $0["d_head"] = 8 }),
            ("key 'n_head': 5 does not divide d_model 64", { $0["n_head"] = 5; $0["d_head"] = nil }),
            ("key 'attn_type': 'uni' is not supported", { $0["attn_type"] = "uni" }),
            ("key 'ff_activation': 'relu' is not supported", { $0["ff_activation"] = "relu" }),
            ("key 'n_layer': expected an integer", { $0["n_layer"] = "three" }),
            ("key 'numerical_encodings_format': 'stack'", { $0["numerical_encodings_format"] = "stack" }),
            ("key 'dropout': must be in [0, 1)", { $0["dropout"] = 1.5 }),
            ("key 'language': unknown sequence language 'klingon'", { $0["language"] = "klingon" }),
        ]
        for (message, edit) in cases {
            let url = try folder(editing: edit, weights: false)
            XCTAssertThrowsError(try ModelFolder(url: url), message) { error in
                XCTAssertTrue("\(error)".contains("config.json: \(message)"), "\(error)")
            }
        }
        // A vocabulary of another size than vocab_size.
        let url = try folder(editing: { $0["vocab_size"] = 508 }, weights: false)
        XCTAssertThrowsError(try ModelFolder(url: url)) { error in
            XCTAssertTrue("\(error)".contains("vocab.txt: 507 tokens, but config.json key 'vocab_size' is 508"), "\(error)")
        }
        XCTAssertThrowsError(try ModelFolder(url: scratch.appendingPathComponent("nothing"))) { error in
            XCTAssertTrue("\(error)".contains("not a model folder"), "\(error)")
        }
    }

    func testWeightErrorsNameFileAndTensor() throws {
        // Shapes that do not fit the configuration (more layers than the weights have).
        var url = try folder(editing: { $0["n_layer"] = 4 })
        XCTAssertThrowsError(try ModelFolder(url: url).loadModel()) { error in
            // Checked before any allocation: the config promises a fourth layer the file does not hold.
            XCTAssertTrue("\(error)".contains("model.safetensors: config.json implies "), "\(error)")
            XCTAssertTrue("\(error)".contains(" parameters (n_layer 4, d_model 64, d_inner 256, vocab_size 507), but the file holds "), "\(error)")
        }
        url = try folder(editing: { $0["d_inner"] = 128 })
        XCTAssertThrowsError(try ModelFolder(url: url).loadModel()) { error in
            XCTAssertTrue("\(error)".contains("tensor 'transformer.layer.0.ff.layer_1.bias' has shape [256] but config.json implies [128]")
                          || "\(error)".contains("but config.json implies"), "\(error)")
        }
        // Unknown parameter names.
        url = try folder(editing: { _ in }, weights: false)
        let extra = try SafeTensorsFile(contentsOf: XLNetFixtures.modelFolder.appendingPathComponent("model.safetensors"))
        var items = try extra.names.map { (name: $0, tensor: try extra.tensor($0)) }
        items.append((name: "transformer.pooler.weight", tensor: Tensor.zeros([2])))
        try SafeTensorsWriter.write(items, to: url.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try ModelFolder(url: url).loadModel()) { error in
            XCTAssertTrue("\(error)".contains("tensor 'transformer.pooler.weight' is not a parameter of this XLNet"), "\(error)")
        }
        // A NaN or an infinity inside a weight (e.g. bytes overwritten with 0xFF): refused at load, naming the tensor
        // and the element, so that no decoder ever ranks NaN logits.
        for (value, word) in [(Float.nan, "NaN"), (-Float.infinity, "an infinity")] {
            url = try folder(editing: { _ in }, weights: false)
            var corrupted = items.dropLast().map { $0 }
            let k = corrupted.firstIndex { $0.name == "transformer.layer.1.ff.layer_1.weight" }!
            var scalars = corrupted[k].tensor.scalars
            scalars[37] = value
            corrupted[k].tensor = try Tensor(scalars, shape: corrupted[k].tensor.shape)
            try SafeTensorsWriter.write(corrupted, to: url.appendingPathComponent("model.safetensors"))
            XCTAssertThrowsError(try ModelFolder(url: url).loadModel()) { error in
                XCTAssertTrue("\(error)".hasSuffix("model.safetensors: tensor 'transformer.layer.1.ff.layer_1.weight' holds "
                                                   + "\(word) at element 37 (weights must be finite: the file is corrupt "
                                                   + "or training diverged)"), "\(error)")
            }
        }
        // No weights at all.
        url = try folder(editing: { _ in }, weights: false)
        XCTAssertThrowsError(try ModelFolder(url: url).loadModel()) { error in
            XCTAssertTrue("\(error)".contains("no weights"), "\(error)")
        }
    }
}
