import Tensors

/// `rt bench tokenize`: single-thread throughput of the text layer on a corpus of lines (the MOSES training
/// SMILES by default). Stages, each timed over the whole corpus held in memory (best and median of `repeats`):
///
/// - `split`:  RT tokenization only (`RTTokenizer.tokenCount`) — the SMILES regex scanner;
/// - `encode`: tokens → ids with `[CLS]`/`[SEP]`/even padding (`RTEncoder.encode`), what datasets do;
/// - `text`:   tokens written as space-separated text (`RTTokenizer.appendTokens`), what `rt tokenize` does;
/// - `dataset`: `DatasetLoader` into a `TokenizedDataset` (records, validation, compact id storage).
///
/// Reading (decompression and line splitting) is timed once, separately.
public struct TokenizationBenchmark {
    /// Lines held in memory as one byte array.
    public struct Corpus {
        public var name: String
        public var bytes: [UInt8] = []
        /// Line `i` is `bytes[starts[i]..<starts[i + 1] - 1]` (each line keeps one byte for its newline).
        public var starts: [Int] = [0]
        /// Seconds spent reading (and decompressing) the source.
        public var readSeconds = 0.0

        public var lineCount: Int { starts.count - 1 }

        /// Reads up to `limit` lines of `source`, skipping the first `skip` lines (e.g. a CSV header); with
        /// `firstField`, only the text before the first comma of each line (the first CSV column) is kept.
        public init(source: LineSource, skip: Int = 0, limit: Int? = nil, firstField: Bool = false) throws {
            name = source.name
            let start = BenchClock.now()
            var skipped = 0
            while lineCount < (limit ?? Int.max), let _ = try source.withNextLine({ line -> Void in
                if skipped < skip {
                    skipped += 1
                    return
                }
                var end = line.count
                if firstField, let comma = line.firstIndex(of: UInt8(ascii: ",")) { end = comma }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[..<end]))
                bytes.append(0x0A)
                starts.append(bytes.count)
            }) {}
            readSeconds = BenchClock.now() - start
        }

        /// Calls `body` with every line's bytes.
        @inline(__always)
        func forEachLine(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
            try bytes.withUnsafeBufferPointer { buffer in
                for i in 0..<lineCount {
                    try body(UnsafeBufferPointer(rebasing: buffer[starts[i]..<(starts[i + 1] - 1)]))
                }
            }
        }
    }

    /// One measured stage.
    public struct Measurement: Sendable {
        public var stage: String
        public var lines: Int
        public var tokens: Int
        public var bestSeconds: Double
        public var medianSeconds: Double
        public var failures: Int

        public var linesPerSecond: Double { Double(lines) / bestSeconds }
        public var tokensPerSecond: Double { Double(tokens) / bestSeconds }
    }

    public var corpus: Corpus
    public var encoder: RTEncoder
    public var repeats: Int
    /// The clock stages are timed with: wall time (`BenchClock.now`, the default) or the thread's CPU time
    /// (`BenchClock.threadCPUTime`, nearly unaffected by other processes on a busy machine).
    public var clock: () -> Double

    public init(corpus: Corpus, encoder: RTEncoder, repeats: Int = 5, clock: @escaping () -> Double = BenchClock.now) {
        self.corpus = corpus
        self.encoder = encoder
        self.repeats = max(1, repeats)
        self.clock = clock
    }

    /// A vocabulary for the corpus: built from its first `sampleLines` lines (tokens seen only later encode as
    /// `[UNK]`, which costs the same).
    public static func vocabulary(for corpus: Corpus, tokenizer: RTTokenizer, sampleLines: Int = 100_000) throws
        -> Vocabulary
    {
        var builder = VocabularyBuilder()
        var scratch: [RawToken] = []
        var seen = 0
        corpus.forEachLine { line in
            guard seen < sampleLines else { return }
            seen += 1
            do throws(TokenizationError) {
                try builder.add(line, tokenizer: tokenizer, scratch: &scratch)
            } catch {}
        }
        return try builder.build()
    }

    /// Runs every stage.
    public func run() -> [Measurement] {
        let tokenizer = encoder.tokenizer
        var results: [Measurement] = []

        func measure(_ stage: String, _ pass: () -> (tokens: Int, failures: Int)) {
            var times: [Double] = []
            var outcome = (tokens: 0, failures: 0)
            for _ in 0..<repeats {
                let start = clock()
                outcome = pass()
                times.append(clock() - start)
            }
            results.append(Measurement(stage: stage, lines: corpus.lineCount, tokens: outcome.tokens,
                                       bestSeconds: times.min() ?? 0, medianSeconds: BenchClock.median(times),
                                       failures: outcome.failures))
        }

        measure("split") {
            var scratch = RawTokens()
            var tokens = 0, failures = 0
            corpus.forEachLine { line in
                do throws(TokenizationError) {
                    tokens += try tokenizer.tokenCount(of: line, scratch: &scratch)
                } catch { failures += 1 }
            }
            return (tokens, failures)
        }
        measure("encode") {
            var scratch = RawTokens()
            var ids: [Int32] = []
            ids.reserveCapacity(1024)
            var tokens = 0, failures = 0
            corpus.forEachLine { line in
                ids.removeAll(keepingCapacity: true)
                do throws(TokenizationError) {
                    try encoder.encode(line, into: &ids, scratch: &scratch)
                    tokens += ids.count
                } catch { failures += 1 }
            }
            return (tokens, failures)
        }
        measure("text") {
            var scratch = RawTokens()
            var output: [UInt8] = []
            output.reserveCapacity(1 << 20)
            var tokens = 0, failures = 0
            corpus.forEachLine { line in
                do throws(TokenizationError) {
                    try tokenizer.appendTokens(of: line, to: &output, scratch: &scratch)
                    output.append(0x0A)
                    tokens += scratch.tokens.count
                } catch { failures += 1 }
                if output.count > 1 << 20 { output.removeAll(keepingCapacity: true) }
            }
            return (tokens, failures)
        }
        measure("dataset") {
            // The whole dataset path: records, validation, ids stored compactly (`DatasetLoader`).
            let source = MemoryLineSource(bytes: corpus.bytes, name: corpus.name)
            let loader = DatasetLoader(encoder: encoder, options: DatasetOptions(format: .lines, skipsInvalidLines: true))
            guard let (dataset, report) = try? loader.load([source]) else { return (0, corpus.lineCount) }
            return (dataset.tokenCount, report.skipped)
        }
        return results
    }
}
