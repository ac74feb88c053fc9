import Foundation
import XCTest
@testable import RegressionTransformer

/// Bad input is caught before the first step, with the file (and line or key) named.
final class TrainingSetupTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rt-setup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try write("model.json", """
            {"d_model": 16, "n_layer": 1, "n_head": 2, "d_inner": 32, "language": "smiles", "use_numerical_encodings": true, "vmax": 1.0}
            """)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func setup(_ train: String, model: ModelSource? = nil, configuration: TrainingConfiguration? = nil,
               language: SequenceLanguage? = nil) -> TrainingSetup {
        var c = configuration ?? .alternatingRecipe(properties: ["p"])
        c.maxSteps = 1
        c.batchSize = 4
        var s = TrainingSetup(trainingFiles: [path(train)], model: model ?? .configuration(path("model.json")),
                              configuration: c, output: directory.appendingPathComponent("out"))
        s.language = language
        return s
    }

    func message(_ s: TrainingSetup) -> String {
        do { _ = try s.prepare(); return "no error" } catch { return "\(error)" }
    }

    func testMalformedLinesNameFileAndLine() throws {
        try write("train.txt", "<p>0.5|CCO\n<p>.5|CCN\n<p>0.25|CC\n")
        let m = message(setup("train.txt"))
        XCTAssertTrue(m.contains(path("train.txt") + ":2: "), m)
        XCTAssertTrue(m.contains("digit before the decimal point"), m)
    }

    func testPropertiesMissingFromTheDataOrFromSamples() throws {
        try write("train.txt", "<p>0.5|CCO\n<q>0.5|CCN\n")
        XCTAssertEqual(message(setup("train.txt", configuration: .alternatingRecipe(properties: ["qed"]))),
                       "the training config names <qed>, but the training data has no <qed> values (it has: <p> <q>)")
        XCTAssertEqual(message(setup("train.txt")),
                       "1 of 2 training samples have no <p> value (the first is sample 2); every sample needs each property of the training config")
    }

    func testModelConfigWithoutLanguage() throws {
        try write("train.txt", "<p>0.5|CCO\n")
        try write("nolanguage.json", #"{"d_model": 16, "n_layer": 1, "n_head": 2, "d_inner": 32}"#)
        let m = message(setup("train.txt", model: .configuration(path("nolanguage.json"))))
        XCTAssertTrue(m.hasPrefix(path("nolanguage.json") + ": the model config has no 'language' key"), m)
    }

    func testModelFolderLanguageMismatch() throws {
        // A SELFIES model folder fine-tuned on SMILES data.
        let vocabulary = TextFixtures.smallMolecules
        let folder = directory.appendingPathComponent("selfies-model")
        var config = XLNetConfiguration(vocabularySize: vocabulary.count, modelDimension: 16, layerCount: 1, headCount: 2,
                                        innerDimension: 32, language: .selfies)
        config.numericalEncodings = NumericalEncodingConfiguration(vmax: 1)
        try ModelFolder.write(try XLNetModel(configuration: config, vocabulary: vocabulary, seed: 1), vocabulary: vocabulary,
                              to: folder)
        try write("smiles.txt", "<qed>0.5|CCO\n")
        XCTAssertEqual(message(setup("smiles.txt", model: .folder(folder.path), language: .smiles)),
                       "\(folder.path): the model's sequence language is selfies, but smiles was asked for")
        let m = message(setup("smiles.txt", model: .folder(folder.path), configuration: .alternatingRecipe(properties: ["qed"])))
        XCTAssertTrue(m.contains(path("smiles.txt") + ":1: "), m)
        XCTAssertTrue(m.contains("--convert-smiles"), m)
        // SELFIES data with a new property and a new number token are fine: the vocabulary grows.
        try write("selfies.txt", "<newprop>1.5|[C][C][O]\n<newprop>0.0000001|[C]\n")
        var s = setup("selfies.txt", model: .folder(folder.path), configuration: .alternatingRecipe(properties: ["newprop"]))
        var notes: [String] = []
        s.log = { notes.append($0) }
        let run = try s.prepare().run
        // (+ `_0_-6_`, which the shipped vocabulary lacks.)
        XCTAssertEqual(Array(run.trainer.vocabulary.tokens.suffix(3)), ["<newprop>", "_0_-6_", "_1_-7_"])
        XCTAssertEqual(Array(run.trainer.vocabulary.tokens.prefix(vocabulary.count)), vocabulary.tokens)
        XCTAssertEqual(run.trainer.model.configuration.vocabularySize, vocabulary.count + 3)
        XCTAssertTrue(notes.contains { $0.contains("+ 3 new") }, "\(notes)")
        // Unknown sequence tokens are not silently added.
        try write("foreign.txt", "<qed>0.5|[C][Xx][Yy]\n")
        XCTAssertTrue(message(setup("foreign.txt", model: .folder(folder.path), configuration: .alternatingRecipe(properties: ["qed"])))
            .contains("2 sequence tokens the model does not know ('[Xx]', '[Yy]')"))
    }

    func testFromScratchWritesACompleteModelFolder() throws {
        try write("train.txt", SyntheticTask.lines(count: 20, seed: 1).joined(separator: "\n"))
        var c = TrainingConfiguration.alternatingRecipe(properties: ["p"])
        c.loggingSteps = 1
        let run = try setup("train.txt", configuration: c).prepare().run
        XCTAssertEqual(try run.run(), .finished)
        let folder = try ModelFolder(url: run.output)
        XCTAssertEqual(folder.configuration.language, .smiles)
        XCTAssertEqual(folder.configuration.vocabularySize, folder.vocabulary.count)
        let inference = try XCTUnwrap(folder.inference)
        XCTAssertEqual(inference.properties.map(\.token), ["<p>"])
        XCTAssertEqual(inference.properties[0].maskLength, 5)
        XCTAssertEqual(inference.properties[0].range?.lowerBound ?? -1, 0, accuracy: 0.2)
        XCTAssertEqual(inference.maxSpanLength, 12)
        XCTAssertNotNil(inference.example)
        _ = try folder.loadModel()
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.output.appendingPathComponent("checkpoint-last/optimizer.safetensors").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.output.appendingPathComponent("checkpoint-best/model.safetensors").path))
        let metrics = try String(contentsOf: run.output.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        XCTAssertTrue(metrics.hasPrefix("{\"cg\": ") || metrics.contains("\"event\": \"train\""), metrics)
    }
}
