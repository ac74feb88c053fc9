import ArgumentParser
import Compression
import Foundation
import RegressionTransformer

/// `rt tokenize` — RT text to tokens or ids, one output line per input line (thin: see `RTTokenizer`).
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split RT lines into tokens (or token ids), one output line per input line.",
        discussion: """
            Each input line is an RT line (<prop>VALUE|…|SEQUENCE) or a bare sequence; --language picks how the \
            sequence is split. Property values become digit tokens (0.39 → _0_0_ _._ _3_-1_ _9_-2_), and \
            [MASK] tokens are kept, e.g. <qed>[MASK][MASK][MASK][MASK][MASK]|[C][O] for prediction inputs.
            Tokens are printed separated by single spaces, without [CLS]/[SEP] and without the even-length \
            [PAD] unless --special is given. With --vocab, tokens are checked against the vocabulary (printed \
            as the model sees them); --ids prints ids instead. A line that cannot be tokenized prints \
            "error: <reason>" in its place, and the command exits with status 1 at the end.

            Examples:
              echo '<qed>0.3936|[C][Br]' | rt tokenize --language selfies
              rt tokenize data.txt --vocab vocab.txt --ids --special
              rt tokenize proteins.txt --language aas --format json
              echo '<qed>0.39|CBr' | rt tokenize --language selfies --convert-smiles
            """)

    @Argument(help: "Input file of RT lines ('-' or none: standard input).")
    var input: String?

    @Option(help: "Sequence language.")
    var language: SequenceLanguage = .smiles

    @Option(help: "Vocabulary file (vocab.txt): check tokens against it; needed for --ids.")
    var vocab: String?

    @Flag(help: "Print token ids (needs --vocab).")
    var ids = false

    @Flag(help: "Add [CLS], [SEP] and the even-length [PAD], as the model sees a sample.")
    var special = false

    @Flag(help: "Reproduce the original tokenizer exactly, including what it silently drops (e.g. <qed>.5).")
    var faithful = false

    @Flag(help: "Map tokens missing from the vocabulary to [UNK] instead of reporting them.")
    var allowUnknown = false

    @Flag(help: "The sequences are SMILES: convert them to --language (selfies, reaction_selfies) first.")
    var convertSmiles = false

    @Option(help: "Output format: text or json (one object per line).")
    var format: TokenizeFormat = .text

    enum TokenizeFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if ids && vocab == nil { throw ValidationError("--ids needs --vocab") }
        if allowUnknown && vocab == nil { throw ValidationError("--allow-unknown needs --vocab") }
        _ = try smilesConversion(to: language, convertSmiles)
    }

    func run() throws {
        let tokenizer = RTTokenizer(language: language, mode: faithful ? .faithful : .strict)
        var encoder: RTEncoder?
        if let vocab {
            do {
                encoder = RTEncoder(vocabulary: try Vocabulary(contentsOfFile: vocab), tokenizer: tokenizer,
                                    allowsUnknownTokens: allowUnknown || faithful)
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        let conversion = try smilesConversion(to: language, convertSmiles)
        let source = try InputFiles.lines(input)
        let output = StandardOutputBuffer()
        var scratch = RawTokens()
        var idBuffer: [Int32] = []
        var lines = 0
        var failures = LineFailures()
        while try source.withNextLine({ (original: UnsafeBufferPointer<UInt8>) -> Void in
            lines += 1
            defer {
                output.bytes.append(0x0A)
                output.flushIfFull()
            }
            func fail(_ reason: String) {
                failures.record(line: lines, reason: reason)
                output.append(format == .json ? "{\"line\":\(lines),\"error\":\(jsonString(reason))}" : "error: \(reason)")
            }
            if let problem = UTF8Validation.problem(in: original) { return fail(problem) }
            var convertedLine: [UInt8] = []
            if let conversion {
                do {
                    let text = String(decoding: original, as: UTF8.self)
                    convertedLine = Array(try conversion.convertSequence(ofLine: text).utf8)
                } catch {
                    return fail("cannot convert the sequence (\(conversion.name)): \(error)")
                }
            }
            convertedLine.withUnsafeBufferPointer { converted in
            let line = conversion == nil ? original : converted
            do throws(TokenizationError) {
                if let encoder {
                    idBuffer.removeAll(keepingCapacity: true)
                    try encoder.encode(line, into: &idBuffer, scratch: &scratch, addSpecialTokens: special)
                    if format == .json {
                        let tokens = idBuffer.map { jsonString(encoder.vocabulary.tokens[Int($0)]) }
                        output.append("{\"line\":\(lines),\"tokens\":[\(tokens.joined(separator: ","))]")
                        output.append(",\"ids\":[\(idBuffer.map(String.init).joined(separator: ","))]}")
                    } else if ids {
                        output.append(idBuffer.map(String.init).joined(separator: " "))
                    } else {
                        output.append(idBuffer.map { encoder.vocabulary.tokens[Int($0)] }.joined(separator: " "))
                    }
                } else if format == .json {
                    var tokens = try tokenizer.tokenize(String(decoding: line, as: UTF8.self))
                    if special {
                        if tokens.count % 2 == 1 { tokens.append(SpecialToken.pad.text) }
                        tokens = [SpecialToken.classifier.text] + tokens + [SpecialToken.separator.text]
                    }
                    output.append("{\"line\":\(lines),\"tokens\":[\(tokens.map(jsonString).joined(separator: ","))]}")
                } else {
                    try tokenizer.appendTokens(of: line, to: &output.bytes, scratch: &scratch, specialTokens: special)
                }
            } catch {
                fail(error.description)
            }
            }
        }) != nil {}
        output.flush()
        if failures.count > 0 {
            printError("rt tokenize: \(failures.count) of \(lines) line\(lines == 1 ? "" : "s") could not be tokenized"
                       + failures.firstFailure(in: source.name))
        }
        try failures.exitIfAny()
    }
}
