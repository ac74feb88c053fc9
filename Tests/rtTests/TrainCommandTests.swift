import Foundation
import RegressionTransformer
import XCTest

/// End-to-end runs of `rt train` on a tiny model: a complete model folder, metrics lines, Ctrl-C with a
/// checkpoint and `--resume`, and bad input rejected before training.
final class TrainCommandTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rt-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lines: [String] = []
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<64 {
            let oxygens = next(8)
            var atoms = (0..<8).map { $0 < oxygens ? "O" : (next(2) == 0 ? "C" : "N") }
            for i in stride(from: 7, to: 0, by: -1) { atoms.swapAt(i, next(i + 1)) }
            lines.append("<p>" + String(format: "%.3f", Double(oxygens) / 8) + "|" + atoms.joined())
        }
        try write("train.txt", lines.joined(separator: "\n") + "\n")
        try write("model.json", """
            {"d_model": 16, "n_layer": 1, "n_head": 2, "d_inner": 32, "dropout": 0.1, "language": "smiles",
             "use_numerical_encodings": true, "vmax": 1.0}
            """)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func testTrainsAndWritesAModelFolder() throws {
        let r = try RTCommand.run(["train", "--train", path("train.txt"), "--validation-fraction", "0.25",
                                   "--config", path("model.json"), "--output", path("out"), "--max-steps", "6",
                                   "--batch-size", "8", "--log-steps", "2", "--eval-steps", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("model: \(path("out"))"), r.stdout)
        XCTAssertTrue(r.stderr.contains("vocabulary: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("eval at step 3: p: RMSE"), r.stderr)
        let folder = try ModelFolder(path: path("out"))
        XCTAssertEqual(folder.configuration.language, .smiles)
        XCTAssertEqual(folder.inference?.properties.first?.token, "<p>")
        XCTAssertEqual(folder.inference?.properties.first?.maskLength, 5)
        _ = try folder.loadModel()
        let metrics = try String(contentsOfFile: path("out/metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        let events = try metrics.map { line -> (String, Int) in
            let o = try JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8))
            return (o["event"]?.stringValue ?? "", o["step"]?.intValue ?? -1)
        }
        XCTAssertEqual(events.filter { $0.0 == "train" }.map(\.1), [2, 4, 6])
        XCTAssertEqual(events.filter { $0.0 == "eval" }.map(\.1), [3, 6])
        // The trained folder is what prediction loads.
        let p = try RTCommand.run(["predict", "--model", path("out"), "--format", "csv"], stdin: "CCOONNCO\n")
        XCTAssertEqual(p.status, 0, p.stderr)
        XCTAssertTrue(p.stdout.hasPrefix("input,p,"), p.stdout)
    }

    /// A fresh run chooses auto; the checkpoint records the precision; `--resume` continues in it (float32 for a
    /// checkpoint without a record), and asking for another says it is not bit-identical.
    func testResumeContinuesInTheRecordedPrecision() throws {
        let common = ["train", "--train", path("train.txt"), "--config", path("model.json"), "--output", path("out"),
                      "--batch-size", "8", "--quiet"]
        func recorded() throws -> String? {
            try TrainerState(contentsOf: directory.appendingPathComponent("out/checkpoint-last/trainer_state.json")).precision
        }
        let fresh = try RTCommand.run(common + ["--max-steps", "2"])
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertTrue(fresh.stderr.contains("(default auto: "), fresh.stderr)
        let auto = try XCTUnwrap(try recorded())
        XCTAssertTrue(fresh.stderr.contains("precision: \(auto) (default auto: "), fresh.stderr)

        let kept = try RTCommand.run(common + ["--max-steps", "3", "--resume"])
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertTrue(kept.stderr.contains("precision: \(auto) (as recorded in the checkpoint: \(auto))"), kept.stderr)
        XCTAssertFalse(kept.stderr.contains("not bit-identical"), kept.stderr)

        // Asking for float32 after an auto run that chose bf16 is allowed, with a note.
        let other = try RTCommand.run(common + ["--max-steps", "4", "--resume", "--precision", "float32"])
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertEqual(other.stderr.contains("not bit-identical"), auto == "bf16", other.stderr)
        XCTAssertEqual(try recorded(), "float32")

        // A checkpoint written before the record continues in float32, the default then.
        let url = directory.appendingPathComponent("out/checkpoint-last/trainer_state.json")
        var state = try TrainerState(contentsOf: url)
        state.precision = nil
        try state.write(to: url)
        XCTAssertFalse(try String(contentsOf: url, encoding: .utf8).contains("precision"))
        let legacy = try RTCommand.run(common + ["--max-steps", "5", "--resume"])
        XCTAssertEqual(legacy.status, 0, legacy.stderr)
        XCTAssertTrue(legacy.stderr.contains("precision: float32 (no precision recorded in the checkpoint: float32)"),
                      legacy.stderr)
        XCTAssertEqual(try recorded(), "float32")
    }

    func testInterruptWritesACheckpointAndResumeFinishes() throws {
        let process = Process()
        process.executableURL = RTCommand.productsDirectory.appendingPathComponent("rt")
        process.arguments = ["train", "--train", path("train.txt"), "--config", path("model.json"), "--output",
                             path("out"), "--max-steps", "100000", "--batch-size", "8", "--log-steps", "2", "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: path("out/metrics.jsonl"), encoding: .utf8),
               text.contains("\"event\": \"train\"") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.interrupt()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        let state = try TrainerState(contentsOf: directory.appendingPathComponent("out/checkpoint-last/trainer_state.json"))
        XCTAssertGreaterThanOrEqual(state.optimizerStep, 2)
        // Without --resume the run is not overwritten.
        let again = try RTCommand.run(["train", "--train", path("train.txt"), "--config", path("model.json"),
                                       "--output", path("out"), "--max-steps", "4"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("continue it with --resume"), again.stderr)
        let resumed = try RTCommand.run(["train", "--train", path("train.txt"), "--config", path("model.json"),
                                         "--output", path("out"), "--max-steps", "\(state.optimizerStep + 3)",
                                         "--resume", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming \(path("out/checkpoint-last")) at step \(state.optimizerStep)"), resumed.stderr)
        let final = try TrainerState(contentsOf: directory.appendingPathComponent("out/checkpoint-last/trainer_state.json"))
        XCTAssertEqual(final.optimizerStep, state.optimizerStep + 3)
    }

    func testBadInputFailsBeforeTraining() throws {
        try write("bad.json", #"{"alternate_tasks": true, "property_tokens": ["<p>"], "cg_collator": "bimodal"}"#)
        let r = try RTCommand.run(["train", "--train", path("train.txt"), "--config", path("model.json"),
                                   "--training-config", path("bad.json"), "--output", path("out")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\(path("bad.json")): key 'cg_collator': unknown collator 'bimodal'"), r.stderr)
        try write("broken.txt", "<p>0.5|CCO\n<p>0.5|CCXO\n")
        let b = try RTCommand.run(["train", "--train", path("broken.txt"), "--config", path("model.json"),
                                   "--output", path("out")])
        XCTAssertEqual(b.status, 1)
        XCTAssertTrue(b.stderr.contains("\(path("broken.txt")):2: "), b.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out/metrics.jsonl")))
        let neither = try RTCommand.run(["train", "--train", path("train.txt"), "--output", path("out")])
        XCTAssertNotEqual(neither.status, 0)
        XCTAssertTrue(neither.stderr.contains("--model FOLDER"), neither.stderr)
    }
}
