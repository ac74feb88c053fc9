import Compression
import Foundation

/// The format of a data file.
public enum DatasetFormat: String, Sendable, CaseIterable {
    /// One RT line per sample, `<qed>0.4068|CCO` (or a bare sequence); blank lines are skipped
    /// (docs/rt-text-format.md §9).
    case lines
    /// A CSV table with a header row: a text column and one numeric column per property (GT4SD's trainer
    /// format: column `text` plus property columns).
    case csv

    /// `csv` for names ending in `.csv` or `.csv.gz` (any case), else `lines`.
    public static func inferred(fromPath path: String) -> DatasetFormat {
        let lower = path.lowercased()
        return lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") ? .csv : .lines
    }
}

/// How a CSV table becomes RT lines.
///
/// GT4SD writes each row as `<p1>{v1:.3f}|<p2>{v2:.3f}|…|TEXT`, with the property columns in alphabetical
/// order and the text converted to the model's language; these are the defaults. Unlike GT4SD, an empty or
/// non-numeric cell is an error (pandas would write `nan`, which the property tokenizer silently drops).
public struct CSVOptions: Equatable, Sendable {
    /// A property column and the property name it becomes (`logSolubility` → `esol`).
    public struct Property: Equatable, Sendable {
        public var column: String
        public var name: String
        public init(column: String, name: String? = nil) {
            self.column = column
            self.name = name ?? column
        }
    }

    /// The column holding the sequence (GT4SD: `text`).
    public var textColumn: String
    /// The property columns in the order they are written; nil = every other column, alphabetically, named
    /// after the column (GT4SD).
    public var properties: [Property]?
    /// Decimals written for each value (GT4SD: 3); nil keeps the cell's own decimal text.
    public var decimals: Int?
    /// The field delimiter.
    public var delimiter: UInt8

    public init(textColumn: String = "text", properties: [Property]? = nil, decimals: Int? = 3,
                delimiter: UInt8 = UInt8(ascii: ","))
    {
        self.textColumn = textColumn
        self.properties = properties
        self.decimals = decimals
        self.delimiter = delimiter
    }
}

/// Reads the samples of one data file as RT text, one record at a time: RT lines pass through unchanged (the
/// allocation-free path), CSV rows are written as RT lines, and an optional conversion rewrites the sequence.
final class RecordReader {
    let source: LineSource
    let format: DatasetFormat
    let csv: CSVOptions
    let conversion: SequenceConversion?
    private var columns: (text: Int, properties: [(index: Int, tag: String)], count: Int)?
    private var scratch: [UInt8] = []

    init(source: LineSource, format: DatasetFormat, csv: CSVOptions = CSVOptions(),
         conversion: SequenceConversion? = nil)
    {
        self.source = source
        self.format = format
        self.csv = csv
        self.conversion = conversion
    }

    /// The property names a CSV file provides (after its header has been read), in line order.
    private(set) var csvPropertyNames: [String] = []

    /// Calls `body` with the line number and the RT text of every record (or the reason it is invalid).
    /// - Throws: `DatasetError` for problems with the file as a whole (a CSV without its text column …), and
    ///   whatever `body` throws.
    func forEachRecord(_ body: (Int, Result<UnsafeBufferPointer<UInt8>, DatasetLineError>) throws -> Void) throws {
        while true {
            let more: Bool? = try source.withNextLine { line -> Bool in
                let number = source.lineNumber
                if line.allSatisfy(isASCIIWhitespace) { return true }
                if let problem = UTF8Validation.problem(in: line) {
                    if format == .csv && columns == nil { throw DatasetError("\(source.name):\(number): \(problem)") }
                    try body(number, .failure(lineError(number, Reason(text: problem))))
                    return true
                }
                switch format {
                case .lines:
                    if let conversion {
                        switch convertLine(line, conversion) {
                        case .success(let text):
                            try text.withUnsafeBufferPointer { try body(number, .success($0)) }
                        case .failure(let error):
                            try body(number, .failure(lineError(number, error)))
                        }
                    } else {
                        try body(number, .success(line))
                    }
                case .csv:
                    if columns == nil {
                        try readHeader(line, number)
                        return true
                    }
                    switch csvRecord(line) {
                    case .success(let text):
                        try text.withUnsafeBufferPointer { try body(number, .success($0)) }
                    case .failure(let error):
                        try body(number, .failure(lineError(number, error)))
                    }
                }
                return true
            }
            guard more != nil else { break }
        }
        if format == .csv && columns == nil {
            throw DatasetError("\(source.name): the CSV file is empty (no header row)")
        }
    }

    private struct Reason: Error { var text: String }

    private func lineError(_ line: Int, _ reason: Reason) -> DatasetLineError {
        DatasetLineError(file: source.name, line: line, reason: reason.text)
    }

    private func readHeader(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws {
        let header: [String]
        do {
            header = try CSVRow.fields(line, delimiter: csv.delimiter).map { $0.trimmingASCIIWhitespace() }
        } catch {
            throw DatasetError("\(source.name):\(number): \(error)")
        }
        guard let text = header.firstIndex(of: csv.textColumn) else {
            throw DatasetError(
                "\(source.name):\(number): the CSV has no '\(csv.textColumn)' column (columns: \(header.joined(separator: ", ")))")
        }
        let wanted = csv.properties
            ?? header.enumerated().filter { $0.offset != text }.map { CSVOptions.Property(column: $0.element) }
                .sorted { $0.name < $1.name }
        var properties: [(Int, String)] = []
        for property in wanted {
            guard let index = header.firstIndex(of: property.column) else {
                throw DatasetError(
                    "\(source.name):\(number): the CSV has no '\(property.column)' column (columns: \(header.joined(separator: ", ")))")
            }
            guard !property.name.isEmpty, property.name.utf8.allSatisfy({ isWordByte($0) && $0 < 0x80 }) else {
                throw DatasetError(
                    "\(source.name):\(number): the property name '\(property.name)' must consist of letters, digits and '_'")
            }
            properties.append((index, "<\(property.name)>"))
        }
        columns = (text, properties, header.count)
        csvPropertyNames = wanted.map(\.name)
    }

    private func csvRecord(_ line: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], Reason> {
        guard let columns else { return .failure(Reason(text: "no header")) }
        let fields: [String]
        do {
            fields = try CSVRow.fields(line, delimiter: csv.delimiter)
        } catch {
            return .failure(Reason(text: "\(error)"))
        }
        guard fields.count == columns.count else {
            return .failure(Reason(text: "\(fields.count) fields, but the header has \(columns.count)"))
        }
        scratch.removeAll(keepingCapacity: true)
        for (index, tag) in columns.properties {
            let cell = fields[index].trimmingASCIIWhitespace()
            guard !cell.isEmpty else {
                return .failure(Reason(text: "no value for \(tag) (empty cell)"))
            }
            guard let value = NumberDecoding.parsePythonFloat(cell), value.isFinite else {
                return .failure(Reason(text: "the value of \(tag) is not a number: '\(cell)'"))
            }
            let written: String
            if let decimals = csv.decimals {
                written = String(format: "%.\(decimals)f", value)
            } else if cell.utf8.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }) {
                written = cell
            } else {
                return .failure(Reason(text: "the value of \(tag) is not a plain decimal number: '\(cell)'"))
            }
            scratch.append(contentsOf: tag.utf8)
            scratch.append(contentsOf: written.utf8)
            scratch.append(UInt8(ascii: "|"))
        }
        var text = fields[columns.text].trimmingASCIIWhitespace()
        if let conversion {
            do {
                text = try conversion.convert(text)
            } catch {
                return .failure(Reason(text: "cannot convert '\(text)' (\(conversion.name)): \(error)"))
            }
        }
        scratch.append(contentsOf: text.utf8)
        return .success(scratch)
    }

    private func convertLine(_ line: UnsafeBufferPointer<UInt8>, _ conversion: SequenceConversion)
        -> Result<[UInt8], Reason>
    {
        var cut = line.count
        while cut > 0, line[cut - 1] != UInt8(ascii: "|") { cut -= 1 }
        let sequence = String(decoding: UnsafeBufferPointer(rebasing: line[cut...]), as: UTF8.self)
            .trimmingASCIIWhitespace()
        do {
            let converted = try conversion.convert(sequence)
            return .success(Array(line[..<cut]) + Array(converted.utf8))
        } catch {
            return .failure(Reason(text: "cannot convert '\(sequence)' (\(conversion.name)): \(error)"))
        }
    }
}
