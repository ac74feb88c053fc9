/// How data files become a `TokenizedDataset`.
public struct DatasetOptions: Sendable {
    /// The file format; nil infers it from the source name (`.csv`, `.csv.gz` → CSV).
    public var format: DatasetFormat?
    /// How CSV rows become RT lines.
    public var csv: CSVOptions
    /// Applied to every sequence before tokenization (e.g. SMILES → SELFIES for a SELFIES model).
    public var conversion: SequenceConversion?
    /// Skip (and count) invalid lines instead of failing.
    public var skipsInvalidLines: Bool
    /// The most ids a sample may have, `[CLS]` and `[SEP]` included (the original's `block_size`, 510 in its
    /// README); nil = no limit.
    public var blockSize: Int?
    /// Cut longer samples to `blockSize` as the original does, instead of treating them as invalid.
    public var truncatesLongSamples: Bool
    /// How many invalid lines are listed in errors and reports.
    public var reportedErrorLimit: Int

    public init(format: DatasetFormat? = nil, csv: CSVOptions = CSVOptions(), conversion: SequenceConversion? = nil,
                skipsInvalidLines: Bool = false, blockSize: Int? = nil, truncatesLongSamples: Bool = false,
                reportedErrorLimit: Int = 20)
    {
        self.format = format
        self.csv = csv
        self.conversion = conversion
        self.skipsInvalidLines = skipsInvalidLines
        self.blockSize = blockSize
        self.truncatesLongSamples = truncatesLongSamples
        self.reportedErrorLimit = reportedErrorLimit
    }
}

/// What loading found.
public struct DatasetReport: Equatable, Sendable {
    /// The files read, in order.
    public var files: [String] = []
    /// Records read (non-blank lines, CSV rows).
    public var records = 0
    /// Samples kept.
    public var samples = 0
    /// Invalid records skipped (with `skipsInvalidLines`).
    public var skipped = 0
    /// Samples cut to the block size (with `truncatesLongSamples`).
    public var truncated = 0
    /// The first invalid records.
    public var errors: [DatasetLineError] = []

    public init() {}

    /// A one-line summary, e.g. `999 samples from example.txt (2 invalid lines skipped)`.
    public var summary: String {
        var text = "\(samples) samples from \(files.joined(separator: ", "))"
        var notes: [String] = []
        if skipped > 0 { notes.append("\(skipped) invalid line\(skipped == 1 ? "" : "s") skipped") }
        if truncated > 0 { notes.append("\(truncated) sample\(truncated == 1 ? "" : "s") truncated") }
        if !notes.isEmpty { text += " (" + notes.joined(separator: ", ") + ")" }
        return text
    }
}

/// Reads RT-line files and GT4SD-style CSV files into a `TokenizedDataset`, validating every record.
///
/// Every record is encoded with `encoder` (so, in strict mode, every problem the tokenizer knows is reported);
/// samples holding `[MASK]` are invalid; samples longer than `blockSize` are invalid unless truncation is
/// asked for. Bad records are reported as `file:line: reason`: by default loading fails after reading the
/// whole file, listing the first `reportedErrorLimit` of them; with `skipsInvalidLines` they are skipped and
/// counted. Files are streamed: only the ids are kept.
public struct DatasetLoader: Sendable {
    public var encoder: RTEncoder
    public var options: DatasetOptions

    public init(encoder: RTEncoder, options: DatasetOptions = DatasetOptions()) {
        self.encoder = encoder
        self.options = options
    }

    /// Reads every source into one dataset.
    public func load(_ sources: [LineSource]) throws -> (dataset: TokenizedDataset, report: DatasetReport) {
        var dataset = TokenizedDataset()
        var report = DatasetReport()
        for source in sources { try load(source, into: &dataset, report: &report) }
        return (dataset, report)
    }

    /// Appends the samples of `source` to `dataset`.
    /// - Throws: `DatasetError` if the file is unusable or (without `skipsInvalidLines`) has invalid records.
    public func load(_ source: LineSource, into dataset: inout TokenizedDataset, report: inout DatasetReport) throws {
        let format = options.format ?? DatasetFormat.inferred(fromPath: source.name)
        let reader = RecordReader(source: source, format: format, csv: options.csv, conversion: options.conversion)
        let vocabulary = encoder.vocabulary
        let mask = vocabulary.specialIDs.mask
        var ids: [Int32] = []
        var scratch: [RawToken] = []
        var invalid = 0
        var errors: [DatasetLineError] = []
        report.files.append(source.name)

        func reject(_ error: DatasetLineError) {
            invalid += 1
            if errors.count < options.reportedErrorLimit { errors.append(error) }
        }

        try reader.forEachRecord { line, record in
            report.records += 1
            let text: UnsafeBufferPointer<UInt8>
            switch record {
            case .failure(let error):
                reject(error)
                return
            case .success(let bytes):
                text = bytes
            }
            ids.removeAll(keepingCapacity: true)
            do throws(TokenizationError) {
                try encoder.encode(text, into: &ids, scratch: &scratch, addSpecialTokens: true)
            } catch {
                reject(DatasetLineError(file: source.name, line: line, reason: error.description))
                return
            }
            if ids.contains(mask) {
                reject(DatasetLineError(file: source.name, line: line, reason: "[MASK] cannot appear in data"))
                return
            }
            if let blockSize = options.blockSize, ids.count > blockSize {
                guard options.truncatesLongSamples else {
                    reject(DatasetLineError(
                        file: source.name, line: line,
                        reason: "the sample has \(ids.count) tokens, more than the block size \(blockSize)"))
                    return
                }
                _ = RTEncoder.truncate(&ids, blockSize: blockSize, separator: vocabulary.specialIDs.separator)
                report.truncated += 1
            }
            guard invalid == 0 || options.skipsInvalidLines else { return }  // failing anyway: keep nothing
            var values: [(name: String, value: Double, layout: NumberLayout)] = []
            if ids.contains(vocabulary.specialIDs.expressionSeparator) {
                let layout = SampleLayout(ids: ids, vocabulary: vocabulary)
                for property in layout.properties {
                    let slot = ids[property.value]
                    guard let numberLayout = vocabulary.numberLayout(of: slot) else { continue }
                    let tokens = slot.compactMap(vocabulary.numberToken(for:))
                    guard let value = NumberDecoding.value(of: tokens) else { continue }
                    values.append((property.name, value, numberLayout))
                }
            }
            dataset.append(ids: ids, values: values)
            report.samples += 1
        }
        if invalid > 0 {
            if options.skipsInvalidLines {
                report.skipped += invalid
                report.errors += errors.prefix(max(0, options.reportedErrorLimit - report.errors.count))
            } else {
                throw DatasetError(
                    "\(source.name): \(invalid) invalid line\(invalid == 1 ? "" : "s") (skip them with --skip-invalid):",
                    lineErrors: errors, invalidLines: invalid)
            }
        }
    }
}
