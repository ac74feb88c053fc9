import Foundation
import Tensors
import XCTest
@testable import RegressionTransformer

/// N steps + checkpoint + resume + N steps is bit-identical to 2N steps straight: weights, optimizer moments,
/// counters and the metrics file (timing fields aside).
final class ResumeTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rt-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SyntheticTask.lines(count: 40, seed: 21).joined(separator: "\n")
            .write(to: directory.appendingPathComponent("train.txt"), atomically: true, encoding: .utf8)
        try SyntheticTask.lines(count: 12, seed: 22).joined(separator: "\n")
            .write(to: directory.appendingPathComponent("valid.txt"), atomically: true, encoding: .utf8)
        try """
            {"d_model": 16, "n_layer": 2, "n_head": 2, "d_inner": 32, "dropout": 0.2, "language": "smiles",
             "use_numerical_encodings": true, "numerical_encodings_type": "float", "numerical_encodings_format": "sum",
             "vmax": 1.0}
            """.write(to: directory.appendingPathComponent("model.json"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func setup(output: String, resume: Bool = false) -> TrainingSetup {
        // Everything that draws random numbers: alternating PP/CG with self-consistency, sampled primers,
        // dropout, gradient accumulation, several epochs.
        var c = TrainingConfiguration.alternatingRecipe(properties: ["p"])
        c.maxSteps = 8
        c.batchSize = 8
        c.gradientAccumulationSteps = 2
        c.alternateSteps = 2
        c.learningRate = 2e-3
        c.warmupSteps = 2
        c.generation.samplesPrimers = true
        c.generation.probability = 0.5
        c.loggingSteps = 2
        c.evaluationSteps = 3
        c.saveSteps = 5
        var s = TrainingSetup(trainingFiles: [directory.appendingPathComponent("train.txt").path],
                              model: .configuration(directory.appendingPathComponent("model.json").path),
                              configuration: c, output: directory.appendingPathComponent(output))
        s.validationFiles = [directory.appendingPathComponent("valid.txt").path]
        s.resume = resume
        return s
    }

    func testInterruptedAndResumedRunIsBitIdenticalToAStraightRun() throws {
        let straight = try setup(output: "straight").prepare().run
        XCTAssertEqual(try straight.run(), .finished)
        XCTAssertEqual(straight.trainer.state.optimizerStep, 8)
        XCTAssertEqual(straight.trainer.state.epoch, 3)  // 5 micro-batches per epoch, 16 micro-batches

        let first = try setup(output: "resumed").prepare().run
        first.shouldStop = { first.trainer.state.optimizerStep == 4 }
        XCTAssertEqual(try first.run(), .interrupted(step: 4))
        XCTAssertThrowsError(try setup(output: "resumed").prepare()) { error in
            XCTAssertTrue("\(error)".contains("--resume"), "\(error)")
        }
        let prepared = try setup(output: "resumed", resume: true).prepare()
        XCTAssertTrue(prepared.resumed)
        XCTAssertEqual(prepared.run.trainer.state.optimizerStep, 4)
        XCTAssertEqual(try prepared.run.run(resumed: true), .finished)
        let resumed = prepared.run

        XCTAssertEqual(resumed.trainer.model.parameters.flatValues.scalars, straight.trainer.model.parameters.flatValues.scalars)
        XCTAssertEqual(resumed.trainer.optimizer.firstMoment.scalars, straight.trainer.optimizer.firstMoment.scalars)
        XCTAssertEqual(resumed.trainer.optimizer.secondMoment.scalars, straight.trainer.optimizer.secondMoment.scalars)
        XCTAssertEqual(resumed.trainer.optimizer.stepCount, 8)
        XCTAssertEqual(resumed.trainer.state, straight.trainer.state)
        for file in ["model.safetensors", "config.json", "vocab.txt", "inference.json", "training_config.json"] {
            XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("resumed/\(file)")),
                           try Data(contentsOf: directory.appendingPathComponent("straight/\(file)")), file)
        }
        func metrics(_ run: String) throws -> [String] {
            try String(contentsOf: directory.appendingPathComponent("\(run)/metrics.jsonl"), encoding: .utf8)
                .split(separator: "\n").map { line in
                    var object = try JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8))
                    object["tokens_per_second"] = nil
                    return JSONValue.object(object).description
                }
        }
        let a = try metrics("straight"), b = try metrics("resumed")
        XCTAssertEqual(a.filter { !$0.contains("\"kind\": \"last\"") }, b.filter { !$0.contains("\"kind\": \"last\"") })
        XCTAssertEqual(a.filter { $0.contains("\"event\": \"eval\"") }.count, 3)  // steps 3, 6, 8
    }

    func testResumeRefusesOtherData() throws {
        let run = try setup(output: "out").prepare().run
        run.shouldStop = { run.trainer.state.optimizerStep == 2 }
        XCTAssertEqual(try run.run(), .interrupted(step: 2))
        try SyntheticTask.lines(count: 40, seed: 99).joined(separator: "\n")
            .write(to: directory.appendingPathComponent("train.txt"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try setup(output: "out", resume: true).prepare()) { error in
            XCTAssertTrue("\(error)".contains("other data"), "\(error)")
        }
    }
}
