import ArgumentParser
import Chemistry
import Compression
import Foundation

/// Reads molecule lines in batches (plain or gzip file, or stdin) for the batch-parallel chem verbs.
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
    func next() throws -> [Substring] {
        var lines: [Substring] = []
        lines.reserveCapacity(batchSize)
        while lines.count < batchSize, let line = try reader.nextLine() { lines.append(Substring(line)) }
        return lines
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
            reason in `error`. Input: the first whitespace-separated token of each line; plain or gzip file, or stdin.

            Examples:
              echo 'CC(=O)Oc1ccccc1C(=O)O' | rt chem props
              rt chem props generated.smi --fingerprint > generated.props.csv
            """)

    @Argument(help: "Input file, one molecule per line (plain or .gz); '-' or none = stdin.")
    var input: String?

    @Flag(help: "Add a 'morgan' column: on-bits of the Morgan fingerprint, space-separated.")
    var fingerprint = false

    @Option(help: "Morgan radius for --fingerprint.")
    var radius: Int = 2

    @Option(help: "Morgan fingerprint size in bits for --fingerprint.")
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

    func run() throws {
        let table = PropertyTable(fingerprint: fingerprint ? .init(radius: radius, size: bits) : nil)
        let batches = try MoleculeLineBatches(path: input)
        var out = OutputBuffer()
        out.writeLine(table.headerLine)
        var total = 0, invalid = 0
        while true {
            let lines = try batches.next()
            if lines.isEmpty { break }
            for row in table.lines(for: lines, threads: threads) {
                if !row.hasSuffix(",") { invalid += 1 }
                out.writeLine(row)
            }
            total += lines.count
        }
        out.flush()
        if !quiet { StandardError().write("\(total) lines, \(total - invalid) valid, \(invalid) invalid\n") }
    }
}
