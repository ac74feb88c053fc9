import ArgumentParser
import Chemistry
import Compression
import Foundation

/// One input line of a batch-parallel chem verb: its text, or why it is not text.
struct MoleculeLine {
    /// The line (empty when it is not UTF-8).
    var text: Substring
    /// `not valid UTF-8 text (byte 0xFF at position 3)` for a line that is not text; nil otherwise.
    var problem: String?
}

/// Reads molecule lines in batches (plain or gzip file, or stdin) for the batch-parallel chem verbs. A line that
/// is not UTF-8 is kept, with its problem, so that the verb reports it in that line's row and goes on.
struct MoleculeLineBatches {
    let reader: Compression.LineReader
    let batchSize: Int

    init(path: String?, batchSize: Int = 4096) throws {
        do {
            reader = try Compression.LineReader(path: path ?? "-")
        } catch {
            throw ValidationError("cannot read '\(path ?? "-")': \(error)")
        }
        self.batchSize = batchSize
    }

    /// The next batch of lines (empty at the end of the input).
    func next() throws -> [MoleculeLine] {
        var lines: [MoleculeLine] = []
        lines.reserveCapacity(batchSize)
        while lines.count < batchSize, let line = try reader.withNextLine({ bytes -> MoleculeLine in
            if let problem = UTF8Validation.problem(in: bytes, position: "position") {
                return MoleculeLine(text: "", problem: problem)
            }
            return MoleculeLine(text: Substring(String(decoding: bytes, as: UTF8.self)), problem: nil)
        }) {
            lines.append(line)
        }
        return lines
    }
}

/// The Morgan fingerprint and worker options `rt chem props` and `rt chem similar` share.
struct FingerprintOptions: ParsableArguments {
    @Option(help: "Morgan radius (props: for --fingerprint).")
    var radius: Int = 2

    @Option(help: "Fingerprint size in bits (props: for --fingerprint; similar: for --kind bits).")
    var bits: Int = 2048

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Do not print the summary line to stderr.")
    var quiet = false

    func validate() throws {
        guard radius >= 0 && radius <= 10 else { throw ValidationError("--radius must be between 0 and 10") }
        guard bits > 0 && bits <= 1 << 20 else { throw ValidationError("--bits must be between 1 and 1048576") }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
    }
}

/// `rt chem props` — RDKit-exact descriptors for each molecule, as CSV.
struct ChemProps: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "props",
        abstract: "Molecular properties (MW, logP, MR, TPSA, H-bond counts, QED, SA, penalised logP) as CSV.",
        discussion: """
            One CSV row per input line, in order, after a header:
              smiles,valid,mw,logp,mr,tpsa,hba,hbd,rotb,arom,alerts,qed,sa,plogp[,morgan],error
            Values equal RDKit 2026.9.1's (Descriptors.MolWt, Crippen.MolLogP/MolMR, CalcTPSA, QED.properties and \
            QED.qed, Contrib SA_Score). hba/hbd/rotb/arom/alerts are QED's definitions; plogp = logP − SA − \
            max(largest cycle of the networkx cycle basis − 6, 0), the JT-VAE definition used for the plogp \
            labels of the MOSES/ZINC data. An invalid molecule keeps its row: valid=0, empty cells, and the \
            reason in `error`; so does a line that is not UTF-8 text. A valid molecule beyond the descriptors' limits \
            (more than 10,000 atoms, or an SA stereocentre search of more than 20,000,000 steps) keeps valid=1 \
            with empty cells and `limit: …` in `error`. The summary on stderr names the first failing line. Input: the first whitespace-separated token of each line; plain or gzip file, or stdin.

            Examples:
              echo 'CC(=O)Oc1ccccc1C(=O)O' | rt chem props
              rt chem props generated.smi --fingerprint > generated.props.csv
            """)

    @Argument(help: "Input file, one molecule per line (plain or .gz); '-' or none = stdin.")
    var input: String?

    @Flag(help: "Add a 'morgan' column: on-bits of the Morgan fingerprint, space-separated.")
    var fingerprint = false

    @OptionGroup var options: FingerprintOptions

    func run() throws {
        let (radius, bits, threads, quiet) = (options.radius, options.bits, options.threads, options.quiet)
        let table = PropertyTable(fingerprint: fingerprint ? .init(radius: radius, size: bits) : nil)
        let batches = try MoleculeLineBatches(path: input)
        var out = OutputBuffer()
        out.writeLine(table.headerLine)
        var total = 0
        var failures = LineFailures()
        while true {
            let lines = try batches.next()
            if lines.isEmpty { break }
            let rows = table.rows(for: lines.map(\.text), threads: threads)
            for (k, (line, computed)) in zip(lines, rows).enumerated() {
                let row = line.problem.map { table.failureRow(for: "", valid: false, reason: "parse: \($0)") } ?? computed
                if let error = row.error { failures.record(line: total + k + 1, reason: error) }
                out.writeLine(row.line)
            }
            total += lines.count
        }
        out.flush()
        if !quiet {
            StandardError().write("\(total) lines, \(total - failures.count) valid, \(failures.count) invalid"
                                  + failures.firstFailure(in: input ?? "stdin") + "\n")
        }
    }
}
