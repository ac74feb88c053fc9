import ArgumentParser
import Chemistry
import Foundation

/// `rt chem similar` — ranks the molecules of a file by Tanimoto similarity to a query.
struct ChemSimilar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Rank molecules by Tanimoto similarity (Morgan fingerprints) to a query molecule.",
        discussion: """
            Prints CSV `rank,line,smiles,similarity`, most similar first (ties in input order); `line` is the \
            1-based input line. Lines that are not valid molecules are skipped and counted on stderr. Similarity: \
            'bits' = Tanimoto of the 2048-bit radius-2 Morgan fingerprints (RDKit TanimotoSimilarity of \
            GetMorganFingerprintAsBitVect, the JT-VAE "similarity to seed"); 'counts' = Tanimoto of the \
            unfolded count fingerprints (GuacaMol's ECFP4 similarity).

            Examples:
              rt chem similar --query 'CC(=O)Oc1ccccc1C(=O)O' library.smi --top 10
              rt chem similar --query 'c1ccccc1O' generated.smi --kind counts --min 0.4
            """)

    @Option(help: "The query molecule (SMILES).")
    var query: String

    @Argument(help: "Input file, one molecule per line (plain or .gz); '-' or none = stdin.")
    var input: String?

    @Option(help: "Print at most this many molecules.")
    var top: Int?

    @Option(help: "Only molecules with at least this similarity.")
    var min: Double?

    @Option(help: "Similarity: bits (folded fingerprint) or counts (unfolded counts).")
    var kind: SimilaritySearch.Kind = .bits

    @OptionGroup var options: FingerprintOptions

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be positive") }
    }

    func run() throws {
        let (radius, bits, threads, quiet) = (options.radius, options.bits, options.threads, options.quiet)
        let queryMolecule: Molecule
        do { queryMolecule = try Molecule(smiles: query) } catch {
            throw ValidationError("--query '\(query)' is not a valid molecule: \(error)")
        }
        let search = SimilaritySearch(query: queryMolecule, kind: kind, radius: radius, size: bits)
        let batches = try MoleculeLineBatches(path: input)
        var smiles: [Substring] = []
        var scores: [Double?] = []
        while true {
            let lines = try batches.next()
            if lines.isEmpty { break }
            let tokens = lines.map { line -> Substring in
                let t = line.text.drop(while: { $0 == " " || $0 == "\t" })
                return t.prefix(while: { $0 != " " && $0 != "\t" && $0 != "\r" })
            }
            let similarities = search.similarities(tokens, threads: threads)
            scores += zip(lines, similarities).map { line, score in line.problem == nil ? score : nil }
            smiles += tokens
        }
        var hits = SimilaritySearch.rank(scores)
        if let min { hits = hits.filter { $0.similarity >= min } }
        if let top, top < hits.count { hits.removeLast(hits.count - top) }
        var out = OutputBuffer()
        out.writeLine("rank,line,smiles,similarity")
        for (r, hit) in hits.enumerated() {
            out.writeLine("\(r + 1),\(hit.index + 1),\(smiles[hit.index]),\(hit.similarity)")
        }
        out.flush()
        if !quiet {
            let invalid = scores.filter { $0 == nil }.count
            StandardError().write("\(scores.count) lines, \(scores.count - invalid) valid, \(invalid) invalid, \(hits.count) printed\n")
        }
    }
}

extension SimilaritySearch.Kind: ExpressibleByArgument {}
