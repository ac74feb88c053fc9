import ArgumentParser
import Chemistry
import Compression
import Foundation

/// `rt chem …` — molecule utilities (thin: every verb is `LineConversion` from the Chemistry library).
struct Chem: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate, canonicalise, convert, describe and compare molecules (SMILES, SELFIES 1.0.4).",
        discussion: """
            validate, canonical, to-selfies and to-smiles print one output line per input line, in order: the \
            result, or 'error: <class>: <reason>' (exit status 1 at the end when a line failed).

            Examples:
              echo 'OCC' | rt chem canonical
              rt chem validate generated.smi --format csv > validity.csv
            """,
        subcommands: [ChemValidate.self, ChemCanonical.self, ChemToSelfies.self, ChemToSmiles.self, ChemProps.self,
                      ChemSimilar.self]
    )
}

/// Options shared by the line-oriented chem verbs.
struct ChemInput: ParsableArguments {
    @Argument(help: "Input file (plain or gzip), one molecule per line (first whitespace-separated token); '-' or none = stdin.")
    var input: String?

    @Flag(help: "Do not print the summary line to stderr.")
    var quiet = false

    @Option(help: "Output format: text (the result or 'error: <class>: <reason>'), csv (input,result,error_class,error) or json (one object per line).")
    var format: OutputFormat = .text
}

/// Runs one conversion over every input line: exactly one output line per input line, in order; exit status 1
/// when some line failed (`LineFailures`).
func runLines(_ conversion: LineConversion, _ options: ChemInput, verb: String) throws {
    let lines = try InputFiles.lines(options.input)
    let out = StandardOutputBuffer()
    var total = 0
    var failures = LineFailures()
    if options.format == .csv { out.append("input,result,error_class,error\n") }
    while let (line, result) = try lines.withNextLine({ bytes -> (String, Result<String, MoleculeError>) in
        let line = String(decoding: bytes, as: UTF8.self)
        if let problem = UTF8Validation.problem(in: bytes, position: "position") {
            return (line, .failure(MoleculeError(conversion.inputKind, problem)))
        }
        return (line, conversion.apply(Substring(line)))
    }) {
        total += 1
        if case .failure(let e) = result { failures.record(line: total, reason: e.description) }
        switch (options.format, result) {
        case (.text, .success(let s)): out.append(s)
        case (.text, .failure(let e)): out.append("error: \(e)")
        case (.csv, .success(let s)): out.append("\(csvField(line)),\(csvField(s)),,")
        case (.csv, .failure(let e)): out.append("\(csvField(line)),,\(e.kind.rawValue),\(csvField(e.message))")
        case (.json, .success(let s)): out.append("{\"input\":\(jsonString(line)),\"result\":\(jsonString(s))}")
        case (.json, .failure(let e)):
            out.append("{\"input\":\(jsonString(line)),\"error_class\":\"\(e.kind.rawValue)\",\"error\":\(jsonString(e.message))}")
        }
        out.append("\n")
        out.flushIfFull()
    }
    out.flush()
    if !options.quiet {
        printError("rt chem \(verb): \(total) lines, \(total - failures.count) valid, \(failures.count) errors"
                   + failures.firstFailure(in: lines.name))
    }
    try failures.exitIfAny()
}

struct ChemValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Print 'valid' or 'error: <class>: <reason>' for each SMILES (RDKit 2026.9.1 rules).",
        discussion: """
            Error classes: parse (SMILES syntax), valence (an atom above its allowed valence), kekulize (no Kekulé \
            structure for an aromatic system, or an aromatic atom outside a ring).

            Examples:
              echo 'c1ccccc1O' | rt chem validate
              rt chem validate generated.smi > validity.txt
            """)
    @OptionGroup var options: ChemInput
    func run() throws { try runLines(.validate, options, verb: "validate") }
}

struct ChemCanonical: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canonical",
        abstract: "Canonical SMILES (our own non-isomeric canonical form) for each SMILES.",
        discussion: """
            Every way of writing a molecule gives the same string, so `sort -u` on the output counts unique \
            molecules. Stereo (@, /, \\) is not part of the canonical form.

            Examples:
              echo 'OCC' | rt chem canonical          # CCO
              rt chem canonical generated.smi | sort -u | wc -l
            """)
    @OptionGroup var options: ChemInput
    func run() throws { try runLines(.canonical, options, verb: "canonical") }
}

struct ChemToSelfies: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "to-selfies",
        abstract: "SMILES → SELFIES in the selfies 1.0.4 dialect of the RT vocabularies.",
        discussion: """
            The SMILES is encoded as written (atom order kept), exactly as selfies 1.0.4's encoder does; it must \
            be a valid molecule.

            Examples:
              echo 'C=CF' | rt chem to-selfies        # [C][=C][F]
              rt chem to-selfies seeds.smi > seeds.selfies
            """)
    @OptionGroup var options: ChemInput
    func run() throws { try runLines(.toSelfies, options, verb: "to-selfies") }
}

struct ChemToSmiles: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "to-smiles",
        abstract: "SELFIES → SMILES (selfies 1.0.4 decoder); the result must be a valid molecule.",
        discussion: """
            Examples:
              echo '[C][=C][F]' | rt chem to-smiles   # C=CF
              rt chem to-smiles generated.selfies --canonical | sort -u
            """)
    @OptionGroup var options: ChemInput

    @Flag(help: "Print our canonical SMILES instead of the decoder's SMILES.")
    var canonical = false

    func run() throws { try runLines(.toSmiles(canonical: canonical), options, verb: "to-smiles") }
}
