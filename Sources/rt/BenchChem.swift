import ArgumentParser
import Chemistry
import Foundation
import RegressionTransformer

/// `rt bench chem` — molecules/s of parse+sanitize, canonical SMILES and SMILES→SELFIES, next to RDKit/selfies
/// measured by `scripts/peers/rdkit_chem_bench.py` in the same run when `--peer PYTHON` is given.
struct BenchChem: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chem",
        abstract: "Molecules/s for parse+sanitize, canonical SMILES, SMILES→SELFIES, QED, logP, Morgan and SA (optionally vs RDKit).",
        discussion: """
            The input is a SMILES file, plain or gzip: .smi/.txt (first token per line) or .csv (first column, \
            header skipped); by default the MOSES training set. \
            Without --peer only our rates are printed; with --peer PYTHON (an interpreter that has rdkit and \
            selfies 1.0.4, see scripts/peers/rdkit_chem_bench.py) the peer measures the same molecules right \
            after us and the ratios ours/peer are printed (>= 1.0: we are faster).

            Examples:
              rt bench chem --limit 20000
              rt bench chem --fuzz 100000 --seed 7     # robustness: no crash, every error has a message
              rt bench chem --peer /work/venvs/chem/bin/python \\
                  --selfies1-path /work/venvs/chem/selfies104
            """)

    @Option(help: "SMILES file (.smi, .txt or .csv, plain or gzip).")
    var input: String = "../shared/data/moses/moses_train.csv.gz"

    @Option(help: "Number of molecules (from the top of the file).")
    var limit: Int = 20000

    @Option(help: "Repetitions (best is reported).")
    var repeats: Int = 3

    @Option(help: "Python interpreter for the RDKit/selfies peer benchmark.")
    var peer: String?

    @Option(help: "Folder holding selfies 1.0.4 for the peer (pip install --target DIR selfies==1.0.4).")
    var selfies1Path: String?

    @Option(help: "Output format: text, csv or json.")
    var format: OutputFormat = .text

    @Option(help: "Instead: robustness run over N random strings, mutated SMILES and random SELFIES (slowest input reported).")
    var fuzz: Int?

    @Option(help: "Seed of the --fuzz inputs (one seed gives the same inputs).")
    var seed: UInt64 = 1

    @Flag(help: "Wait (up to 15 minutes) until the machine is idle before measuring.")
    var waitIdle = false

    func validate() throws {
        if let fuzz { try OptionCheck.positive(fuzz, "--fuzz") }
        try OptionCheck.positive(limit, "--limit")
        try OptionCheck.positive(repeats, "--repeats")
    }

    func run() throws {
        if let fuzz {
            let r = ChemistryFuzz.run(count: fuzz, seed: seed)
            print("fuzz inputs: \(r.inputs)  valid SMILES: \(r.validSmiles)  decoded SELFIES: \(r.decodedSelfies)  "
                + "errors without a message: \(r.errorsWithoutMessage)")
            print(String(format: "total %.2f s, mean %.1f µs, slowest %.2f ms: %@", r.totalSeconds,
                         1e6 * r.totalSeconds / Double(max(r.inputs, 1)), 1e3 * r.slowestSeconds, r.slowestInput))
            if r.errorsWithoutMessage > 0 {  // a failed check (CI runs this against the release build)
                throw CommandFailure("\(r.errorsWithoutMessage) of \(r.inputs) fuzz inputs failed without a message")
            }
            return
        }
        let lines = try InputFiles.lines(input)
        var smiles: [String] = []
        let isCSV = DatasetFormat.inferred(fromPath: input) == .csv
        while smiles.count < limit, let line = try lines.withNextLine({ String(decoding: $0, as: UTF8.self) }) {
            if isCSV && lines.lineNumber == 1 { continue }
            let token = isCSV ? line.split(separator: ",", maxSplits: 1).first.map(String.init) ?? ""
                : line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
            if !token.isEmpty && !token.hasPrefix("#") { smiles.append(token) }
        }
        guard !smiles.isEmpty else { throw CommandFailure("\(lines.name): no SMILES") }
        printError("rt bench chem: \(smiles.count) molecules from \(lines.name), best of \(repeats)")
        let load = LoadGuard(waitIdle: waitIdle)
        let ours = ChemistryBenchmark(smiles: smiles, repeats: repeats).run()
        load.finish()
        var peerRates: [String: Double]? = nil
        if let peer {
            peerRates = try runPeer(python: peer, count: smiles.count)
        }
        let rows: [(String, Double, Double?)] = [
            ("parse+sanitize", ours.parseSanitizePerSecond, peerRates?["parse_sanitize_per_s"]),
            ("canonical SMILES", ours.canonicalPerSecond, peerRates?["canonical_per_s"]),
            ("SMILES->SELFIES", ours.toSelfiesPerSecond, peerRates?["to_selfies_per_s"]),
            ("QED", ours.qedPerSecond, peerRates?["qed_per_s"]),
            ("Crippen logP", ours.logPPerSecond, peerRates?["logp_per_s"]),
            ("Morgan r2 2048", ours.morganPerSecond, peerRates?["morgan_per_s"]),
            ("SA score", ours.saPerSecond, peerRates?["sa_per_s"]),
        ]
        switch format {
        case .text:
            print("molecules: \(ours.molecules) (\(ours.valid) valid)")
            for (name, r, p) in rows {
                var line = "\(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(Int(r)) mol/s"
                if let p { line += "   peer \(Int(p)) mol/s   ratio \(String(format: "%.2f", r / p))" }
                print(line)
            }
        case .csv:
            print("task,ours_per_s,peer_per_s,ratio")
            for (name, r, p) in rows {
                print("\(name),\(r),\(p.map { String($0) } ?? ""),\(p.map { String(r / $0) } ?? "")")
            }
        case .json:
            let items = rows.map { (name, r, p) in
                "{\"task\":\"\(name)\",\"ours_per_s\":\(r),\"peer_per_s\":\(p.map { String($0) } ?? "null")}"
            }
            print("{\"molecules\":\(ours.molecules),\"valid\":\(ours.valid),\"results\":[\(items.joined(separator: ","))]}")
        }
    }

    /// Runs the peer script on the same input and count; returns its rates.
    func runPeer(python: String, count: Int) throws -> [String: Double] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/peers/rdkit_chem_bench.py").standardizedFileURL.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        var args = [script, "--input", input, "--limit", String(count), "--repeats", String(repeats)]
        if let selfies1Path { args += ["--selfies1-path", selfies1Path] }
        process.arguments = args
        let out = Pipe()
        process.standardOutput = out
        do { try process.run() } catch { throw CommandFailure("--peer \(python): cannot run: \(error.localizedDescription)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw CommandFailure("the peer benchmark failed (\(python) \(script): status \(process.terminationStatus))")
        }
        var rates: [String: Double] = [:]
        for (k, v) in json { if let d = v as? Double { rates[k] = d } }
        return rates
    }
}
