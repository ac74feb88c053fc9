import Foundation
import RegressionTransformer

/// The input sequences, streamed: every line of a file or stdin (in order, empty lines kept so rows match lines), or
/// one column of a CSV file (`--column`).
final class InputSequences {
    private let source: LineSource
    private let name: String
    private var columnIndex: Int?

    init(path: String?, column: String?) throws {
        source = try InputFiles.lines(path)
        name = path ?? "stdin"
        guard let column else { return }
        guard let header = try source.withNextLine({ String(decoding: $0, as: UTF8.self) }) else {
            throw CommandFailure("\(name): the CSV file is empty")
        }
        let names = csvSplit(header).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let index = names.firstIndex(of: column) else {
            throw CommandFailure("\(name): no column '\(column)' (columns: \(names.joined(separator: ", ")))")
        }
        columnIndex = index
    }

    /// Up to `count` more sequences (empty at the end).
    func next(_ count: Int) throws -> [String] {
        var lines: [String] = []
        while lines.count < count, let line = try source.withNextLine({ String(decoding: $0, as: UTF8.self) }) {
            if let index = columnIndex {
                let fields = csvSplit(line)
                lines.append(index < fields.count ? fields[index] : "")
            } else {
                lines.append(line)
            }
        }
        return lines
    }
}

/// Splits one CSV line (RFC 4180 quotes).
func csvSplit(_ line: String) -> [String] {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var chars = Array(line)
    if chars.last == "\r" { chars.removeLast() }
    var i = 0
    while i < chars.count {
        let c = chars[i]
        if quoted {
            if c == "\"" {
                if i + 1 < chars.count && chars[i + 1] == "\"" { current.append("\""); i += 1 } else { quoted = false }
            } else {
                current.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            fields.append(current)
            current = ""
        } else {
            current.append(c)
        }
        i += 1
    }
    fields.append(current)
    return fields
}
