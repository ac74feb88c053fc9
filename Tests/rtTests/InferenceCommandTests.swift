import Foundation
import RegressionTransformer
import Tensors
import XCTest

/// End-to-end runs of `rt predict`, `rt generate` and `rt evaluate` on a tiny fixed model written to a folder: one
/// XLNet layer with every weight zero, so the logits at every masked position are exactly its LM bias (see
/// RegressionTransformerTests/Inference/XLNetMaskFillerTests). The bias favours `_0_0_ _._ _8_-1_ _1_-2_ _2_-3_`
/// (value 0.812 in the slot `d.ddd`) and `[N]` among sequence tokens.
final class InferenceCommandTests: XCTestCase {
    static let vocabulary = try! Vocabulary(contentsOfFile: TextCommandTests.smallMolecules)

    /// A tiny model folder (inference.json: `<qed>`, range [0, 1], 5 value tokens).
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rt-inference-\(UUID().uuidString)")
        let configuration = XLNetConfiguration(vocabularySize: vocabulary.count, modelDimension: 8, layerCount: 1,
                                               headCount: 2, innerDimension: 16, dropout: 0, initializerRange: 0,
                                               language: .selfies)
        let model = try! XLNetModel(configuration: configuration, vocabulary: vocabulary, seed: 1)
        let bias = try! model.parameters.tensor(XLNetParameterName.lmBias).unsafePointer
        for token in ["_0_0_", "_._", "_8_-1_", "_1_-2_", "_2_-3_"] { bias[Int(vocabulary.id(of: token)!)] = 5 }
        bias[Int(vocabulary.id(of: "[N]")!)] = 4
        try! ModelFolder.write(model, vocabulary: vocabulary, inference: InferenceConfiguration(properties: [
            .init(token: "<qed>", range: 0...1, maskLength: 5)]), to: url)
        return url
    }()

    override class func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws -> CommandResult {
        try RTCommand.run(arguments + ["--model", Self.folder.path], stdin: stdin, environment: environment)
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rt-inference-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testPredictWritesOneRowPerLineWithAnErrorColumn() throws {
        let result = try run(["predict", "--estimate", "decoded"], stdin: "CCO\nC1CC\n[C][O]\n\n")
        XCTAssertEqual(result.status, 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.count, 6)
        XCTAssertEqual(lines[0], "input,qed,error")
        XCTAssertEqual(lines[1], "CCO,0.812,")
        XCTAssertTrue(lines[2].hasPrefix("C1CC,,"), lines[2])
        XCTAssertTrue(lines[2].contains("not a valid molecule"), lines[2])
        XCTAssertEqual(lines[3], "[C][O],0.812,")
        XCTAssertEqual(lines[4], ",,empty sequence")
        XCTAssertTrue(result.stderr.contains("2 of 4 inputs could not be predicted"), result.stderr)
    }

    /// Each digit position has q(best) = e⁵/(e⁵ + 9) within its order: E[d] = (b e⁵ + 45 − b)/(e⁵ + 9).
    func testPredictUncertaintyBeamAndJSON() throws {
        let result = try run(["predict", "--uncertainty", "--search", "beam", "--beam-width", "2", "--estimate", "decoded",
                              "--allow-extrapolation"], stdin: "CCO\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "input,qed,qed_mean,qed_sd,qed_low,qed_high,qed_candidates,error")
        let cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(cells[1], "0.812")
        let e5 = exp(5.0)
        func expected(_ b: Double) -> Double { (b * e5 + 45 - b) / (e5 + 9) }
        XCTAssertEqual(Double(cells[2])!, expected(0) + expected(8) / 10 + expected(1) / 100 + expected(2) / 1000, accuracy: 1e-6)
        XCTAssertEqual(cells[6], "0.812;0.81")  // second best: the thousandths digit falls to 0 (lowest id of the ties)
        let json = try run(["predict", "--format", "json", "--estimate", "decoded"], stdin: "CCO\n")
        XCTAssertEqual(json.stdout, "{\"input\":\"CCO\",\"qed\":0.812,\"sequence\":\"[C][C][O]\"}\n")
        // The default estimate is the mean. Here it is above the range (every digit 0–9 is allowed in the units place
        // and this model spreads its mass over them): clamped to the range's top, 1, unless --allow-extrapolation.
        let mean = try run(["predict", "--uncertainty", "--allow-extrapolation"], stdin: "CCO\n")
        let meanCells = try XCTUnwrap(mean.stdout.split(separator: "\n").last).split(separator: ",").map(String.init)
        XCTAssertEqual(meanCells[1], meanCells[2])
        XCTAssertEqual(Double(meanCells[1])!, Double(cells[2])!, accuracy: 1e-9)
        let clamped = try run(["predict", "--uncertainty"], stdin: "CCO\n")
        let clampedCells = try XCTUnwrap(clamped.stdout.split(separator: "\n").last).split(separator: ",").map(String.init)
        XCTAssertEqual(Array(clampedCells[1...2]), ["1.0", "1.0"])
        XCTAssertEqual(clampedCells[3], meanCells[3])  // the standard deviation is the model's own
        XCTAssertEqual(Double(clampedCells[5])!, min(Double(meanCells[5])!, 1))
    }

    func testPredictFindsTheDefaultModelAndWritesFilesAtomically() throws {
        let directory = try temporaryDirectory()
        let out = directory.appendingPathComponent("p.csv")
        let ok = try RTCommand.run(["predict", "--estimate", "decoded", "-o", out.path], stdin: "CCO\n", environment: ["RT_MODEL": Self.folder.path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout, "")
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "input,qed,error\nCCO,0.812,\n")
        let missing = try RTCommand.run(["predict"], stdin: "CCO\n", environment: ["RT_MODEL": directory.appendingPathComponent("none").path])
        // A set RT_MODEL must be a model folder: no silent fall-back to the shipped model.
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("/none is not a model folder (no config.json)"), missing.stderr)
        XCTAssertEqual(missing.stdout, "")
        let bad = try RTCommand.run(["predict", "--model", directory.path, "-o", directory.appendingPathComponent("x.csv").path], stdin: "CCO\n")
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("x.csv").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["p.csv"])
    }

    func testGenerateFromASeed() throws {
        // Masking every token (fraction 1) and filling with [N] gives NNNN; the model predicts 0.812 for it.
        let result = try run(["generate", "--from", "CCCO", "--goal", "qed=0.8", "--samples", "3", "--fraction-to-mask", "1",
                              "--search", "greedy", "--min-size-ratio", "0", "--max-batches", "2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "smiles,valid,similarity,qed_predicted,qed_oracle,sequence,status")
        XCTAssertEqual(lines.count, 2)
        let cells = lines[1].split(separator: ",").map(String.init)
        XCTAssertEqual(cells[0], "NNNN")
        XCTAssertEqual(cells[1], "true")
        XCTAssertEqual(cells[3], "0.812")
        XCTAssertEqual(cells[5], "[N][N][N][N]")
        XCTAssertEqual(cells[6], "accepted")
        let props = try RTCommand.run(["chem", "props"], stdin: "NNNN\n")
        let qedColumn = props.stdout.split(separator: "\n")[0].split(separator: ",").firstIndex(of: "qed")!
        XCTAssertEqual(Double(cells[4])!, Double(props.stdout.split(separator: "\n")[1].split(separator: ",")[qedColumn])!,
                       accuracy: 1e-9)
        XCTAssertTrue(result.stderr.contains("1 accepted"), result.stderr)
        XCTAssertTrue(result.stderr.contains("duplicate"), result.stderr)
    }

    func testGenerateRejectsWithReasonsAndExitsNonZeroWhenNothingPasses() throws {
        // Goal 0.5: the model's own 0.812 is outside ±20 % of [0, 1].
        let result = try run(["generate", "--from", "CCCO", "--goal", "qed=0.5", "--fraction-to-mask", "1",
                              "--search", "greedy", "--max-batches", "1", "--include-rejected", "--format", "json"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("\"status\":\"outside-tolerance\""), result.stdout)
        XCTAssertTrue(result.stderr.contains("no molecule passed the filters"), result.stderr)
    }

    func testGenerateBadInputIsAClearError() throws {
        let directory = try temporaryDirectory()
        let out = directory.appendingPathComponent("g.csv").path
        let cases: [([String], String)] = [
            (["--from", "CCCO", "--goal", "logp=1"], "unknown property 'logp'"),
            (["--from", "CCCO", "--goal", "qed=1.5"], "--allow-extrapolation"),
            (["--from", "C1CC", "--goal", "qed=0.5"], "not a valid molecule"),
            (["--sequence", "<qed>[MASK][MASK][MASK][MASK][MASK]|[C][MASK]"], "masks both"),
            (["--from", "CCCO", "--goal", "qed"], "PROPERTY=VALUE"),
            (["--from", "CCCO", "--goal", "qed=0.5", "--keep-substructure", "c1ccccc1"], "does not occur"),
            (["--from", "CCCO", "--goal", "qed=0.5", "--fill", "sequential", "--search", "beam"],
             "--fill sequential cannot be combined with --search beam"),
        ]
        for (arguments, message) in cases {
            let result = try run(["generate"] + arguments + ["-o", out])
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(arguments) left a file")
        }
    }

    func testEvaluateRegressionAndGeneration() throws {
        let directory = try temporaryDirectory()
        let data = directory.appendingPathComponent("data.txt")
        try "<qed>0.8|CCO\n<qed>0.9|CBr\n".write(to: data, atomically: true, encoding: .utf8)
        let plot = directory.appendingPathComponent("parity.svg")
        let regression = try run(["evaluate", "regression", data.path, "--estimate", "decoded", "--plot", plot.path])
        XCTAssertEqual(regression.status, 0, regression.stderr)
        let rmse = ((0.012 * 0.012 + 0.088 * 0.088) / 2).squareRoot()
        XCTAssertTrue(regression.stdout.hasPrefix("{\"task\":\"regression\",\"estimate\":\"decoded\""), regression.stdout)
        XCTAssertTrue(regression.stdout.contains("\"count\":2,\"failed\":0,\"rmse\":\(formatted(rmse))"), regression.stdout)
        XCTAssertTrue(regression.stdout.contains("\"pearson\":null,\"pearson_undefined\":\"the second variable is constant\""),
                      regression.stdout)
        XCTAssertTrue(try String(contentsOf: plot, encoding: .utf8).contains("<svg"))
        let mean = try run(["evaluate", "regression", data.path])  // default: the mean
        XCTAssertEqual(mean.status, 0, mean.stderr)
        XCTAssertTrue(mean.stdout.hasPrefix("{\"task\":\"regression\",\"estimate\":\"mean\""), mean.stdout)
        XCTAssertFalse(mean.stdout.contains("\"rmse\":\(formatted(rmse))"), mean.stdout)

        // Every generation fills its masks with [N] whatever the primer (and whatever came before: sequential order):
        // each seed's property is constant (0-Var).
        let generation = try run(["evaluate", "generation", data.path, "--primers", "0.3,0.7", "--search", "greedy",
                                  "--fill", "sequential",
                                  "--plot", directory.appendingPathComponent("primers.svg").path])
        XCTAssertEqual(generation.status, 0, generation.stderr)
        XCTAssertTrue(generation.stdout.contains("\"generations\":4,\"valid\":4,\"validity\":1.0"), generation.stdout)
        XCTAssertTrue(generation.stdout.contains("\"zero_variance_seeds\":2,\"zero_variance_fraction\":1.0"), generation.stdout)
        XCTAssertTrue(generation.stdout.contains("\"spearman_mean\":null"), generation.stdout)
    }

    func testHelpShowsExamples() throws {
        for verb in [["predict"], ["generate"], ["evaluate", "regression"], ["evaluate", "generation"]] {
            let result = try RTCommand.run(verb + ["--help"])
            XCTAssertEqual(result.status, 0)
            XCTAssertTrue(result.stdout.contains("Examples:"), "\(verb)")
        }
    }

    /// The CLI's number format (10 significant digits, shortest).
    func formatted(_ x: Double) -> String { "\(Double(String(format: "%.10g", x))!)" }
}
