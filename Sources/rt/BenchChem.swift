import ArgumentParser
import Chemistry
import Foundation

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

    func run() throws {
        if let fuzz {
            guard fuzz > 0 else { throw ValidationError("--fuzz must be positive") }
            let r = ChemistryFuzz.run(count: fuzz, seed: 1)
            print("fuzz inputs: \(r.inputs)  valid SMILES: \(r.validSmiles)  decoded SELFIES: \(r.decodedSelfies)  "
                + "errors without a message: \(r.errorsWithoutMessage)")
            print(String(format: "total %.2f s, mean %.1f µs, slowest %.2f ms: %@", r.totalSeconds,
                         1e6 * r.totalSeconds / Double(max(r.inputs, 1)), 1e3 * r.slowestSeconds, r.slowestInput))
            return
        }
        guard limit > 0, repeats > 0 else { throw ValidationError("--limit and --repeats must be positive") }
        let lines = try InputFiles.lines(input)
        var smiles: [String] = []
        let isCSV = input.hasSuffix(".csv") || input.hasSuffix(".csv.gz")
        while smiles.count < limit, let line = try lines.withNextLine({ String(decoding: $0, as: UTF8.self) }) {
            if isCSV && lines.lineNumber == 1 { continue }
            let token = isCSV ? line.split(separator: ",", maxSplits: 1).first.map(String.init) ?? ""
                : line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
            if !token.isEmpty && !token.hasPrefix("#") { smiles.append(token) }
        }
        guard !smiles.isEmpty else { throw ValidationError("no SMILES in '\(input)'") }
        let log = StandardError()
        log.write("rt bench chem: \(smiles.count) molecules from \(input), best of \(repeats)\n")
        let ours = ChemistryBenchmark(smiles: smiles, repeats: repeats).run()
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
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ValidationError("peer benchmark failed (status \(process.terminationStatus))")
        }
        var rates: [String: Double] = [:]
        for (k, v) in json { if let d = v as? Double { rates[k] = d } }
        return rates
    }
}
